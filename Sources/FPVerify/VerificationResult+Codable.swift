import FPFormats
import FPGraph
import FPNumerics
import Foundation

// The one JSON schema of a verification's figures: `fpaudit.report/v1`
// (docs/report-format.md). Reports, trace reports and audit log entries all
// encode these types; nothing else describes them. Decoding also reads the
// spellings of `fpaudit.log-entry/v1` records (see docs/audit-log.md), so
// entries recorded before the schemas were unified still load and replay.

/// The coding key of a name only known at run time (a parameter's).
struct DynamicKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension SideMetrics: Codable {
    enum CodingKeys: String, CodingKey {
        case bits, ulps, relative, absolute, nonfinite, bitsHistogram = "bits_histogram"
        // `fpaudit.log-entry/v1` spellings, read only.
        case relativeMax = "relative_max", relativeMean = "relative_mean", absoluteMax = "absolute_max"
    }
    enum StatisticKeys: String, CodingKey { case max, mean }

    /// Encodes `{bits, ulps, relative: {max, mean}, absolute: {max}, nonfinite, bits_histogram}`.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(bits, forKey: .bits)
        try c.encode(ulps, forKey: .ulps)
        var relative = c.nestedContainer(keyedBy: StatisticKeys.self, forKey: .relative)
        try relative.encode(relativeMax, forKey: .max)
        try relative.encode(relativeMean, forKey: .mean)
        var absolute = c.nestedContainer(keyedBy: StatisticKeys.self, forKey: .absolute)
        try absolute.encode(absoluteMax, forKey: .max)
        try c.encode(nonfinite, forKey: .nonfinite)
        try c.encode(bitsHistogram, forKey: .bitsHistogram)
    }

    /// Decodes what ``encode(to:)`` writes, or a v1 log entry's flat `relative_max` / `relative_mean` /
    /// `absolute_max`.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        bits = try c.decode(Summary.self, forKey: .bits)
        ulps = try c.decode(Summary.self, forKey: .ulps)
        if c.contains(.relative) {
            let relative = try c.nestedContainer(keyedBy: StatisticKeys.self, forKey: .relative)
            relativeMax = try relative.decode(Double.self, forKey: .max)
            relativeMean = try relative.decode(Double.self, forKey: .mean)
            absoluteMax = try c.nestedContainer(keyedBy: StatisticKeys.self, forKey: .absolute)
                .decode(Double.self, forKey: .max)
        } else {
            relativeMax = try c.decode(Double.self, forKey: .relativeMax)
            relativeMean = try c.decode(Double.self, forKey: .relativeMean)
            absoluteMax = try c.decode(Double.self, forKey: .absoluteMax)
        }
        nonfinite = try c.decode(Int.self, forKey: .nonfinite)
        bitsHistogram = try c.decodeIfPresent([Int].self, forKey: .bitsHistogram) ?? []
    }
}

extension BitsLost: Codable {
    enum CodingKeys: String, CodingKey {
        case max, mean, shareOfSamplesWorseThan1Bit = "share_of_samples_worse_than_1_bit"
        /// The `fpaudit.log-entry/v1` spelling, read only.
        case worseShare = "worse_share"
    }

    /// Encodes `{max, mean, share_of_samples_worse_than_1_bit}`.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(max, forKey: .max)
        try c.encode(mean, forKey: .mean)
        try c.encode(shareOfSamplesWorseThan1Bit, forKey: .shareOfSamplesWorseThan1Bit)
    }

    /// Decodes what ``encode(to:)`` writes, or a v1 log entry's `worse_share`.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        max = try c.decode(Double.self, forKey: .max)
        mean = try c.decode(Double.self, forKey: .mean)
        shareOfSamplesWorseThan1Bit =
            try c.decodeIfPresent(Double.self, forKey: .shareOfSamplesWorseThan1Bit)
            ?? c.decode(Double.self, forKey: .worseShare)
    }
}

extension SemanticDeviation: Codable {
    enum CodingKeys: String, CodingKey {
        case maxULPs = "max_ulps", equivalent, samplesCompared = "samples_compared",
            samplesDiffering = "samples_differing"
    }

