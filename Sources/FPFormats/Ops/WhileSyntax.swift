import FPGraph

/// `while(init)`: `"condition"` and `"body"` (computation names) in the graph
/// format; `condition=` and `body=` in HLO.
struct WhileSyntax: OpSpelling {
    let condition: String
    let body: String

    static let graphSpellings = [
        OpSyntax(name: "while", attributes: ["condition", "body"]) { node in
            .whileLoop(
                condition: try node.required("condition").name(node.describe("condition")),
                body: try node.required("body").name(node.describe("body")))
        }
    ]
    static let hloOpcodes = ["while"]
    static let hloAttributes: Set<String> = ["condition", "body"]

    var writtenCallees: WrittenCallees { .called([condition, body]) }

    func write(into node: inout GraphNodeWriter) {
        let (c, b) = (node.written(condition), node.written(body))
        node.operation = .whileLoop(condition: c, body: b)
        node.attributes += [("condition", .string(c)), ("body", .string(b))]
    }

    func staticDType(of node: NodeSpec, in byName: [String: NodeSpec]) -> StaticDTypeStep { .unknown }

    static func lower(_ context: inout HLOInstructionContext) throws -> Operation {
        let condition = try context.computation("condition")
        return .whileLoop(condition: condition, body: try context.computation("body"))
    }
}
