import FPGraph

/// `clamp(min, operand, max)`: `clamp` in both formats, no attributes.
struct ClampSyntax: OpSpelling {
    static let graphSpellings = [OpSyntax(name: "clamp", attributes: []) { _ in .clamp }]
    static let hloOpcodes = ["clamp"]
    static let hloAttributes: Set<String> = []

    var writtenCallees: WrittenCallees { .notPlanned }

    func write(into node: inout GraphNodeWriter) {}

    func staticDType(of node: NodeSpec, in byName: [String: NodeSpec]) -> StaticDTypeStep {
        .follow(node.operands.first)
    }

    static func lower(_ context: inout HLOInstructionContext) throws -> Operation { .clamp }
}
