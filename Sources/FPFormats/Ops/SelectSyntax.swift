import FPGraph

/// `select(pred, on_true, on_false)`: `select` in both formats, no attributes.
struct SelectSyntax: OpSpelling {
    static let graphSpellings = [OpSyntax(name: "select", attributes: []) { _ in .select }]
    static let hloOpcodes = ["select"]
    static let hloAttributes: Set<String> = []

    var writtenCallees: WrittenCallees { .notPlanned }

    func write(into node: inout GraphNodeWriter) {}

    /// The dtype of `on_true`.
    func staticDType(of node: NodeSpec, in byName: [String: NodeSpec]) -> StaticDTypeStep {
        .follow(node.operands.count == 3 ? node.operands[1] : nil)
    }

    static func lower(_ context: inout HLOInstructionContext) throws -> Operation { .select }
}
