import FPGraph

/// `dynamic-update-slice(operand, update, starts...)`: no attributes.
struct DynamicUpdateSliceSyntax: OpSpelling {
    static let graphSpellings = [OpSyntax(name: "dynamic-update-slice", attributes: []) { _ in .dynamicUpdateSlice }]
    static let hloOpcodes = ["dynamic-update-slice"]
    static let hloAttributes: Set<String> = []

    var writtenCallees: WrittenCallees { .notPlanned }

    func write(into node: inout GraphNodeWriter) {}

    func staticDType(of node: NodeSpec, in byName: [String: NodeSpec]) -> StaticDTypeStep {
        .follow(node.operands.first)
    }

    static func lower(_ context: inout HLOInstructionContext) throws -> Operation { .dynamicUpdateSlice }
}
