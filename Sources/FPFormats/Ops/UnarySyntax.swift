import FPGraph

/// The elementwise ops of one operand (``FPGraph/UnaryOp``): named by their
/// raw value in the graph format and by XLA's opcode in HLO, no attributes.
/// HLO's `domain` (a sharding annotation) is read as `copy`.
struct UnarySyntax: OpSpelling {
    let op: UnaryOp

    static let graphSpellings = UnaryOp.allCases.map { op in
        OpSyntax(name: op.rawValue, attributes: []) { _ in .unary(op) }
    }
    static let hloOpcodes = UnaryOp.allCases.map(\.xlaOpcode) + ["domain"]
    static let hloAttributes: Set<String> = []

    private static let byXLAOpcode = Dictionary(
        UnaryOp.allCases.map { ($0.xlaOpcode, $0) }, uniquingKeysWith: { first, _ in first })

    var writtenCallees: WrittenCallees { .notPlanned }

    func write(into node: inout GraphNodeWriter) {}

    /// pred for `is-finite`, else the operand's dtype.
    func staticDType(of node: NodeSpec, in byName: [String: NodeSpec]) -> StaticDTypeStep {
        op == .isFinite ? .known(.pred) : .follow(node.operands.first)
    }

    static func lower(_ context: inout HLOInstructionContext) throws -> Operation {
        if context.opcode == "domain" { return .unary(.copy) }  // a sharding annotation: its operand, unchanged
        guard let op = byXLAOpcode[context.opcode] else { throw context.noLowering() }
        return .unary(op)
    }
}

extension UnaryOp {
    /// XLA's opcode for the op.
    var xlaOpcode: String {
        switch self {
        case .neg: return "negate"
        case .abs: return "abs"
        case .sign: return "sign"
        case .exp: return "exponential"
        case .expm1: return "exponential-minus-one"
        case .log: return "log"
        case .log1p: return "log-plus-one"
        case .sqrt: return "sqrt"
        case .rsqrt: return "rsqrt"
        case .cbrt: return "cbrt"
        case .tanh: return "tanh"
        case .logistic: return "logistic"
        case .sin: return "sine"
        case .cos: return "cosine"
        case .tan: return "tan"
        case .erf: return "erf"
        case .floor: return "floor"
        case .ceil: return "ceil"
        case .atan: return "atan"
        case .sinh: return "sinh"
        case .cosh: return "cosh"
        case .asin: return "asin"
        case .acos: return "acos"
        case .asinh: return "asinh"
        case .acosh: return "acosh"
        case .atanh: return "atanh"
        case .roundNearestEven: return "round-nearest-even"
        case .roundNearestAfz: return "round-nearest-afz"
        case .popcnt: return "popcnt"
        case .clz: return "count-leading-zeros"
        case .isFinite: return "is-finite"
        case .not: return "not"
        case .copy: return "copy"
        }
    }
}
