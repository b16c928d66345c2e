import FPGraph

/// `pad(operand, padding_value)`: `"low"`, `"high"` and the optional
/// `"interior"` (default 0) in the graph format; `padding=` (`low_high[_interior]`
/// per dimension, joined by `x`) in HLO.
struct PadSyntax: OpSpelling {
    let padding: PaddingConfig

    static let graphSpellings = [
        OpSyntax(name: "pad", attributes: ["low", "high", "interior"]) { node in
            let low = try node.ints("low")
            let high = try node.ints("high")
            let interior = try node.optionalInts("interior") ?? [Int](repeating: 0, count: low.count)
            return .pad(PaddingConfig(low: low, high: high, interior: interior))
        }
    ]
    static let hloOpcodes = ["pad"]
    static let hloAttributes: Set<String> = ["padding"]

    var writtenCallees: WrittenCallees { .notPlanned }

    /// The interior padding only when some is not 0.
    func write(into node: inout GraphNodeWriter) {
        let p = padding
        node.attributes += [("low", .ints(p.low)), ("high", .ints(p.high))]
        if p.interior.contains(where: { $0 != 0 }) { node.attributes.append(("interior", .ints(p.interior))) }
    }

    func staticDType(of node: NodeSpec, in byName: [String: NodeSpec]) -> StaticDTypeStep {
        .follow(node.operands.first)
    }

    static func lower(_ context: inout HLOInstructionContext) throws -> Operation {
        .pad(try context.required("padding") { try $0.parsePaddingConfig() })
    }
}
