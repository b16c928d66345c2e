import FPGraph

/// `reduce-window(inputs..., inits...)`: the window (`"window"` sizes;
/// `"stride"`, `"padding_low"`, `"padding_high"`, `"base_dilation"`,
/// `"window_dilation"` optional) and `"reducer"` in the graph format;
/// `window={...}` and `to_apply=` in HLO.
struct ReduceWindowSyntax: OpSpelling {
    let window: WindowConfig
    let reducer: String

    static let graphSpellings = [
        OpSyntax(
            name: "reduce-window",
            attributes: [
                "window", "stride", "padding_low", "padding_high", "base_dilation", "window_dilation",
                "reducer",
            ]
        ) { node in
            let window = WindowConfig(
                dimensions: try node.ints("window"), strides: try node.optionalInts("stride"),
                paddingLow: try node.optionalInts("padding_low"),
                paddingHigh: try node.optionalInts("padding_high"),
                baseDilations: try node.optionalInts("base_dilation"),
                windowDilations: try node.optionalInts("window_dilation"))
            return .reduceWindow(window, reducer: try node.required("reducer").name(node.describe("reducer")))
        }
    ]
    static let hloOpcodes = ["reduce-window"]
    static let hloAttributes: Set<String> = ["window", "to_apply"]

    var writtenCallees: WrittenCallees { .called([reducer]) }

    /// Every window attribute, and the reducer under its written name.
    func write(into node: inout GraphNodeWriter) {
        let w = window
        let written = node.written(reducer)
        node.operation = .reduceWindow(w, reducer: written)
        node.attributes += [
            ("window", .ints(w.dimensions)), ("stride", .ints(w.strides)),
            ("padding_low", .ints(w.paddingLow)), ("padding_high", .ints(w.paddingHigh)),
            ("base_dilation", .ints(w.baseDilations)), ("window_dilation", .ints(w.windowDilations)),
            ("reducer", .string(written)),
        ]
    }

    /// The dtype of the init value for one input; unknown for several.
    func staticDType(of node: NodeSpec, in byName: [String: NodeSpec]) -> StaticDTypeStep {
        guard node.operands.count == 2 else {
            return node.operands.count.isMultiple(of: 2) ? .unknown : .broken
        }
        return .follow(node.operands[1])
    }

    static func lower(_ context: inout HLOInstructionContext) throws -> Operation {
        let window = try context.optional("window") { try $0.parseWindow() } ?? WindowConfig(dimensions: [])
        return .reduceWindow(window, reducer: try context.computation("to_apply"))
    }
}
