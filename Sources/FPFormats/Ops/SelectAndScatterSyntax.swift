import FPGraph

/// `select-and-scatter(operand, source, init_value)`: the window (`"window"`
/// sizes; `"stride"`, `"padding_low"`, `"padding_high"` optional), `"select"`
/// and `"scatter"` in the graph format; `window={...}`, `select=` and
/// `scatter=` in HLO.
struct SelectAndScatterSyntax: OpSpelling {
    let window: WindowConfig
    let select: String
    let scatter: String

    static let graphSpellings = [
        OpSyntax(
            name: "select-and-scatter",
            attributes: ["window", "stride", "padding_low", "padding_high", "select", "scatter"]
        ) { node in
            let window = WindowConfig(
                dimensions: try node.ints("window"), strides: try node.optionalInts("stride"),
                paddingLow: try node.optionalInts("padding_low"), paddingHigh: try node.optionalInts("padding_high"))
            return .selectAndScatter(
                window, select: try node.required("select").name(node.describe("select")),
                scatter: try node.required("scatter").name(node.describe("scatter")))
        }
    ]
    static let hloOpcodes = ["select-and-scatter"]
    static let hloAttributes: Set<String> = ["window", "select", "scatter"]

    var writtenCallees: WrittenCallees { .called([select, scatter]) }

    func write(into node: inout GraphNodeWriter) {
        let w = window
        let (s, t) = (node.written(select), node.written(scatter))
        node.operation = .selectAndScatter(w, select: s, scatter: t)
        node.attributes += [
            ("window", .ints(w.dimensions)), ("stride", .ints(w.strides)),
            ("padding_low", .ints(w.paddingLow)), ("padding_high", .ints(w.paddingHigh)),
            ("select", .string(s)), ("scatter", .string(t)),
        ]
    }

    func staticDType(of node: NodeSpec, in byName: [String: NodeSpec]) -> StaticDTypeStep {
        .follow(node.operands.first)
    }

    static func lower(_ context: inout HLOInstructionContext) throws -> Operation {
        let window = try context.optional("window") { try $0.parseWindow() } ?? WindowConfig(dimensions: [])
        let select = try context.computation("select")
        return .selectAndScatter(window, select: select, scatter: try context.computation("scatter"))
    }
}
