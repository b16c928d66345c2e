/// A parsed, type-checked `require` expression.
///
/// Build one with ``parse(_:)`` (or through ``PolicyLoader``); ``canonical``
/// is a formatting-independent spelling used for the policy hash and `explain`.
public struct PolicyExpression: Sendable, Equatable, CustomStringConvertible {
    /// The text as written in the policy.
    public let source: String
    /// The expression's type.
    public let type: ExpressionType
    let root: ExpressionNode

    init(source: String, root: ExpressionNode, type: ExpressionType) {
        self.source = source
        self.root = root
        self.type = type
    }

    /// The canonical spelling: single spaces, every binary operation inside
    /// a comparison or `and`/`or` parenthesised, numbers in shortest form.
    public var canonical: String { root.canonical(top: true) }

    /// ``canonical``.
    public var description: String { canonical }

    /// The metric paths the expression reads.
    public var metrics: [String] { root.metrics }

    /// True when the expression reads only per-run metrics (`samples.*`) or none.
    public var isPerRun: Bool { metrics.allSatisfy { Metric.all[$0]?.perRun ?? true } }

    /// Two expressions are equal when their ``canonical`` spellings are, whatever
    /// the formatting of their source.
    public static func == (a: PolicyExpression, b: PolicyExpression) -> Bool { a.canonical == b.canonical }
}

/// Operators of the expression language.
enum BinaryOperator: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/"
    case less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">=", equal = "==", notEqual = "!="
    case and, or

    var isComparison: Bool {
        switch self {
        case .less, .lessEqual, .greater, .greaterEqual, .equal, .notEqual: return true
        default: return false
        }
    }
}

/// Built-in functions.
enum ExpressionFunction: String, CaseIterable, Sendable {
    case min, max, abs
}

/// The syntax tree.
indirect enum ExpressionNode: Equatable, Sendable {
    case number(Double)
    case boolean(Bool)
    case metric(String)
    case negate(ExpressionNode)
    case not(ExpressionNode)
    case binary(BinaryOperator, ExpressionNode, ExpressionNode)
    case call(ExpressionFunction, [ExpressionNode])

    var metrics: [String] {
        switch self {
        case .number, .boolean: return []
        case .metric(let m): return [m]
        case .negate(let e), .not(let e): return e.metrics
        case .binary(_, let l, let r): return l.metrics + r.metrics
        case .call(_, let args): return args.flatMap(\.metrics)
        }
    }

    func canonical(top: Bool = false) -> String {
        switch self {
        case .number(let x): return formatNumber(x)
        case .boolean(let b): return b ? "true" : "false"
        case .metric(let m): return m
        case .negate(let e): return "-" + e.canonical()
        case .not(let e): return "not " + e.canonical()
        case .binary(let op, let l, let r):
            let text = "\(l.canonical()) \(op.rawValue) \(r.canonical())"
            return top ? text : "(\(text))"
        case .call(let f, let args):
            return "\(f.rawValue)(\(args.map { $0.canonical(top: true) }.joined(separator: ", ")))"
        }
    }
}

/// Shortest spelling of a number: integers without a fraction, `inf`, `-inf`.
func formatNumber(_ x: Double) -> String {
    if x.isInfinite { return x < 0 ? "-inf" : "inf" }
    if x.isNaN { return "nan" }
    if x == x.rounded(), Swift.abs(x) < 1e15 { return String(Int64(x)) }
    return "\(x)"
}
