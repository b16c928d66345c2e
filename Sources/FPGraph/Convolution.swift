/// Which dimension of each operand and of the result plays which role in an
/// XLA `convolution` (XLA's `ConvolutionDimensionNumbers`, written in HLO
/// text as `dim_labels=b01f_01io->b01f`).
///
/// The input (lhs) has a batch, a feature and N spatial dimensions; the
/// kernel (rhs) an input-feature, an output-feature and N spatial
/// dimensions; the result a batch, a feature and N spatial dimensions.
/// Spatial dimension `k` of the three is paired with window dimension `k`.
public struct ConvolutionDimensions: Hashable, Sendable {
    /// The input's batch dimension (`b` in the lhs labels).
    public var inputBatch: Int
    /// The input's feature dimension (`f` in the lhs labels).
    public var inputFeature: Int
    /// The input's spatial dimensions, in window order (`0`, `1`, ... in the lhs labels).
    public var inputSpatial: [Int]
    /// The kernel's input-feature dimension (`i` in the rhs labels).
    public var kernelInputFeature: Int
    /// The kernel's output-feature dimension (`o` in the rhs labels).
    public var kernelOutputFeature: Int
    /// The kernel's spatial dimensions, in window order.
    public var kernelSpatial: [Int]
    /// The result's batch dimension (`b` in the output labels).
    public var outputBatch: Int
    /// The result's feature dimension (`f` in the output labels).
    public var outputFeature: Int
    /// The result's spatial dimensions, in window order.
    public var outputSpatial: [Int]

    /// Creates dimension numbers from the role of each dimension.
    public init(
        inputBatch: Int, inputFeature: Int, inputSpatial: [Int], kernelInputFeature: Int,
        kernelOutputFeature: Int, kernelSpatial: [Int], outputBatch: Int, outputFeature: Int, outputSpatial: [Int]
    ) {
        self.inputBatch = inputBatch
        self.inputFeature = inputFeature
        self.inputSpatial = inputSpatial
        self.kernelInputFeature = kernelInputFeature
        self.kernelOutputFeature = kernelOutputFeature
        self.kernelSpatial = kernelSpatial
        self.outputBatch = outputBatch
        self.outputFeature = outputFeature
        self.outputSpatial = outputSpatial
    }

    /// The number of spatial dimensions (0 for a convolution that is a batched matrix product).
    public var spatialRank: Int { inputSpatial.count }

    /// Reads XLA's `dim_labels` text, `lhs_rhs->out` such as `b01f_01io->b01f`.
    ///
    /// Each of the three parts has one character per dimension: `b` and `f`
    /// (lhs, out) or `i` and `o` (rhs) once each, and the spatial digits
    /// `0` ... `N-1` once each, so all three parts have length N + 2.
    /// - Returns: the dimension numbers, or what is wrong with the text.
    public static func parse(labels text: String) -> Result<ConvolutionDimensions, IndexingError> {
        let arrow = text.components(separatedBy: "->")
        guard arrow.count == 2 else {
            return .failure(.init("dim_labels '\(text)' must have the form lhs_rhs->out, such as b01f_01io->b01f"))
        }
        let operands = arrow[0].split(separator: "_", omittingEmptySubsequences: false)
        guard operands.count == 2 else {
            return .failure(.init("dim_labels '\(text)' must have the form lhs_rhs->out, such as b01f_01io->b01f"))
        }
        let parts = [String(operands[0]), String(operands[1]), arrow[1]]
        let rank = parts[0].count
        guard rank >= 2, parts.allSatisfy({ $0.count == rank }) else {
            return .failure(
                .init(
                    "dim_labels '\(text)': lhs, rhs and output labels must have the same length, at least 2 (\(parts.joined(separator: ", ")))"
                ))
        }
        let roles: [(String, Character, Character)] = [("lhs", "b", "f"), ("rhs", "i", "o"), ("output", "b", "f")]
        var found: [(first: Int, second: Int, spatial: [Int])] = []
        for (part, (what, first, second)) in zip(parts, roles) {
            var a: Int?
            var b: Int?
            var spatial = [Int?](repeating: nil, count: rank - 2)
            for (position, ch) in part.enumerated() {
                if ch == first, a == nil {
                    a = position
                } else if ch == second, b == nil {
                    b = position
                } else if let digit = ch.wholeNumberValue, ch.isASCII, digit < rank - 2, spatial[digit] == nil {
                    spatial[digit] = position
                } else {
                    let expected =
                        "'\(first)', '\(second)'" + (rank > 2 ? " and the digits 0...\(rank - 3)" : "") + ", each once"
                    return .failure(
                        .init(
                            "dim_labels '\(text)': \(what) labels '\(part)' have '\(ch)' where \(expected) are expected"
                        ))
                }
            }
            guard let a, let b, spatial.allSatisfy({ $0 != nil }) else {
                return .failure(
                    .init(
                        "dim_labels '\(text)': \(what) labels '\(part)' must contain '\(first)', '\(second)' and every spatial digit"
                    ))
            }
            found.append((a, b, spatial.map { $0! }))
        }
        return .success(
            ConvolutionDimensions(
                inputBatch: found[0].first, inputFeature: found[0].second, inputSpatial: found[0].spatial,
                kernelInputFeature: found[1].first, kernelOutputFeature: found[1].second,
                kernelSpatial: found[1].spatial, outputBatch: found[2].first, outputFeature: found[2].second,
                outputSpatial: found[2].spatial))
    }

