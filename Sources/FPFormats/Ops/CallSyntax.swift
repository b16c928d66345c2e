import FPGraph

/// `call(operands...)`: `"computation"` in the graph format; `to_apply=` in
/// HLO, where a `fusion` (`calls=`, its `kind=` kept as metadata) is a call too.
struct CallSyntax: OpSpelling {
    let computation: String

    static let graphSpellings = [
        OpSyntax(name: "call", attributes: ["computation"]) { node in
            .call(computation: try node.required("computation").name(node.describe("computation")))
        }
    ]
    static let hloOpcodes = ["call", "fusion"]
    static let hloAttributes: Set<String> = ["to_apply", "calls"]

    var writtenCallees: WrittenCallees { .called([computation]) }

    func write(into node: inout GraphNodeWriter) {
        let written = node.written(computation)
        node.operation = .call(computation: written)
        node.attributes.append(("computation", .string(written)))
    }

    func staticDType(of node: NodeSpec, in byName: [String: NodeSpec]) -> StaticDTypeStep { .unknown }

    static func lower(_ context: inout HLOInstructionContext) throws -> Operation {
        if context.opcode == "fusion" {
            if let kind = try context.optional("kind", { try $0.parseIdentifierValue("a fusion kind such as kLoop") }) {
                context.metadata["fusion_kind"] = kind
            }
            return .call(computation: try context.computation("calls"))
        }
        return .call(computation: try context.computation("to_apply"))
    }
}
