import FPEval
import FPGraph
import FPNumerics
import FPVerify
import Foundation

/// The `fpaudit.report/v1` JSON document (see docs/report-format.md).
public enum ReportJSON {
    /// The document's `schema` field.
    public static let schema = "fpaudit.report/v1"
    /// fpaudit's version, written in every report and printed by `fpaudit --version`.

    /// Encodes a verification result. Doubles that are not finite are written
    /// as the strings `"inf"`, `"-inf"`, `"nan"`; values of results and truths
    /// as C99 hex-float strings so nothing is lost.
    public static func encode(_ result: VerificationResult) throws -> Data {
        try encoder().encode(Document(result))
    }

    /// The encoder every fpaudit JSON document uses: pretty-printed, sorted keys, unescaped `/`, and
    /// non-finite numbers as the strings `inf`, `-inf`, `nan` (so reports embed in traces unchanged).
    public static func encoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        e.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return e
    }

    /// The values-format object of a worst case's inputs (`{ NAME: {dtype, shape, data} }`).
    public static func valuesFile(_ inputs: [FPGraph.Tensor.Elements], parameters: [GraphParameter]) throws -> Data {
        try encoder().encode(ValuesObject(inputs, parameters))
    }

    struct Document: Encodable {
        let schema = ReportJSON.schema
        let tool = Tool()
        let original: Identity
        let rewritten: Identity
        let sameCanonicalHash: Bool
        let config: Config
        let samples: Samples
        let outputs: [Output]
        let hotspots: HotspotsEntry?
        let policy: PolicyEntry
        let checks: [CheckEntry]
        let findings: [FindingEntry]
        let verdict: String

        enum CodingKeys: String, CodingKey {
            case schema, tool, original, rewritten, sameCanonicalHash = "same_canonical_hash", config, samples,
                outputs, hotspots, policy, checks, findings, verdict
        }

        init(_ r: VerificationResult) {
            original = Identity(r.original)
            rewritten = Identity(r.rewritten)
            sameCanonicalHash = r.original.canonicalHash == r.rewritten.canonicalHash
            config = Config(r)
            samples = Samples(r.samples)
            outputs = r.outputs.indices.map { Output(r.outputs[$0], r, index: $0) }
            hotspots = r.hotspots.map(HotspotsEntry.init)
            policy =
                r.policy.map(PolicyEntry.init)
                ?? PolicyEntry(name: "unjudged", version: "0", path: "none", canonicalHash: "")
            checks = r.checks.map(CheckEntry.init)
            findings = r.findings.map(FindingEntry.init)
            verdict = r.verdict.rawValue
        }
    }

    struct Tool: Encodable {
        let name = "fpaudit"
        let version = ToolVersion.current
    }

    struct Identity: Encodable {
        let path: String
        let sha256: String
        let canonicalHash: String
        enum CodingKeys: String, CodingKey { case path, sha256, canonicalHash = "canonical_hash" }
        init(_ g: GraphIdentity) {
            path = g.path
            sha256 = g.fileSHA256
            canonicalHash = g.canonicalHash
        }
    }

    struct Config: Encodable {
        let samples: Int
        let seed: UInt64
        let exec: String
        let precision: String
        let precisionStart: Int
        let precisionCap: Int
        let reductionOrder: String
        let subnormals: String
        let inputs: [String: String]
        /// Parameters sampled from fpaudit's own default, with why that default.
        let defaultInputs: [String: String]
        let replay: Bool
        let match: String
        let interface: [String: String]?
        enum CodingKeys: String, CodingKey {
            case samples, seed, exec, precision, precisionStart = "precision_start", precisionCap = "precision_cap",
                reductionOrder = "reduction_order", subnormals, inputs, defaultInputs = "default_inputs", replay,
                match, interface
        }
        init(_ r: VerificationResult) {
            samples = r.config.samples
            seed = r.config.seed
            exec = r.config.exec.rawValue
            precision = r.config.precisionDescription
            precisionStart = r.config.startPrecision
            precisionCap = r.config.maxPrecision
            reductionOrder = r.config.reductionOrder.rawValue
            subnormals = r.config.subnormals.rawValue
            inputs = Dictionary(uniqueKeysWithValues: r.distributions.map { ($0.parameter, $0.distribution) })
            defaultInputs = Dictionary(r.defaultedInputs.map { ($0.parameter, $0.reason ?? "default") }) { a, _ in a }
            replay = r.replay
            match = r.config.match.rawValue
            interface = r.interface.map { ["parameters": $0.parameters.rawValue, "outputs": $0.outputs.rawValue] }
        }
    }

    struct Samples: Encodable {
        let requested, measured, referenceUnstable, rewrittenReferenceUnstable, branchFlips, maxPrecisionUsed: Int
        enum CodingKeys: String, CodingKey {
            case requested, measured, referenceUnstable = "reference_unstable",
                rewrittenReferenceUnstable = "rewritten_reference_unstable", branchFlips = "branch_flips",
                maxPrecisionUsed = "max_precision_used"
        }
        init(_ s: SampleCounts) {
            requested = s.requested
            measured = s.measured
            referenceUnstable = s.referenceUnstable
            rewrittenReferenceUnstable = s.rewrittenReferenceUnstable
            branchFlips = s.branchFlips
            maxPrecisionUsed = s.maxPrecisionUsed
        }
    }

    struct Stats: Encodable {
        let max, mean, p50, p95, p99: Double
        init(_ s: Summary) {
            max = s.max
            mean = s.mean
            p50 = s.p50
            p95 = s.p95
            p99 = s.p99
        }
    }

    struct Side: Encodable {
        let bits: Stats
        let ulps: Stats
        let relative: [String: Double]
        let absolute: [String: Double]
        let nonfinite: Int
        let bitsHistogram: [Int]
        enum CodingKeys: String, CodingKey {
            case bits, ulps, relative, absolute, nonfinite, bitsHistogram = "bits_histogram"
        }
        init(_ s: SideMetrics) {
            bits = Stats(s.bits)
            ulps = Stats(s.ulps)
            relative = ["max": s.relativeMax, "mean": s.relativeMean]
            absolute = ["max": s.absoluteMax]
            nonfinite = s.nonfinite
            bitsHistogram = s.bitsHistogram
        }
    }

    struct Lost: Encodable {
        let max, mean, shareOfSamplesWorseThan1Bit: Double
        enum CodingKeys: String, CodingKey {
            case max, mean, shareOfSamplesWorseThan1Bit = "share_of_samples_worse_than_1_bit"
        }
    }

    struct Semantic: Encodable {
        let maxUlps: Double
        let equivalent: Bool
        let samplesCompared, samplesDiffering: Int
        enum CodingKeys: String, CodingKey {
            case maxUlps = "max_ulps", equivalent, samplesCompared = "samples_compared", samplesDiffering =
                "samples_differing"
        }
    }

    struct Comparison: Encodable {
        let points, changedPoints, worsePoints, betterPoints, reductionDepth: Int
        let budgetUlps, budgetBits, signTestZ: Double
        let excessBits: Stats
        enum CodingKeys: String, CodingKey {
            case points, changedPoints = "changed_points", worsePoints = "worse_points", betterPoints = "better_points",
                reductionDepth = "reduction_depth", budgetUlps = "budget_ulps", budgetBits = "budget_bits",
                signTestZ = "sign_test_z",
                excessBits = "excess_bits"
        }
        init?(_ o: OutputMetrics) {
            guard let c = o.comparison, let excess = o.excessBits else { return nil }
            points = c.points
            changedPoints = c.changedPoints
            worsePoints = c.worsePoints
            betterPoints = c.betterPoints
            reductionDepth = c.reductionDepth
            budgetUlps = c.budgetULPs
            budgetBits = c.budgetBits
            signTestZ = c.signTestZ
            excessBits = Stats(excess)
        }
    }

    struct Worst: Encodable {
        let sample, element: Int
        let bitsLost: Double
        let original, rewritten, truth: String
        let inputs: ValuesObject
        enum CodingKeys: String, CodingKey {
            case sample, element, bitsLost = "bits_lost", original, rewritten, truth, inputs
        }
    }

    struct Output: Encodable {
        let name: String
        /// The rewritten graph's name of the output paired with this one.
        let rewrittenName: String?
        let dtype: String
        let shape: [Int]
        let measuredIn: String
        let original: Side
        let rewritten: Side
        let bitsLost: Lost
        let newNonfinite: Int
        let semantic: Semantic
        let comparison: Comparison?
        let worst: Worst?
        enum CodingKeys: String, CodingKey {
            case name, rewrittenName = "rewritten_name", dtype, shape, measuredIn = "measured_in", original, rewritten,
                bitsLost = "bits_lost",
                newNonfinite = "new_nonfinite", semantic, comparison, worst
        }
        init(_ o: OutputMetrics, _ r: VerificationResult, index: Int) {
            name = o.name
            let k = index
            rewrittenName = r.rewrittenOutputNames.indices.contains(k) ? r.rewrittenOutputNames[k] : nil
            dtype = o.type.dtype.rawValue
            shape = o.type.dimensions
            measuredIn = ErrorUnit(dtype: o.type.dtype, exec: r.config.exec).name(dtype: o.type.dtype)
            original = Side(o.original)
            rewritten = Side(o.rewritten)
            bitsLost = Lost(
                max: o.bitsLost.max, mean: o.bitsLost.mean,
                shareOfSamplesWorseThan1Bit: o.bitsLost.shareOfSamplesWorseThan1Bit)
            newNonfinite = o.newNonfinite
            semantic = Semantic(
                maxUlps: o.semantic.maxULPs, equivalent: o.semantic.equivalent,
                samplesCompared: o.semantic.samplesCompared, samplesDiffering: o.semantic.samplesDiffering)
            comparison = Comparison(o)
            worst = o.worst.map {
                Worst(
                    sample: $0.sample, element: $0.element, bitsLost: $0.bitsLost,
                    original: HexFloat.format($0.original), rewritten: HexFloat.format($0.rewritten),
                    truth: HexFloat.format($0.truth), inputs: ValuesObject($0.inputs, r.parameters))
            }
        }
    }

    /// Local error per node at the worst sample (the nodes listed are those of each graph, worst first).
    struct HotspotsEntry: Encodable {
        let sample: Int
        let original: [NodeEntry]
        let rewritten: [NodeEntry]

        init(_ h: Hotspots) {
            sample = h.sample
            original = h.original.prefix(ReportText.hotspotLimit).map(NodeEntry.init)
            rewritten = h.rewritten.prefix(ReportText.hotspotLimit).map(NodeEntry.init)
        }
    }

    struct NodeEntry: Encodable {
        let node, op: String
        let location: String?
        let sourceName: String?
        let sourceLine: String?
        let localBits, localUlps: Double
        enum CodingKeys: String, CodingKey {
            case node, op, location, sourceName = "source_name", sourceLine = "source_line", localBits = "local_bits",
                localUlps = "local_ulps"
        }
        init(_ e: NodeError) {
            node = e.node
            op = e.op
            location = e.location?.description
            sourceName = e.sourceName
            sourceLine = e.sourceLine
            localBits = e.bits
            localUlps = e.ulps
        }
    }

    struct PolicyEntry: Encodable {
        let name, version, path, canonicalHash: String
        enum CodingKeys: String, CodingKey { case name, version, path, canonicalHash = "canonical_hash" }
        init(name: String, version: String, path: String, canonicalHash: String) {
            self.name = name
            self.version = version
            self.path = path
            self.canonicalHash = canonicalHash
        }
        init(_ p: PolicyStamp) {
            self.init(name: p.name, version: p.version, path: p.path, canonicalHash: p.canonicalHash)
        }
    }

    struct CheckEntry: Encodable {
        let rule: String
        let output, pass: String?
        let held: Bool
        let severity: String
        let value, threshold: Double?
        let comparison: String?
        let require: String
        let waiver: String?
        init(_ c: RuleCheck) {
            rule = c.rule
            output = c.output
            pass = c.pass
            held = c.held
            severity = c.severity.rawValue
            value = c.value
            threshold = c.threshold
            comparison = c.comparison
            require = c.expression
            waiver = c.waiver
        }
    }

    struct FindingEntry: Encodable {
        let rule, severity: String
        let output: String?
        let message: String
        let value, threshold: Double?
        let waiver: String?
        init(_ f: Finding) {
            rule = f.rule
            severity = f.severity.rawValue
            output = f.output
            message = f.message
            value = f.value
            threshold = f.threshold
            waiver = f.waiver
        }
    }

    /// `{ NAME: { dtype, shape, data } }` with hex-float strings, in parameter order.
    struct ValuesObject: Encodable {
        let entries: [(String, Tensor)]

        struct Tensor: Encodable {
            let dtype: String
            let shape: [Int]
            let data: [String]
        }

        init(_ inputs: [FPGraph.Tensor.Elements], _ parameters: [GraphParameter]) {
            entries = zip(parameters, inputs).map { p, data in
                let values: [String]
                switch data {
                case .floats(let v): values = v.map { HexFloat.format($0) }
                case .integers(let v): values = v.map(String.init)
                }
                return (p.name, Tensor(dtype: p.type.dtype.rawValue, shape: p.type.dimensions, data: values))
            }
        }

        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: Key.self)
            for (name, tensor) in entries { try c.encode(tensor, forKey: Key(stringValue: name)) }
        }
    }
}