    /// XLA's `dim_labels` text for these dimension numbers (`b01f_01io->b01f`).
    ///
    /// Only meaningful for well-formed numbers (each part a permutation); at
    /// most 10 spatial dimensions have digit labels.
    public var labels: String {
        func part(_ first: Int, _ a: Character, _ second: Int, _ b: Character, _ spatial: [Int]) -> String {
            var chars = [Character](repeating: "?", count: spatial.count + 2)
            func put(_ position: Int, _ ch: Character) { if chars.indices.contains(position) { chars[position] = ch } }
            put(first, a)
            put(second, b)
            for (k, position) in spatial.enumerated() {
                put(position, k < 10 ? Character(String(k)) : "?")
            }
            return String(chars)
        }
        return part(inputBatch, "b", inputFeature, "f", inputSpatial) + "_"
            + part(kernelInputFeature, "i", kernelOutputFeature, "o", kernelSpatial) + "->"
            + part(outputBatch, "b", outputFeature, "f", outputSpatial)
    }

    /// Why the numbers are not a permutation of each operand's dimensions, if they are not.
    func problem() -> IndexingError? {
        let n = inputSpatial.count
        guard kernelSpatial.count == n, outputSpatial.count == n else {
            return .init(
                "input, kernel and output must have the same number of spatial dimensions, got \(n), \(kernelSpatial.count) and \(outputSpatial.count)"
            )
        }
        let rank = n + 2
        for (what, dims) in [
            ("input", [inputBatch, inputFeature] + inputSpatial),
            ("kernel", [kernelInputFeature, kernelOutputFeature] + kernelSpatial),
            ("output", [outputBatch, outputFeature] + outputSpatial),
        ] where dims.sorted() != Array(0..<rank) {
            return .init("the \(what) dimension numbers \(dims) must contain each of 0..<\(rank) exactly once")
        }
        return nil
    }
}

/// Everything that defines an XLA `convolution(lhs, rhs)` besides its operands.
///
/// Output element at batch `b`, feature `o` and spatial position `s` is
///
/// ```
/// sum over window positions k (row-major, spatial dimension 0 outermost)
///     and kernel input features i (innermost) of
///     lhs[batch: b + g_b * (N / batch_group_count),
///         feature: g_f * I + i,
///         spatial: (s * stride - padding_low + k * rhs_dilation) / lhs_dilation]
///   * rhs[input feature: i, output feature: o, spatial: reversed ? size - 1 - k : k]
/// ```
///
/// where `I` is the kernel's input-feature size, `g_f = o / (O / feature_group_count)`,
/// `g_b = o / (O / batch_group_count)` for `O` output features, and a window
/// position that falls into padding or between dilated input elements
/// contributes nothing (it is a +0 term).
public struct ConvolutionAttributes: Hashable, Sendable {
    /// The role of each dimension.
    public var dimensions: ConvolutionDimensions
    /// Window size (the kernel's spatial sizes), strides, padding and dilations, one entry per spatial dimension.
    /// `baseDilations` is XLA's `lhs_dilate`, `windowDilations` its `rhs_dilate`.
    public var window: WindowConfig
    /// Per spatial dimension, whether the kernel is read back to front (XLA's `rhs_reversal`).
    public var windowReversal: [Bool]
    /// The input features split into this many groups, each convolved with its own slice of the kernel.
    public var featureGroupCount: Int
    /// The input batch split into this many groups, each producing its own slice of the output features.
    public var batchGroupCount: Int

