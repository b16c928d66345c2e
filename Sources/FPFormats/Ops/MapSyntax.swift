import FPGraph

/// `map(operands...)`: `"computation"` in the graph format; `to_apply=` in
/// HLO, with `dimensions=` (every operand dimension, in order) optional.
struct MapSyntax: OpSpelling {
    let computation: String

    static let graphSpellings = [
        OpSyntax(name: "map", attributes: ["computation"]) { node in
            .map(computation: try node.required("computation").name(node.describe("computation")))
        }
    ]
    static let hloOpcodes = ["map"]
    static let hloAttributes: Set<String> = ["dimensions", "to_apply"]

    var writtenCallees: WrittenCallees { .called([computation]) }

    func write(into node: inout GraphNodeWriter) {
        let written = node.written(computation)
        node.operation = .map(computation: written)
        node.attributes.append(("computation", .string(written)))
    }

    func staticDType(of node: NodeSpec, in byName: [String: NodeSpec]) -> StaticDTypeStep { .unknown }

    static func lower(_ context: inout HLOInstructionContext) throws -> Operation {
        // XLA's map applies over every dimension, in order: `dimensions={0,...,rank-1}` (or omitted).
        if let a = context.attributes.take("dimensions") {
            let dims = try context.lowering.read(a) { try $0.parseBracedIntegers("the dimensions") }
            if let rank = context.operandType(0)?.arrayType?.rank, dims != Array(0..<rank) {
                throw FormatError.invalidValue(
                    what: "'dimensions' of map '\(context.name)'",
                    message:
                        "must be every operand dimension in order, {\((0..<rank).map(String.init).joined(separator: ","))}",
                    location: a.valueLocation)
            }
        }
        return .map(computation: try context.computation("to_apply"))
    }
}
