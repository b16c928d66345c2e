import FPGraph

/// `topk(x)`: `"k"`, the optional `"largest"` (default true) and
/// `"comparator"` in the graph format; `k=` and `largest=` in HLO, where XLA
/// CPU's `custom-call` with target `TopK` (one comparator in
/// `called_computations=`, returning (values, indices)) is read too.
struct TopKSyntax: OpSpelling {
    let k: Int
    let largest: Bool
    let comparator: String?

    static let graphSpellings = [
        OpSyntax(name: "topk", attributes: ["k", "largest", "comparator"]) { node in
            .topK(
                k: try node.int("k"), largest: try node.optionalBool("largest") ?? true,
                comparator: try node.optional("comparator")?.name(node.describe("comparator")))
        }
    ]
    static let hloOpcodes = ["topk"]
    static let hloCustomCallTargets = ["TopK"]
    static let hloAttributes: Set<String> = ["k", "largest", "custom_call_target", "called_computations"]

    var writtenCallees: WrittenCallees { comparator.map { .called([$0]) } ?? .notPlanned }

    /// `largest` only when false; the comparator when there is one.
    func write(into node: inout GraphNodeWriter) {
        node.attributes.append(("k", .int(k)))
        if !largest { node.attributes.append(("largest", .bool(false))) }
        if let comparator {
            let written = node.written(comparator)
            node.operation = .topK(k: k, largest: largest, comparator: written)
            node.attributes.append(("comparator", .string(written)))
        }
    }

    func staticDType(of node: NodeSpec, in byName: [String: NodeSpec]) -> StaticDTypeStep { .unknown }

    static func lower(_ context: inout HLOInstructionContext) throws -> Operation {
        if context.opcode == "custom-call" { return try context.topKCustomCall() }
        let k = try context.required("k") { try $0.parseInteger("the k") }
        return .topK(
            k: k,
            largest: try context.optional("largest") { try $0.parseIdentifierValue("true or false") != "false" }
                ?? true)
    }
}

extension HLOInstructionContext {
    /// XLA CPU's `custom-call(x), custom_call_target="TopK", called_computations={comparator}`
    /// (``HLOLowering/opcodeError(_:)`` refuses the other targets).
    fileprivate mutating func topKCustomCall() throws -> Operation {
        _ = attributes.take("custom_call_target")
        guard let list = attributes.take("called_computations") else { throw missing("called_computations") }
        let comparators = try lowering.read(list) { try $0.parseComputationList("the called_computations") }
        guard comparators.count == 1, case .tuple(let elements)? = declared,
            let values = elements.first?.arrayType, let k = values.dimensions.last
        else {
            throw FormatError.invalidValue(
                what: "custom-call '\(name)'",
                message: "a TopK custom-call has one comparator and returns (values, indices)",
                location: instruction.opcodeLocation)
        }
        return .topK(k: k, largest: true, comparator: try resolve(comparators[0]))
    }
}