    /// Encodes `{max_ulps, equivalent, samples_compared, samples_differing}` (`equivalent` is derived).
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(maxULPs, forKey: .maxULPs)
        try c.encode(equivalent, forKey: .equivalent)
        try c.encode(samplesCompared, forKey: .samplesCompared)
        try c.encode(samplesDiffering, forKey: .samplesDiffering)
    }

    /// Decodes what ``encode(to:)`` writes (`equivalent` is recomputed, not read).
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            maxULPs: try c.decode(Double.self, forKey: .maxULPs),
            samplesCompared: try c.decode(Int.self, forKey: .samplesCompared),
            samplesDiffering: try c.decode(Int.self, forKey: .samplesDiffering))
    }
}

extension ErrorComparison: Codable {
    enum CodingKeys: String, CodingKey {
        case points, changedPoints = "changed_points", worsePoints = "worse_points", betterPoints = "better_points",
            reductionDepth = "reduction_depth", signTestZ = "sign_test_z", budgetULPs = "budget_ulps",
            budgetBits = "budget_bits", excessBits = "excess_bits"
    }

    /// Encodes the counts, the sign test and the (derived) budget in ulps and bits.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try encodeFields(into: &c)
    }

    func encodeFields(into c: inout KeyedEncodingContainer<CodingKeys>) throws {
        try c.encode(points, forKey: .points)
        try c.encode(changedPoints, forKey: .changedPoints)
        try c.encode(worsePoints, forKey: .worsePoints)
        try c.encode(betterPoints, forKey: .betterPoints)
        try c.encode(reductionDepth, forKey: .reductionDepth)
        try c.encode(signTestZ, forKey: .signTestZ)
        try c.encode(budgetULPs, forKey: .budgetULPs)
        try c.encode(budgetBits, forKey: .budgetBits)
    }

    /// Decodes the stored figures (the budget and the excess are recomputed, not read).
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            points: try c.decode(Int.self, forKey: .points),
            changedPoints: try c.decode(Int.self, forKey: .changedPoints),
            worsePoints: try c.decode(Int.self, forKey: .worsePoints),
            betterPoints: try c.decode(Int.self, forKey: .betterPoints),
            reductionDepth: try c.decode(Int.self, forKey: .reductionDepth),
            signTestZ: try c.decode(Double.self, forKey: .signTestZ))
    }
}

extension WorstCase: Codable {
    enum CodingKeys: String, CodingKey {
        case sample, element, bitsLost = "bits_lost", original, rewritten, truth, inputs
    }

    /// Encodes the point, its three values as C99 hex floats, and its inputs when kept.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(sample, forKey: .sample)
        try c.encode(element, forKey: .element)
        try c.encode(bitsLost, forKey: .bitsLost)
        try c.encode(HexFloat.format(original), forKey: .original)
        try c.encode(HexFloat.format(rewritten), forKey: .rewritten)
        try c.encode(HexFloat.format(truth), forKey: .truth)
        try c.encodeIfPresent(inputs, forKey: .inputs)
    }

    /// Decodes what ``encode(to:)`` writes.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func hex(_ key: CodingKeys) throws -> Double {
            let text = try c.decode(String.self, forKey: key)
            guard let x = HexFloat.parse(text) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "not a hex float: \(text)")
            }
            return x
        }
        self.init(
            sample: try c.decode(Int.self, forKey: .sample), element: try c.decode(Int.self, forKey: .element),
            bitsLost: try c.decode(Double.self, forKey: .bitsLost), original: try hex(.original),
            rewritten: try hex(.rewritten), truth: try hex(.truth),
            inputs: try c.decodeIfPresent(NamedTensors.self, forKey: .inputs))
    }
}

extension OutputMetrics: Codable {
    enum CodingKeys: String, CodingKey {
        case name, rewrittenName = "rewritten_name", dtype, shape, measuredIn = "measured_in", original, rewritten,
            bitsLost = "bits_lost", newNonfinite = "new_nonfinite", semantic, comparison, worst,
            elementsPerSample = "elements_per_sample"
    }

