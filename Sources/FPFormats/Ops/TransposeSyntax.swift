import FPGraph

/// `transpose`: `"permutation"` in the graph format; `dimensions={...}` in HLO.
struct TransposeSyntax: OpSpelling {
    let permutation: [Int]

    static let graphSpellings = [
        OpSyntax(name: "transpose", attributes: ["permutation"]) { node in
            .transpose(permutation: try node.ints("permutation"))
        }
    ]
    static let hloOpcodes = ["transpose"]
    static let hloAttributes: Set<String> = ["dimensions"]

    var writtenCallees: WrittenCallees { .notPlanned }

    func write(into node: inout GraphNodeWriter) {
        node.attributes.append(("permutation", .ints(permutation)))
    }

    func staticDType(of node: NodeSpec, in byName: [String: NodeSpec]) -> StaticDTypeStep {
        .follow(node.operands.first)
    }

    static func lower(_ context: inout HLOInstructionContext) throws -> Operation {
        .transpose(permutation: try context.required("dimensions") { try $0.parseBracedIntegers("the dimensions") })
    }
}
