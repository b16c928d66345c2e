import FPGraph

/// `mulhi(a, b)`: the high half of the double-width integer product; no attributes.
struct MultiplyHighSyntax: OpSpelling {
    static let graphSpellings = [OpSyntax(name: "mulhi", attributes: []) { _ in .multiplyHigh }]
    static let hloOpcodes = ["mulhi"]
    static let hloAttributes: Set<String> = []

    var writtenCallees: WrittenCallees { .notPlanned }

    func write(into node: inout GraphNodeWriter) {}

    func staticDType(of node: NodeSpec, in byName: [String: NodeSpec]) -> StaticDTypeStep {
        .follow(node.operands.first)
    }

    static func lower(_ context: inout HLOInstructionContext) throws -> Operation { .multiplyHigh }
}
