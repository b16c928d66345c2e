import FPGraph

/// `reshape`: the graph format requires the node to declare its `shape`.
struct ReshapeSyntax: OpSpelling {
    static let graphSpellings = [
        OpSyntax(name: "reshape", attributes: []) { node in
            _ = try node.declared(node.shape, "shape")
            return .reshape
        }
    ]
    static let hloOpcodes = ["reshape"]
    static let hloAttributes: Set<String> = []

    var writtenCallees: WrittenCallees { .notPlanned }

    func write(into node: inout GraphNodeWriter) {
        node.shape = node.type?.dimensions
    }

    func staticDType(of node: NodeSpec, in byName: [String: NodeSpec]) -> StaticDTypeStep {
        .follow(node.operands.first)
    }

    static func lower(_ context: inout HLOInstructionContext) throws -> Operation { .reshape }
}
