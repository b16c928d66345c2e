import FPGraph

/// `get-tuple-element`: `"index"` in the graph format; `index=` in HLO.
struct GetTupleElementSyntax: OpSpelling {
    let index: Int

    static let graphSpellings = [
        OpSyntax(name: "get-tuple-element", attributes: ["index"]) { node in
            .getTupleElement(index: try node.int("index"))
        }
    ]
    static let hloOpcodes = ["get-tuple-element"]
    static let hloAttributes: Set<String> = ["index"]

    var writtenCallees: WrittenCallees { .notPlanned }

    func write(into node: inout GraphNodeWriter) {
        node.attributes.append(("index", .int(index)))
    }

    /// Where the tuple's element `index` takes its dtype from (its op says).
    func staticDType(of node: NodeSpec, in byName: [String: NodeSpec]) -> StaticDTypeStep {
        guard let tupleName = node.operands.first, let tuple = byName[tupleName] else { return .broken }
        return tuple.operation.spelling.staticDType(ofElement: index, of: tuple)
    }

    static func lower(_ context: inout HLOInstructionContext) throws -> Operation {
        .getTupleElement(index: try context.required("index") { try $0.parseInteger("the tuple index") })
    }
}
