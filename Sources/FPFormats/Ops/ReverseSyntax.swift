import FPGraph

/// `reverse`: `"dimensions"` in the graph format; `dimensions={...}` in HLO.
struct ReverseSyntax: OpSpelling {
    let dimensions: [Int]

    static let graphSpellings = [
        OpSyntax(name: "reverse", attributes: ["dimensions"]) { node in
            .reverse(dimensions: try node.ints("dimensions"))
        }
    ]
    static let hloOpcodes = ["reverse"]
    static let hloAttributes: Set<String> = ["dimensions"]

    var writtenCallees: WrittenCallees { .notPlanned }

    func write(into node: inout GraphNodeWriter) {
        node.attributes.append(("dimensions", .ints(dimensions)))
    }

    func staticDType(of node: NodeSpec, in byName: [String: NodeSpec]) -> StaticDTypeStep {
        .follow(node.operands.first)
    }

    static func lower(_ context: inout HLOInstructionContext) throws -> Operation {
        .reverse(dimensions: try context.required("dimensions") { try $0.parseBracedIntegers("the dimensions") })
    }
}