    /// Encodes the output's figures; `comparison` carries the derived `excess_bits`.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encodeIfPresent(rewrittenName, forKey: .rewrittenName)
        try c.encode(type.dtype.rawValue, forKey: .dtype)
        try c.encode(type.dimensions, forKey: .shape)
        try c.encodeIfPresent(measuredIn, forKey: .measuredIn)
        try c.encodeIfPresent(elementsPerSample, forKey: .elementsPerSample)
        try c.encode(original, forKey: .original)
        try c.encode(rewritten, forKey: .rewritten)
        try c.encode(bitsLost, forKey: .bitsLost)
        try c.encode(newNonfinite, forKey: .newNonfinite)
        try c.encode(semantic, forKey: .semantic)
        if let comparison, let excessBits {
            var nested = c.nestedContainer(keyedBy: ErrorComparison.CodingKeys.self, forKey: .comparison)
            try comparison.encodeFields(into: &nested)
            try nested.encode(excessBits, forKey: .excessBits)
        }
        try c.encodeIfPresent(worst, forKey: .worst)
    }

    /// Decodes what ``encode(to:)`` writes, or a v1 log entry's output.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let name = try c.decode(String.self, forKey: .dtype)
        guard let dtype = DType(name: name) else {
            throw DecodingError.dataCorruptedError(forKey: .dtype, in: c, debugDescription: "unknown dtype '\(name)'")
        }
        self.init(
            name: try c.decode(String.self, forKey: .name),
            type: ArrayType(dtype, try c.decode([Int].self, forKey: .shape)),
            original: try c.decode(SideMetrics.self, forKey: .original),
            rewritten: try c.decode(SideMetrics.self, forKey: .rewritten),
            bitsLost: try c.decode(BitsLost.self, forKey: .bitsLost),
            newNonfinite: try c.decode(Int.self, forKey: .newNonfinite),
            semantic: try c.decode(SemanticDeviation.self, forKey: .semantic),
            worst: try c.decodeIfPresent(WorstCase.self, forKey: .worst),
            comparison: try c.decodeIfPresent(ErrorComparison.self, forKey: .comparison),
            rewrittenName: try c.decodeIfPresent(String.self, forKey: .rewrittenName),
            measuredIn: try c.decodeIfPresent(String.self, forKey: .measuredIn))
        elementsPerSample = try c.decodeIfPresent(Int.self, forKey: .elementsPerSample)
    }
}

extension NodeError: Encodable {
    enum CodingKeys: String, CodingKey {
        case node, op, computation, invocation, invocations, location, sourceName = "source_name", sourceLine =
            "source_line",
            bits = "local_bits", ulps = "local_ulps", cause, spread
    }

    /// Encodes `{node, op, computation, invocation, invocations, location,
    /// source_name, source_line, local_bits, local_ulps, cause, spread}`
    /// (unknowns omitted; the computation and its runs only for a node of a
    /// called computation): `cause` is
    /// `{kind, description}`, `spread` `{samples, max_bits, mean_bits, worst_sample}`.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(node, forKey: .node)
        try c.encode(op, forKey: .op)
        try c.encodeIfPresent(computation, forKey: .computation)
        try c.encodeIfPresent(invocation, forKey: .invocation)
        try c.encodeIfPresent(invocations, forKey: .invocations)
        try c.encodeIfPresent(location?.description, forKey: .location)
        try c.encodeIfPresent(sourceName, forKey: .sourceName)
        try c.encodeIfPresent(sourceLine, forKey: .sourceLine)
        try c.encode(bits, forKey: .bits)
        try c.encode(ulps, forKey: .ulps)
        try c.encodeIfPresent(cause, forKey: .cause)
        try c.encodeIfPresent(spread, forKey: .spread)
    }
}

extension ErrorCause: Encodable {
    enum CodingKeys: String, CodingKey { case kind, description }

    /// Encodes `{kind, description}`.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind, forKey: .kind)
        try c.encode(description, forKey: .description)
    }
}

extension LocalErrorSpread: Encodable {
    enum CodingKeys: String, CodingKey {
        case samples, maxBits = "max_bits", meanBits = "mean_bits", worstSample = "worst_sample"
    }

    /// Encodes `{samples, max_bits, mean_bits, worst_sample}`.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(samples, forKey: .samples)
        try c.encode(maxBits, forKey: .maxBits)
        try c.encode(meanBits, forKey: .meanBits)
        try c.encode(worstSample, forKey: .worstSample)
    }
}

extension Hotspots: Encodable {
    enum CodingKeys: String, CodingKey { case sample, original, rewritten }

