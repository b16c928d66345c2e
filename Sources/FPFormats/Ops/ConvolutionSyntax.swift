import FPGraph

/// `convolution(lhs, rhs)`: `"dim_labels"` (XLA's `b01f_01io->b01f` text),
/// the window and the group counts in the graph format; `dim_labels=`,
/// `window={...}`, `feature_group_count=`, `batch_group_count=` in HLO.
struct ConvolutionSyntax: OpSpelling {
    let attributes: ConvolutionAttributes

    static let graphSpellings = [
        OpSyntax(
            name: "convolution",
            attributes: [
                "dim_labels", "window", "stride", "padding_low", "padding_high", "lhs_dilation", "rhs_dilation",
                "rhs_reversal", "feature_group_count", "batch_group_count",
            ]
        ) { node in .convolution(try readAttributes(node)) }
    ]
    static let hloOpcodes = ["convolution"]
    static let hloAttributes: Set<String> = ["dim_labels", "window", "feature_group_count", "batch_group_count"]

    /// The attributes of a `convolution` node: `dim_labels` (XLA's
    /// `b01f_01io->b01f` text), the window (`window` sizes; `stride`,
    /// `padding_low`, `padding_high`, `lhs_dilation`, `rhs_dilation`,
    /// `rhs_reversal` optional), `feature_group_count` and `batch_group_count`
    /// (default 1).
    private static func readAttributes(_ node: GraphNodeReader) throws -> ConvolutionAttributes {
        let labelsValue = try node.required("dim_labels")
        let labels = try labelsValue.string(node.describe("dim_labels"))
        let dimensions: ConvolutionDimensions
        switch ConvolutionDimensions.parse(labels: labels) {
        case .success(let d): dimensions = d
        case .failure(let problem):
            throw FormatError.invalidValue(
                what: node.describe("dim_labels"), message: problem.message, location: labelsValue.location)
        }
        func optionalInts(_ key: String) throws -> [Int]? { try node.optional(key)?.intArray(node.describe(key)) }
        func optionalInt(_ key: String) throws -> Int? { try node.optional(key)?.int(node.describe(key)) }
        let sizes = try optionalInts("window") ?? []
        var reversal: [Bool]?
        if let value = node.optional("rhs_reversal") {
            let flags = try value.intArray(node.describe("rhs_reversal"))
            guard flags.allSatisfy({ $0 == 0 || $0 == 1 }) else {
                throw FormatError.invalidValue(
                    what: node.describe("rhs_reversal"), message: "expected 0 or 1 per spatial dimension",
                    location: value.location)
            }
            reversal = flags.map { $0 == 1 }
        }
        let window = WindowConfig(
            dimensions: sizes, strides: try optionalInts("stride"), paddingLow: try optionalInts("padding_low"),
            paddingHigh: try optionalInts("padding_high"), baseDilations: try optionalInts("lhs_dilation"),
            windowDilations: try optionalInts("rhs_dilation"))
        return ConvolutionAttributes(
            dimensions: dimensions, window: window, windowReversal: reversal,
            featureGroupCount: try optionalInt("feature_group_count") ?? 1,
            batchGroupCount: try optionalInt("batch_group_count") ?? 1)
    }

    var writtenCallees: WrittenCallees { .notPlanned }

    /// The attributes; the result dtype when it is not the lhs's.
    func write(into node: inout GraphNodeWriter) {
        node.attributes += Self.jsonAttributes(attributes)
        if let result = node.type?.dtype, let lhs = node.operandDType(0), result != lhs {
            node.dtype = result
        }
    }

    /// A `convolution` node's JSON attributes, in the order the reader documents;
    /// reversal and group counts only when they are not the defaults.
    static func jsonAttributes(_ a: ConvolutionAttributes) -> [(String, JSONOutput)] {
        let w = a.window
        var attributes: [(String, JSONOutput)] = [
            ("dim_labels", .string(a.dimensions.labels)), ("window", .ints(w.dimensions)), ("stride", .ints(w.strides)),
            ("padding_low", .ints(w.paddingLow)), ("padding_high", .ints(w.paddingHigh)),
            ("lhs_dilation", .ints(w.baseDilations)), ("rhs_dilation", .ints(w.windowDilations)),
        ]
        if a.windowReversal.contains(true) {
            attributes.append(("rhs_reversal", .ints(a.windowReversal.map { $0 ? 1 : 0 })))
        }
        if a.featureGroupCount != 1 { attributes.append(("feature_group_count", .int(a.featureGroupCount))) }
        if a.batchGroupCount != 1 { attributes.append(("batch_group_count", .int(a.batchGroupCount))) }
        return attributes
    }

    func staticDType(of node: NodeSpec, in byName: [String: NodeSpec]) -> StaticDTypeStep {
        .follow(node.operands.first)
    }

    static func lower(_ context: inout HLOInstructionContext) throws -> Operation { try context.convolution() }
}

extension HLOInstructionContext {
    /// `convolution(lhs, rhs), window={...}, dim_labels=b01f_01io->b01f,
    /// feature_group_count=N, batch_group_count=M`; `operand_precision`
    /// (precision_config) is a speed/accuracy hint for the backend and is ignored.
    fileprivate mutating func convolution() throws -> Operation {
        guard let labels = attributes.take("dim_labels") else { throw missing("dim_labels") }
        // The lexer splits `b01f_01io->b01f` at the arrow: the tokens, joined, are the labels.
        let text = lowering.text(of: labels).replacingOccurrences(of: " ", with: "")
        let dimensions: ConvolutionDimensions
        switch ConvolutionDimensions.parse(labels: text) {
        case .success(let d): dimensions = d
        case .failure(let problem):
            throw FormatError.invalidValue(
                what: "'dim_labels' of convolution '\(name)'", message: problem.message, location: labels.valueLocation)
        }
        let (window, reversal) =
            try optional("window") { try $0.parseWindowWithReversal() } ?? (WindowConfig(dimensions: []), [])
        let featureGroups = try optional("feature_group_count") { try $0.parseInteger("the feature_group_count") }
        let batchGroups = try optional("batch_group_count") { try $0.parseInteger("the batch_group_count") }
        _ = attributes.take("operand_precision")
        return .convolution(
            ConvolutionAttributes(
                dimensions: dimensions, window: window, windowReversal: reversal,
                featureGroupCount: featureGroups ?? 1, batchGroupCount: batchGroups ?? 1))
    }
}
