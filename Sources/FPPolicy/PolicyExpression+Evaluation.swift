import FPVerify

/// The outcome of evaluating one expression.
struct ExpressionOutcome {
    var held: Bool
    /// The left side of the deciding comparison (see ``ExpressionNode/decidingComparison``).
    var value: Double?
    /// Its right side.
    var threshold: Double?
    /// Its operator.
    var comparison: String?
}

extension PolicyExpression {
    /// Evaluates the expression on one output (or, for per-run expressions, `nil`) and the run's sample counts.
    func evaluate(output: OutputMetrics?, samples: SampleCounts) -> ExpressionOutcome {
        let read = { (name: String) in Metric.all[name]!.read(output, samples) }
        let held = root.evaluate(read).boolean
        var outcome = ExpressionOutcome(held: held)
        if let (op, l, r) = root.decidingComparison(read) {
            outcome.value = l.evaluate(read).number
            outcome.threshold = r.evaluate(read).number
            outcome.comparison = op.rawValue
        }
        return outcome
    }

    /// Evaluates the expression against a single output's metrics; for tests and tools.
    public func holds(output: OutputMetrics?, samples: SampleCounts) -> Bool {
        evaluate(output: output, samples: samples).held
    }
}

extension ExpressionNode {
    func evaluate(_ read: (String) -> ExpressionValue) -> ExpressionValue {
        switch self {
        case .number(let x): return .number(x)
        case .boolean(let b): return .boolean(b)
        case .metric(let name): return read(name)
        case .negate(let e): return .number(-e.evaluate(read).number)
        case .not(let e): return .boolean(!e.evaluate(read).boolean)
        case .call(let f, let args):
            let values = args.map { $0.evaluate(read).number }
            switch f {
            case .abs: return .number(Swift.abs(values[0]))
            case .min:
                return .number(values.dropFirst().reduce(values[0]) { $0.isNaN || $1.isNaN ? .nan : Swift.min($0, $1) })
            case .max:
                return .number(values.dropFirst().reduce(values[0]) { $0.isNaN || $1.isNaN ? .nan : Swift.max($0, $1) })
            }
        case .binary(let op, let l, let r):
            switch op {
            case .and: return .boolean(l.evaluate(read).boolean && r.evaluate(read).boolean)
            case .or: return .boolean(l.evaluate(read).boolean || r.evaluate(read).boolean)
            default: break
            }
            let a = l.evaluate(read)
            let b = r.evaluate(read)
            switch op {
            case .add: return .number(a.number + b.number)
            case .subtract: return .number(a.number - b.number)
            case .multiply: return .number(a.number * b.number)
            case .divide: return .number(a.number / b.number)
            case .less: return .boolean(a.number < b.number)
            case .lessEqual: return .boolean(a.number <= b.number)
            case .greater: return .boolean(a.number > b.number)
            case .greaterEqual: return .boolean(a.number >= b.number)
            case .equal: return .boolean(a == b)
            case .notEqual: return .boolean(a != b)
            case .and, .or: fatalError("handled above")
            }
        }
    }

    /// The comparison that decided the expression's value, for reporting a
    /// measured value and a threshold: the expression itself when it is a
    /// comparison; for `and`, the first operand that failed (or the first one
    /// when all held); for `or`, the first that held (or the first when none
    /// did). `nil` for other shapes (e.g. `not`, a bare boolean metric).
    func decidingComparison(_ read: (String) -> ExpressionValue) -> (BinaryOperator, ExpressionNode, ExpressionNode)? {
        guard case .binary(let op, let l, let r) = self else { return nil }
        if op.isComparison { return (op, l, r) }
        guard op == .and || op == .or else { return nil }
        let operands = flatten(op)
        let wanted = op == .or
        let decider = operands.first { $0.evaluate(read).boolean == wanted } ?? operands[0]
        if op == .and, decider.evaluate(read).boolean { return operands[0].decidingComparison(read) }
        return decider.decidingComparison(read)
    }

    private func flatten(_ op: BinaryOperator) -> [ExpressionNode] {
        if case .binary(let o, let l, let r) = self, o == op { return l.flatten(op) + r.flatten(op) }
        return [self]
    }
}