    /// Encodes the sample and each graph's ``reportedLimit`` worst nodes.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(sample, forKey: .sample)
        try c.encode(Array(original.prefix(Self.reportedLimit)), forKey: .original)
        try c.encode(Array(rewritten.prefix(Self.reportedLimit)), forKey: .rewritten)
    }
}

extension VerificationResult: Encodable {
    /// The `schema` of the report document.
    public static let reportSchema = "fpaudit.report/v1"

    enum CodingKeys: String, CodingKey {
        case schema, tool, original, rewritten, sameCanonicalHash = "same_canonical_hash", config, samples, outputs,
            hotspots, search, policy, checks, findings, verdict
    }
    enum ToolKeys: String, CodingKey { case name, version }
    enum ConfigKeys: String, CodingKey {
        case samples, seed, exec, precision, precisionStart = "precision_start", precisionCap = "precision_cap",
            reductionOrder = "reduction_order", subnormals, inputs, defaultInputs = "default_inputs", replay, match,
            interface, checkpoints, recordedInputs = "recorded_inputs", truth, elements
    }

    /// Encodes the `fpaudit.report/v1` document (docs/report-format.md).
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(Self.reportSchema, forKey: .schema)
        var tool = c.nestedContainer(keyedBy: ToolKeys.self, forKey: .tool)
        try tool.encode("fpaudit", forKey: .name)
        try tool.encode(ToolVersion.current, forKey: .version)
        try c.encode(original, forKey: .original)
        try c.encode(rewritten, forKey: .rewritten)
        try c.encode(original.canonicalHash == rewritten.canonicalHash, forKey: .sameCanonicalHash)
        var k = c.nestedContainer(keyedBy: ConfigKeys.self, forKey: .config)
        try k.encode(config.samples, forKey: .samples)
        try k.encode(config.seed, forKey: .seed)
        try k.encode(config.exec, forKey: .exec)
        try k.encode(config.precisionDescription, forKey: .precision)
        try k.encode(config.startPrecision, forKey: .precisionStart)
        try k.encode(config.maxPrecision, forKey: .precisionCap)
        try k.encode(config.truth, forKey: .truth)
        try k.encodeIfPresent(config.elements, forKey: .elements)
        try k.encode(config.reductionOrder, forKey: .reductionOrder)
        try k.encode(config.subnormals, forKey: .subnormals)
        try k.encode(
            Dictionary(distributions.map { ($0.parameter, $0.distribution) }) { a, _ in a }, forKey: .inputs)
        try k.encode(
            Dictionary(defaultedInputs.map { ($0.parameter, $0.reason ?? "default") }) { a, _ in a },
            forKey: .defaultInputs)
        try k.encode(replay, forKey: .replay)
        try k.encode(config.match, forKey: .match)
        try k.encodeIfPresent(interface?.pairings, forKey: .interface)
        try k.encodeIfPresent(config.checkpoints, forKey: .checkpoints)
        try k.encodeIfPresent(config.recordedInputs, forKey: .recordedInputs)
        try c.encode(samples, forKey: .samples)
        try c.encode(outputs, forKey: .outputs)
        try c.encodeIfPresent(hotspots, forKey: .hotspots)
        try c.encodeIfPresent(search, forKey: .search)
        try c.encode(policy ?? .unjudged, forKey: .policy)
        try c.encode(checks, forKey: .checks)
        try c.encode(findings, forKey: .findings)
        try c.encode(verdict, forKey: .verdict)
    }
}

extension SearchOutcome: Encodable {
    enum CodingKeys: String, CodingKey {
        case evaluations, startSample = "start_sample", sampledBitsLost = "sampled_bits_lost",
            bitsLost = "bits_lost", foundWorse = "found_worse", inputs
    }

    /// Encodes `{evaluations, start_sample, sampled_bits_lost, bits_lost,
    /// found_worse, inputs}` (`inputs` only when the search found worse).
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(evaluations, forKey: .evaluations)
        try c.encode(startSample, forKey: .startSample)
        try c.encode(sampledBitsLost, forKey: .sampledBitsLost)
        try c.encode(bitsLost, forKey: .bitsLost)
        try c.encode(foundWorse, forKey: .foundWorse)
        try c.encodeIfPresent(inputs, forKey: .inputs)
    }
}