    /// Creates convolution attributes; no reversal and one group of each kind by default.
    public init(
        dimensions: ConvolutionDimensions, window: WindowConfig, windowReversal: [Bool]? = nil,
        featureGroupCount: Int = 1, batchGroupCount: Int = 1
    ) {
        self.dimensions = dimensions
        self.window = window
        self.windowReversal = windowReversal ?? [Bool](repeating: false, count: window.dimensions.count)
        self.featureGroupCount = featureGroupCount
        self.batchGroupCount = batchGroupCount
    }

    /// The result's dimensions for these operands, or why the attributes do not fit them
    /// (XLA's shape inference for convolution; every size computed with overflow checks).
    public func resultDimensions(lhs: ArrayType, rhs: ArrayType) -> Result<[Int], IndexingError> {
        let d = dimensions
        if let problem = d.problem() { return .failure(problem) }
        let n = d.spatialRank
        let w = window
        guard
            [
                w.dimensions.count, w.strides.count, w.paddingLow.count, w.paddingHigh.count, w.baseDilations.count,
                w.windowDilations.count, windowReversal.count,
            ].allSatisfy({ $0 == n })
        else {
            return .failure(.init("the window must have one entry per spatial dimension (\(n)) in every field"))
        }
        guard lhs.rank == n + 2, rhs.rank == n + 2 else {
            return .failure(
                .init("lhs \(lhs) and rhs \(rhs) must both have rank \(n + 2) (\(n) spatial dimensions + 2)"))
        }
        guard featureGroupCount >= 1, batchGroupCount >= 1 else {
            return .failure(
                .init(
                    "feature_group_count (\(featureGroupCount)) and batch_group_count (\(batchGroupCount)) must be at least 1"
                ))
        }
        guard featureGroupCount == 1 || batchGroupCount == 1 else {
            return .failure(.init("feature_group_count and batch_group_count cannot both be greater than 1"))
        }
        let inputFeatures = lhs.dimensions[d.inputFeature]
        let batch = lhs.dimensions[d.inputBatch]
        let kernelInput = rhs.dimensions[d.kernelInputFeature]
        let kernelOutput = rhs.dimensions[d.kernelOutputFeature]
        if kernelOutput % batchGroupCount != 0 {
            return .failure(
                .init(
                    "the kernel's output features (\(kernelOutput)) must be a multiple of batch_group_count (\(batchGroupCount))"
                ))
        }
        if inputFeatures % featureGroupCount != 0 || inputFeatures / featureGroupCount != kernelInput {
            return .failure(
                .init(
                    "the input features (\(inputFeatures)) divided by feature_group_count (\(featureGroupCount)) must equal the kernel's input features (\(kernelInput))"
                ))
        }
        if kernelOutput % featureGroupCount != 0 {
            return .failure(
                .init(
                    "the kernel's output features (\(kernelOutput)) must be a multiple of feature_group_count (\(featureGroupCount))"
                ))
        }
        if batch % batchGroupCount != 0 {
            return .failure(
                .init("the input batch (\(batch)) must be a multiple of batch_group_count (\(batchGroupCount))"))
        }
        var result = [Int](repeating: 0, count: n + 2)
        result[d.outputBatch] = batch / batchGroupCount
        result[d.outputFeature] = kernelOutput
        for k in 0..<n {
            let size = w.dimensions[k]
            guard size == rhs.dimensions[d.kernelSpatial[k]] else {
                return .failure(
                    .init(
                        "window size \(w.dimensions) does not match the kernel's spatial sizes \(d.kernelSpatial.map { rhs.dimensions[$0] })"
                    ))
            }
            guard size >= 1, w.strides[k] >= 1, w.baseDilations[k] >= 1, w.windowDilations[k] >= 1 else {
                return .failure(
                    .init("window sizes, strides and dilations must be at least 1 (spatial dimension \(k))"))
            }
            guard
                let extent = Self.outputExtent(
                    input: lhs.dimensions[d.inputSpatial[k]], size: size, stride: w.strides[k],
                    low: w.paddingLow[k], high: w.paddingHigh[k], lhsDilation: w.baseDilations[k],
                    rhsDilation: w.windowDilations[k])
            else {
                return .failure(
                    .init("the window of spatial dimension \(k) gives a size that overflows or a negative padded input")
                )
            }
            result[d.outputSpatial[k]] = extent
        }
        return .success(result)
    }

