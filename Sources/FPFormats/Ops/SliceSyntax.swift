import FPGraph

/// `slice`: `"start"`, `"limit"` and the optional `"stride"` (default 1) in
/// the graph format; `slice={[start:limit:stride], ...}` in HLO.
struct SliceSyntax: OpSpelling {
    let bounds: SliceBounds

    static let graphSpellings = [
        OpSyntax(name: "slice", attributes: ["start", "limit", "stride"]) { node in
            let starts = try node.ints("start")
            let limits = try node.ints("limit")
            let strides = try node.optionalInts("stride") ?? [Int](repeating: 1, count: starts.count)
            return .slice(SliceBounds(starts: starts, limits: limits, strides: strides))
        }
    ]
    static let hloOpcodes = ["slice"]
    static let hloAttributes: Set<String> = ["slice"]

    var writtenCallees: WrittenCallees { .notPlanned }

    /// The strides only when one is not 1.
    func write(into node: inout GraphNodeWriter) {
        let b = bounds
        node.attributes += [("start", .ints(b.starts)), ("limit", .ints(b.limits))]
        if b.strides.contains(where: { $0 != 1 }) { node.attributes.append(("stride", .ints(b.strides))) }
    }

    func staticDType(of node: NodeSpec, in byName: [String: NodeSpec]) -> StaticDTypeStep {
        .follow(node.operands.first)
    }

    static func lower(_ context: inout HLOInstructionContext) throws -> Operation {
        .slice(try context.required("slice") { try $0.parseSliceRanges() })
    }
}
