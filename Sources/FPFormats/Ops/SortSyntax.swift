import FPGraph

/// `sort(operands...)`: `"dimension"`, the optional `"stable"` and
/// `"comparator"` in the graph format; `dimensions={d}` (exactly one),
/// `is_stable=` and `to_apply=` in HLO.
struct SortSyntax: OpSpelling {
    let dimension: Int
    let isStable: Bool
    let comparator: String

    static let graphSpellings = [
        OpSyntax(name: "sort", attributes: ["dimension", "stable", "comparator"]) { node in
            .sort(
                dimension: try node.int("dimension"), isStable: try node.optionalBool("stable") ?? false,
                comparator: try node.required("comparator").name(node.describe("comparator")))
        }
    ]
    static let hloOpcodes = ["sort"]
    static let hloAttributes: Set<String> = ["dimensions", "is_stable", "to_apply"]

    var writtenCallees: WrittenCallees { .called([comparator]) }

    /// `stable` only when true.
    func write(into node: inout GraphNodeWriter) {
        let written = node.written(comparator)
        node.operation = .sort(dimension: dimension, isStable: isStable, comparator: written)
        node.attributes.append(("dimension", .int(dimension)))
        if isStable { node.attributes.append(("stable", .bool(true))) }
        node.attributes.append(("comparator", .string(written)))
    }

    /// The operand's dtype when there is one operand; unknown for several.
    func staticDType(of node: NodeSpec, in byName: [String: NodeSpec]) -> StaticDTypeStep {
        node.operands.count == 1 ? .follow(node.operands.first) : .unknown
    }

    static func lower(_ context: inout HLOInstructionContext) throws -> Operation {
        let dims = try context.required("dimensions") { try $0.parseBracedIntegers("the dimensions") }
        guard dims.count == 1 else {
            throw FormatError.invalidValue(
                what: "'dimensions' of sort '\(context.name)'",
                message: "must name exactly one dimension, found \(dims.count)",
                location: context.instruction.opcodeLocation)
        }
        return .sort(
            dimension: dims[0], isStable: try context.flag("is_stable"), comparator: try context.computation("to_apply")
        )
    }
}