    /// The number of output positions along one spatial dimension (XLA's
    /// window output size), or nil when a size overflows or padding leaves a
    /// negative input.
    static func outputExtent(
        input: Int, size: Int, stride: Int, low: Int, high: Int, lhsDilation: Int, rhsDilation: Int
    ) -> Int? {
        func mul(_ a: Int, _ b: Int) -> Int? {
            let (r, o) = a.multipliedReportingOverflow(by: b)
            return o ? nil : r
        }
        func add(_ a: Int, _ b: Int) -> Int? {
            let (r, o) = a.addingReportingOverflow(b)
            return o ? nil : r
        }
        let dilatedInput = input == 0 ? 0 : mul(input - 1, lhsDilation).flatMap { add($0, 1) }
        guard let dilatedInput, let padded = add(dilatedInput, low).flatMap({ add($0, high) }), padded >= 0,
            let dilatedWindow = mul(size - 1, rhsDilation).flatMap({ add($0, 1) })
        else { return nil }
        if padded == 0 || dilatedWindow > padded { return 0 }
        return (padded - dilatedWindow) / stride + 1
    }

    /// The number of products summed into each output element: the kernel's
    /// input features times the window's size (saturating).
    public func termsPerOutput(rhs: ArrayType) -> Int {
        rhs.elementCount / max(1, rhs.dimensions[dimensions.kernelOutputFeature])
    }

    /// Where the terms of every output element are, in a form whose size grows
    /// with the output and the window, not with their product (see ``ConvolutionTerms``).
    ///
    /// The attributes must be valid for `lhs`, `rhs` and `result`.
    public func terms(lhs: ArrayType, rhs: ArrayType, result: [Int]) -> ConvolutionTerms {
        let d = dimensions
        let w = window
        let n = d.spatialRank
        let (ls, rs) = (lhs.strides, rhs.strides)
        let features = rhs.dimensions[d.kernelInputFeature]
        let outputFeatures = rhs.dimensions[d.kernelOutputFeature]
        let perFeatureGroup = max(1, outputFeatures / featureGroupCount)
        let perBatchGroup = max(1, outputFeatures / batchGroupCount)
        let batchGroupSize = lhs.dimensions[d.inputBatch] / batchGroupCount
        let outputSpatial = d.outputSpatial.map { result[$0] }
        // Per window position: the kernel's spatial offset.
        var kernelOffsets: [Int] = []
        forEachIndex(w.dimensions) { k in
            kernelOffsets.append(
                (0..<n).reduce(0) { sum, s in
                    sum + (windowReversal[s] ? w.dimensions[s] - 1 - k[s] : k[s]) * rs[d.kernelSpatial[s]]
                })
        }
        // Per output spatial position and window position: the input's spatial offset, or -1.
        var inputOffsets: [Int] = []
        forEachIndex(outputSpatial) { position in
            forEachIndex(w.dimensions) { k in
                var offset = 0
                for s in 0..<n {
                    let dilated = position[s] * w.strides[s] - w.paddingLow[s] + k[s] * w.windowDilations[s]
                    let x = dilated / w.baseDilations[s]
                    guard dilated >= 0, dilated % w.baseDilations[s] == 0, x < lhs.dimensions[d.inputSpatial[s]] else {
                        offset = -1
                        break
                    }
                    offset += x * ls[d.inputSpatial[s]]
                }
                inputOffsets.append(offset)
            }
        }
        let spatialStrides = ArrayType(.f32, outputSpatial).strides
        var outputs: [ConvolutionTerms.Output] = []
        forEachIndex(result) { out in
            let o = out[d.outputFeature]
            let batch = out[d.outputBatch] + (o / perBatchGroup) * batchGroupSize
            let firstFeature = (o / perFeatureGroup) * features
            let spatial = (0..<n).reduce(0) { $0 + out[d.outputSpatial[$1]] * spatialStrides[$1] }
            outputs.append(
                .init(
                    lhsBase: batch * ls[d.inputBatch] + firstFeature * ls[d.inputFeature],
                    rhsBase: o * rs[d.kernelOutputFeature], spatial: spatial))
        }
        return ConvolutionTerms(
            outputs: outputs, inputOffsets: inputOffsets, kernelOffsets: kernelOffsets, features: features,
            lhsFeatureStride: ls[d.inputFeature], rhsFeatureStride: rs[d.kernelInputFeature])
    }

