import FPGraph

/// `broadcast`: `"dimensions"` and a declared `shape` in the graph format;
/// `dimensions={...}` in HLO (which a scalar operand may omit, as in XLA).
struct BroadcastSyntax: OpSpelling {
    let dimensions: [Int]

    static let graphSpellings = [
        OpSyntax(name: "broadcast", attributes: ["dimensions"]) { node in
            let dims = try node.ints("dimensions")
            _ = try node.declared(node.shape, "shape")
            return .broadcast(dimensions: dims)
        }
    ]
    static let hloOpcodes = ["broadcast"]
    static let hloAttributes: Set<String> = ["dimensions"]

    var writtenCallees: WrittenCallees { .notPlanned }

    func write(into node: inout GraphNodeWriter) {
        node.shape = node.type?.dimensions
        node.attributes.append(("dimensions", .ints(dimensions)))
    }

    func staticDType(of node: NodeSpec, in byName: [String: NodeSpec]) -> StaticDTypeStep {
        .follow(node.operands.first)
    }

    static func lower(_ context: inout HLOInstructionContext) throws -> Operation {
        if let dims = try context.optional("dimensions", { try $0.parseBracedIntegers("the dimensions") }) {
            return .broadcast(dimensions: dims)
        }
        // As in XLA, a scalar operand may omit `dimensions={}`.
        guard context.operandType(0)?.arrayType?.rank == 0 else { throw context.missing("dimensions") }
        return .broadcast(dimensions: [])
    }
}
