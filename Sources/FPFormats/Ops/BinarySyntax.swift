import FPGraph

/// The elementwise ops of two operands (``FPGraph/BinaryOp``): named by their
/// raw value in the graph format and by XLA's opcode in HLO, no attributes.
struct BinarySyntax: OpSpelling {
    let op: BinaryOp

    static let graphSpellings = BinaryOp.allCases.map { op in
        OpSyntax(name: op.rawValue, attributes: []) { _ in .binary(op) }
    }
    static let hloOpcodes = BinaryOp.allCases.map(\.xlaOpcode)
    static let hloAttributes: Set<String> = []

    private static let byXLAOpcode = Dictionary(
        BinaryOp.allCases.map { ($0.xlaOpcode, $0) }, uniquingKeysWith: { first, _ in first })

    var writtenCallees: WrittenCallees { .notPlanned }

    func write(into node: inout GraphNodeWriter) {}

    func staticDType(of node: NodeSpec, in byName: [String: NodeSpec]) -> StaticDTypeStep {
        .follow(node.operands.first)
    }

    static func lower(_ context: inout HLOInstructionContext) throws -> Operation {
        guard let op = byXLAOpcode[context.opcode] else { throw context.noLowering() }
        return .binary(op)
    }
}

extension BinaryOp {
    /// XLA's opcode for the op (the raw value: the graph format uses XLA's names).
    var xlaOpcode: String {
        switch self {
        case .add: return "add"
        case .subtract: return "subtract"
        case .multiply: return "multiply"
        case .divide: return "divide"
        case .remainder: return "remainder"
        case .power: return "power"
        case .maximum: return "maximum"
        case .minimum: return "minimum"
        case .atan2: return "atan2"
        case .and: return "and"
        case .or: return "or"
        case .xor: return "xor"
        case .shiftLeft: return "shift-left"
        case .shiftRightLogical: return "shift-right-logical"
        case .shiftRightArithmetic: return "shift-right-arithmetic"
        }
    }
}
