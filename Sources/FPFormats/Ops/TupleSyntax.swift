import FPGraph

/// `tuple(operands...)`: no attributes, and (its result being a tuple) no
/// declared `dtype` or `shape` in the graph format.
struct TupleSyntax: OpSpelling {
    static let graphSpellings = [OpSyntax(name: "tuple", attributes: [], allowsDeclaredType: false) { _ in .tuple }]
    static let hloOpcodes = ["tuple"]
    static let hloAttributes: Set<String> = []

    var writtenCallees: WrittenCallees { .notPlanned }

    func write(into node: inout GraphNodeWriter) {}

    func staticDType(of node: NodeSpec, in byName: [String: NodeSpec]) -> StaticDTypeStep { .unknown }

    /// Element `index` is operand `index`.
    func staticDType(ofElement index: Int, of node: NodeSpec) -> StaticDTypeStep {
        .follow(node.operands.indices.contains(index) ? node.operands[index] : nil)
    }

    static func lower(_ context: inout HLOInstructionContext) throws -> Operation { .tuple }
}