    /// The flat operand positions of every term of every output element:
    /// `lhs[o * terms + t]` times `rhs[o * terms + t]`, or -1 for a +0 term (see
    /// ``ConvolutionTerms``). Memory grows with outputs × terms: for tests and small graphs.
    public func termPositions(lhs: ArrayType, rhs: ArrayType, result: [Int]) -> (lhs: [Int], rhs: [Int], terms: Int) {
        let t = terms(lhs: lhs, rhs: rhs, result: result)
        var (l, r) = ([Int](), [Int]())
        for o in t.outputs.indices {
            t.forEachTerm(of: o) { _, a, b in
                l.append(a)
                r.append(b)
            }
        }
        return (l, r, t.count)
    }
}

/// The terms of each output element of a convolution, factorised: output `o`
/// sums, over window positions `p` (row-major, spatial dimension 0 outermost)
/// and then kernel input features `i` (innermost),
///
/// ```
/// lhs[outputs[o].lhsBase + inputOffsets[outputs[o].spatial * W + p] + i * lhsFeatureStride]
///   * rhs[outputs[o].rhsBase + kernelOffsets[p] + i * rhsFeatureStride]
/// ```
///
/// where `W` is the window's size; an input offset of -1 (padding, or a hole
/// of the lhs dilation) makes the `features` terms of that window position +0.
public struct ConvolutionTerms: Sendable {
    /// Where one output element's operands start.
    public struct Output: Sendable, Equatable {
        /// The flat lhs position of its batch and first input feature of its group.
        public var lhsBase: Int
        /// The flat rhs position of its output feature.
        public var rhsBase: Int
        /// The row-major index of its spatial position among the output's spatial positions.
        public var spatial: Int
    }

    /// One entry per output element, row-major.
    public var outputs: [Output]
    /// Per output spatial position and window position: the lhs spatial offset, or -1.
    public var inputOffsets: [Int]
    /// Per window position: the rhs spatial offset (reversed where the window is).
    public var kernelOffsets: [Int]
    /// The kernel's input features (per feature group).
    public var features: Int
    /// The lhs's stride along its feature dimension.
    public var lhsFeatureStride: Int
    /// The rhs's stride along its input-feature dimension.
    public var rhsFeatureStride: Int

    /// Terms per output element: window positions × input features.
    public var count: Int { kernelOffsets.count * features }

    /// Calls `body(t, lhs, rhs)` for each term `t` of output `o` in order, with
    /// the flat operand positions, both -1 for a +0 term.
    @inlinable
    public func forEachTerm(of o: Int, _ body: (Int, Int, Int) -> Void) {
        let output = outputs[o]
        let window = kernelOffsets.count
        var t = 0
        for p in 0..<window {
            let input = inputOffsets[output.spatial * window + p]
            for i in 0..<features {
                if input < 0 {
                    body(t, -1, -1)
                } else {
                    body(
                        t, output.lhsBase + input + i * lhsFeatureStride,
                        output.rhsBase + kernelOffsets[p] + i * rhsFeatureStride)
                }
                t += 1
            }
        }
    }
}
