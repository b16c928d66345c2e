import FPEval
import FPGraph
import Foundation

/// max / mean / p50 / p95 / p99 of a set of values (nearest-rank percentiles).
public struct Summary: Sendable, Equatable, Codable {
    /// The largest value.
    public var max: Double
    /// The arithmetic mean.
    public var mean: Double
    /// The median: the nearest-rank 50th percentile, i.e. the smallest value that at
    /// least half of the values do not exceed.
    public var p50: Double
    /// The nearest-rank 95th percentile: the smallest value that at least 95 % of the
    /// values do not exceed.
    public var p95: Double
    /// The nearest-rank 99th percentile: the smallest value that at least 99 % of the
    /// values do not exceed.
    public var p99: Double

    /// Every statistic 0: the summary of no values.
    public static let empty = Summary(max: 0, mean: 0, p50: 0, p95: 0, p99: 0)

    /// Summarises `values` (sorted in place).
    public init(sorting values: inout [Double]) {
        guard !values.isEmpty else {
            self = .empty
            return
        }
        values.sort()
        self.init(sorted: values)
    }

    /// Summarises values already sorted in non-decreasing order (the mean is
    /// summed in that order, as ``init(sorting:)`` sums it).
    init(sorted values: [Double]) {
        guard !values.isEmpty else {
            self = .empty
            return
        }
        let n = values.count
        func rank(_ p: Double) -> Double { values[Swift.max(0, Int((p * Double(n)).rounded(.up)) - 1)] }
        max = values[n - 1]
        mean = values.reduce(0, +) / Double(n)
        p50 = rank(0.50)
        p95 = rank(0.95)
        p99 = rank(0.99)
    }

    /// Creates a summary from statistics computed elsewhere (not checked for consistency).
    public init(max: Double, mean: Double, p50: Double, p95: Double, p99: Double) {
        self.max = max
        self.mean = mean
        self.p50 = p50
        self.p95 = p95
        self.p99 = p99
    }
}

/// Error of one graph's results on one output.
public struct SideMetrics: Sendable, Equatable {
    /// Bits of error per point, `log2(1 + ulps)`, summarised over every measured
    /// point; a finiteness or NaN mismatch counts as the measuring format's bit width.
    public var bits: Summary
    /// Ulps of error per point, summarised over every measured point: the ordinal
    /// distance between the result and the truth in the measuring format (the output
    /// dtype, or f64 with `--exec double`). For integer and pred outputs, the absolute
    /// difference of the integers.
    public var ulps: Summary
    /// Largest relative error `|r - t| / |t|` over the points, in binary64: infinite
    /// when some point has t = 0 and r ≠ 0, or a finiteness or NaN mismatch.
    public var relativeMax: Double
    /// Mean of the relative error over the points where it is finite (0 when there
    /// are none).
    public var relativeMean: Double
    /// Largest absolute error `|r - t|` over the points, in binary64 (infinite on a
    /// finiteness or NaN mismatch; 0 with no points).
    public var absoluteMax: Double
    /// Points whose finiteness differs from the truth's.
    public var nonfinite: Int
    /// Points per 1-bit bin of error: bin k counts bits in [k, k+1); the last
    /// bin (the dtype's width) counts maximal errors.
    public var bitsHistogram: [Int] = []

    /// Creates the metrics from their parts; `bitsHistogram` may be left empty when no
    /// histogram was kept.
    public init(
        bits: Summary, ulps: Summary, relativeMax: Double, relativeMean: Double, absoluteMax: Double,
        nonfinite: Int, bitsHistogram: [Int] = []
    ) {
        self.bits = bits
        self.ulps = ulps
        self.relativeMax = relativeMax
        self.relativeMean = relativeMean
        self.absoluteMax = absoluteMax
        self.nonfinite = nonfinite
        self.bitsHistogram = bitsHistogram
    }
}

/// `rewritten bits - original bits`, per point.
public struct BitsLost: Sendable, Equatable {
    /// Largest `rewritten bits - original bits` over the points: negative when the
    /// rewrite is more accurate at every point; 0 with no points.
    public var max: Double
    /// Mean of `rewritten bits - original bits` over the points (0 with no points).
    public var mean: Double
    /// Share of measured samples in which some element lost more than 1 bit.
    public var shareOfSamplesWorseThan1Bit: Double

    /// Creates the figures from their parts; `shareOfSamplesWorseThan1Bit` is a
    /// fraction in [0, 1], not a percentage.
    public init(max: Double, mean: Double, shareOfSamplesWorseThan1Bit: Double) {
        self.max = max
        self.mean = mean
        self.shareOfSamplesWorseThan1Bit = shareOfSamplesWorseThan1Bit
    }
}

/// Distance between the two graphs' truths, in output-dtype ULPs.
public struct SemanticDeviation: Sendable, Equatable {
    /// Largest distance, over the compared samples and their elements, between the
    /// ORIGINAL's truth and the REWRITTEN's own truth, both rounded to the output
    /// dtype, in ulps of that dtype (for integer and pred outputs, the largest
    /// absolute difference). Non-zero means the rewrite changed the real function.
    public var maxULPs: Double
    /// Samples where both truths were stable and compared.
    public var samplesCompared: Int
    /// Samples where the truths differ by at least one ULP.
    public var samplesDiffering: Int
    /// True when no compared point differs.
    public var equivalent: Bool { maxULPs == 0 }

    /// Creates a deviation from its parts.
    public init(maxULPs: Double, samplesCompared: Int, samplesDiffering: Int) {
        self.maxULPs = maxULPs
        self.samplesCompared = samplesCompared
        self.samplesDiffering = samplesDiffering
    }
}

/// How the rewrite's error compares with the original's, point by point and
/// against the error budget: the evidence the default policy judges by.
public struct ErrorComparison: Sendable, Equatable {
    /// Measured points (samples × elements).
    public var points: Int
    /// Points where the two graphs' declared-precision results differ (bit
    /// patterns; every NaN equals every NaN). 0: the outputs are bit-identical.
    public var changedPoints: Int
    /// Points where the rewritten result is farther from the truth than the original's.
    public var worsePoints: Int
    /// Points where it is nearer.
    public var betterPoints: Int
    /// The ORIGINAL graph's reduction depth for this output (``Graph/outputReductionDepths``).
    public var reductionDepth: Int
    /// The sign test of "worse" against "better", over samples (the points
    /// of one sample share its inputs and are not independent): with d(s) =
    /// worse points − better points of sample s, `z = Σ d(s) / √(Σ d(s)²)`
    /// (0 when every d(s) is 0). When the rewrite only moves rounding errors
    /// around, each d(s) is as likely positive as negative and z is about
    /// standard normal; above 4 the rewrite is worse beyond chance. With one
    /// element per sample it is the classic `(worse − better) / √(worse + better)`.
    public var signTestZ: Double

    /// Creates a comparison from its parts; `signTestZ` is usually computed with
    /// ``signTestZ(perSampleDifferences:)``.
    public init(
        points: Int, changedPoints: Int, worsePoints: Int, betterPoints: Int, reductionDepth: Int,
        signTestZ: Double
    ) {
        self.points = points
        self.changedPoints = changedPoints
        self.worsePoints = worsePoints
        self.betterPoints = betterPoints
        self.reductionDepth = reductionDepth
        self.signTestZ = signTestZ
    }

    /// `Σ d / √(Σ d²)` over per-sample differences `d` (0 when all are 0).
    public static func signTestZ(perSampleDifferences d: [Int]) -> Double {
        signTestZ(sum: d.reduce(0.0) { $0 + Double($1) }, squares: d.reduce(0.0) { $0 + Double($1) * Double($1) })
    }

    /// `sum / √squares` from the running sums `Σ d` and `Σ d²` (0 when every d is 0).
    public static func signTestZ(sum: Double, squares: Double) -> Double {
        squares == 0 ? 0 : sum / squares.squareRoot()
    }

    /// The error an output may have whatever order its reductions take, in
    /// ulps: half an ulp (correct rounding), or half the reduction depth when
    /// that is more (the a-priori bound γ(D) ≈ D·u of a depth-D accumulation
    /// of same-sign terms, at the favourable end of the result's binade).
    public var budgetULPs: Double { Swift.max(0.5, Double(reductionDepth) / 2) }

    /// ``budgetULPs`` in bits: `log2(1 + budgetULPs)`.
    public var budgetBits: Double { log2(1 + budgetULPs) }

    /// Share of points where the rewrite is worse (0 with no points).
    public var worseShare: Double { points == 0 ? 0 : Double(worsePoints) / Double(points) }
    /// Share of points where the rewrite is better.
    public var betterShare: Double { points == 0 ? 0 : Double(betterPoints) / Double(points) }
    /// Share of points whose declared result changed.
    public var changedShare: Double { points == 0 ? 0 : Double(changedPoints) / Double(points) }
}

/// The point with the largest loss, with everything needed to replay it.
public struct WorstCase: Sendable, Equatable {
    /// The 0-based index of the sample holding the point (on replay, 0).
    public var sample: Int
    /// The 0-based row-major index of the point within the output.
    public var element: Int
    /// `rewritten bits - original bits` at this point: the largest over all points
    /// (ties go to the larger rewritten error, then to the earlier sample).
    public var bitsLost: Double
    /// The ORIGINAL graph's result at this point, rounded to the measuring format
    /// (the output dtype, or f64 with `--exec double`; integers exactly).
    public var original: Double
    /// The REWRITTEN graph's result at this point, rounded like ``original``.
    public var rewritten: Double
    /// The ORIGINAL graph's MPFR truth at this point, correctly rounded to the
    /// measuring format.
    public var truth: Double
    /// The sample's inputs, one per ORIGINAL parameter, named and in parameter
    /// order; nil in audit log entries (the stored report keeps them), and nil
    /// when the inputs hold more than ``maxKeptInputElements`` elements (the run's
    /// seed and ``sample`` reproduce them).
    public var inputs: NamedTensors?

    /// The most input elements a worst case keeps (2^20: about 20 MB of JSON).
    public static let maxKeptInputElements = 1 << 20

    /// Creates a worst case from its parts; `inputs` must be in the ORIGINAL graph's
    /// parameter order.
    public init(
        sample: Int, element: Int, bitsLost: Double, original: Double, rewritten: Double, truth: Double,
        inputs: NamedTensors?
    ) {
        self.sample = sample
        self.element = element
        self.bitsLost = bitsLost
        self.original = original
        self.rewritten = rewritten
        self.truth = truth
        self.inputs = inputs
    }
}

/// Everything measured on one output.
public struct OutputMetrics: Sendable, Equatable {
    /// The output's name in the ORIGINAL graph.
    public var name: String
    /// The output's dtype and shape (the paired REWRITTEN output has the same).
    public var type: ArrayType
    /// The ORIGINAL graph's error against the truth.
    public var original: SideMetrics
    /// The REWRITTEN graph's error against the same truth (the ORIGINAL's).
    public var rewritten: SideMetrics
    /// Pointwise loss: how many more bits of error the rewrite has than the original.
    public var bitsLost: BitsLost
    /// Points where the rewritten result's finiteness differs from the truth and the original's does not.
    public var newNonfinite: Int
    /// How far the REWRITTEN graph's real function is from the ORIGINAL's on this output.
    public var semantic: SemanticDeviation
    /// The point where the rewrite lost the most bits; nil when no point was measured.
    public var worst: WorstCase?
    /// The distribution-level comparison (nil only in audit log entries
    /// recorded before fpaudit measured it).
    public var comparison: ErrorComparison?
    /// The REWRITTEN graph's name of the output paired with this one (nil
    /// only in audit log entries recorded before fpaudit kept it).
    public var rewrittenName: String?
    /// The format the errors are measured in (``ErrorUnit/name(dtype:)``:
    /// the output dtype, `f64` with `--exec double`, or `integer`); nil only
    /// in audit log entries recorded before fpaudit kept it.
    public var measuredIn: String?
    /// The elements each sample measured (``ElementSampling``), when element
    /// sampling measured fewer than all; nil when every element was measured.
    public var elementsPerSample: Int?

    /// `256 of 98304 elements per sample` under element sampling; nil when every element was measured.
    public var elementsDescription: String? {
        elementsPerSample.map { "\($0) of \(type.elementCount) elements per sample" }
    }

    /// Creates the metrics from their parts; leave `comparison` nil only for results
    /// recorded before fpaudit measured it.
    public init(
        name: String, type: ArrayType, original: SideMetrics, rewritten: SideMetrics, bitsLost: BitsLost,
        newNonfinite: Int, semantic: SemanticDeviation, worst: WorstCase?, comparison: ErrorComparison? = nil,
        rewrittenName: String? = nil, measuredIn: String? = nil
    ) {
        self.name = name
        self.type = type
        self.original = original
        self.rewritten = rewritten
        self.bitsLost = bitsLost
        self.newNonfinite = newNonfinite
        self.semantic = semantic
        self.worst = worst
        self.comparison = comparison
        self.rewrittenName = rewrittenName
        self.measuredIn = measuredIn
    }

    /// How far the rewrite's error distribution goes beyond both the
    /// original's and the budget, statistic by statistic:
    /// `rewritten.bits.S − max(original.bits.S, budget bits)` (negative: it
    /// stays within them). nil without a comparison.
    public var excessBits: Summary? {
        guard let budget = comparison?.budgetBits else { return nil }
        func excess(_ s: KeyPath<Summary, Double>) -> Double {
            rewritten.bits[keyPath: s] - Swift.max(original.bits[keyPath: s], budget)
        }
        return Summary(
            max: excess(\.max), mean: excess(\.mean), p50: excess(\.p50), p95: excess(\.p95),
            p99: excess(\.p99))
    }
}

/// Where the accuracy goes: every computational node's local error in each
/// graph, with its cause, at the sample where the rewrite lost the most and
/// over more samples spread over the run (``NodeError/spread``), worst first.
public struct Hotspots: Sendable, Equatable {
    /// How many nodes of each graph reports list, worst first.
    public static let reportedLimit = 5

    /// The sample the local errors were measured at: the worst case with the most
    /// bits lost over all outputs.
    public var sample: Int
    /// The ORIGINAL graph's computational nodes with their local errors, worst first;
    /// empty when the graph's truth did not stabilise at that sample.
    public var original: [NodeError]
    /// The REWRITTEN graph's computational nodes with their local errors, worst first;
    /// empty when the graph's truth did not stabilise at that sample.
    public var rewritten: [NodeError]

    /// The samples localised (the most any node was measured at; 1 when only the worst sample was).
    public var samplesLocalized: Int {
        (original + rewritten).map { $0.spread?.samples ?? 1 }.max() ?? 1
    }

    /// What the local errors cover, for report headings: "local error per
    /// node at sample 17", or "… over 64 samples (the worst: 17)".
    public var scope: String {
        let n = samplesLocalized
        return n > 1
            ? "local error per node over \(n) samples (the rewrite's worst: sample \(sample))"
            : "local error per node at sample \(sample)"
    }
}

/// A node of a graph and where it is written: where a finding points when
/// localisation names no node.
public struct NodeSite: Sendable, Equatable {
    /// The node's name in its graph.
    public var node: String
    /// The node's opcode name, as in our JSON format (`add`, `log1p`, `reduce-precision`).
    public var op: String
    /// Where the node is written in its graph file; nil when the graph has no source
    /// position for it.
    public var location: SourceLocation?

    /// Creates a site from its parts.
    public init(node: String, op: String, location: SourceLocation?) {
        self.node = node
        self.op = op
        self.location = location
    }
}

/// Which policy judged a result.
public struct PolicyStamp: Sendable, Equatable {
    /// The policy's `name`.
    public var name: String
    /// The policy's `version`, free text as written in the policy.
    public var version: String
    /// The policy file, or `<builtin>/default.yaml` for the built-in default.
    public var path: String
    /// SHA-256 of the effective (merged) policy's canonical form.
    public var canonicalHash: String

    /// Creates a stamp from its parts.
    public init(name: String, version: String, path: String, canonicalHash: String) {
        self.name = name
        self.version = version
        self.path = path
        self.canonicalHash = canonicalHash
    }
}

/// One rule evaluated on one output: what was measured against what.
public struct RuleCheck: Sendable, Equatable {
    /// The rule's id.
    public var rule: String
    /// The output the rule was evaluated on; nil for a per-run rule (one that reads
    /// only `samples.*` metrics and is not scoped to outputs or dtypes).
    public var output: String?
    /// The trace pass the result was judged for; nil outside a trace.
    public var pass: String?
    /// Whether the rule's `require` expression held.
    public var held: Bool
    /// The rule's severity: what a failed, unwaived check does to the verdict.
    public var severity: Severity
    /// The measured value: the left side of the deciding comparison (`bits_lost.max`
    /// in `bits_lost.max <= 0.5`); nil when the rule has no such comparison.
    public var value: Double?
    /// The bound: the right side of the deciding comparison; nil when the rule has
    /// no such comparison.
    public var threshold: Double?
    /// The comparison of `value` against `threshold` (`<=` ...), when the rule has that shape.
    public var comparison: String?
    /// The rule's `require` expression.
    public var expression: String
    /// The waiver that covers a failed check, described.
    public var waiver: String?

    /// Creates a check from its parts.
    public init(
        rule: String, output: String?, pass: String?, held: Bool, severity: Severity, value: Double?,
        threshold: Double?, comparison: String?, expression: String, waiver: String?
    ) {
        self.rule = rule
        self.output = output
        self.pass = pass
        self.held = held
        self.severity = severity
        self.value = value
        self.threshold = threshold
        self.comparison = comparison
        self.expression = expression
        self.waiver = waiver
    }
}

/// Sample accounting.
public struct SampleCounts: Sendable, Equatable {
    /// Samples asked for (`VerificationConfig.samples`; 1 on replay).
    public var requested: Int
    /// Samples whose original truth was stable and that were measured.
    public var measured: Int
    /// Samples whose original truth never stabilised (not measured).
    public var referenceUnstable: Int
    /// Samples whose rewritten truth never stabilised (no semantic figure).
    public var rewrittenReferenceUnstable: Int
    /// Samples where a comparison changed outcome between two truth precisions.
    public var branchFlips: Int
    /// Highest MPFR precision any sample needed (0 when intervals decided every sample).
    public var maxPrecisionUsed: Int
    /// With the tiered truth, the output points (both graphs' truths, every
    /// sample) each tier decided; nil when the truth was MPFR alone.
    public var truthPoints: TruthPoints?

    /// Creates the counts from their parts.
    public init(
        requested: Int, measured: Int, referenceUnstable: Int, rewrittenReferenceUnstable: Int,
        branchFlips: Int, maxPrecisionUsed: Int, truthPoints: TruthPoints? = nil
    ) {
        self.truthPoints = truthPoints
        self.requested = requested
        self.measured = measured
        self.referenceUnstable = referenceUnstable
        self.rewrittenReferenceUnstable = rewrittenReferenceUnstable
        self.branchFlips = branchFlips
        self.maxPrecisionUsed = maxPrecisionUsed
    }
}

/// Identity of one verified graph.
public struct GraphIdentity: Sendable, Equatable {
    /// The graph file's path, as given.
    public var path: String
    /// SHA-256 of the file's bytes, lowercase hex.
    public var fileSHA256: String
    /// SHA-256 of the graph's semantics, lowercase hex (`Graph.canonicalHash`):
    /// it ignores names, metadata, source positions and dead nodes, so two graphs that
    /// compute the same thing the same way have the same hash.
    public var canonicalHash: String

    /// Creates an identity from its parts.
    public init(path: String, fileSHA256: String, canonicalHash: String) {
        self.path = path
        self.fileSHA256 = fileSHA256
        self.canonicalHash = canonicalHash
    }
}

/// The complete outcome of `verify`.
public struct VerificationResult: Sendable, Equatable {
    /// The ORIGINAL graph's file and hashes (its truth is the reference for both graphs).
    public var original: GraphIdentity
    /// The REWRITTEN graph's file and hashes.
    public var rewritten: GraphIdentity
    /// The settings the figures were measured with.
    public var config: VerificationConfig
    /// The graphs' parameters (both graphs have the same).
    public var parameters: [GraphParameter]
    /// What each ORIGINAL parameter was drawn from, in parameter order, as text: a
    /// distribution (`normal(0, 1)`), a fixed input's description, or `replay`.
    public var distributions: [(parameter: String, distribution: String)]
    /// The measurements, one per ORIGINAL output, in the ORIGINAL's output order.
    public var outputs: [OutputMetrics]
    /// How many samples were requested, measured and unstable.
    public var samples: SampleCounts
    /// Local errors at the worst sample (nil when nothing was measured).
    public var hotspots: Hotspots?
    /// What the worst-case search after sampling found (`--search N`); nil without one.
    public var search: SearchOutcome?
    /// The rewritten graph's node producing each output, in the original's output order.
    public var rewrittenRoots: [NodeSite] = []
    /// How the two graphs' parameters and outputs were paired.
    public var interface: InterfaceMatch?
    /// The parameters sampled from fpaudit's own default distribution (none on replay).
    public var defaultedInputs: [DefaultedInput] = []
    /// The policy that judged the result (nil: not judged yet; `FPPolicy`'s
    /// `PolicyEvaluator.judge` sets it with the findings and the verdict).
    public var policy: PolicyStamp?
    /// Every rule evaluated per output (empty until judged).
    public var checks: [RuleCheck] = []
    /// The policy's findings (empty until judged).
    public var findings: [Finding]
    /// The policy's verdict; `pass` until judged: a result that has no
    /// ``policy`` has not been judged and its verdict means nothing.
    public var verdict: Verdict
    /// True when one given input set was evaluated (`--replay`) instead of sampled ones.
    public var replay: Bool

    /// Compares every stored property; ``distributions``, an array of tuples, is
    /// compared element by element.
    public static func == (a: VerificationResult, b: VerificationResult) -> Bool {
        a.original == b.original && a.rewritten == b.rewritten && a.config == b.config
            && a.parameters == b.parameters
            && a.distributions.map(\.parameter) == b.distributions.map(\.parameter)
            && a.distributions.map(\.distribution) == b.distributions.map(\.distribution)
            && a.outputs == b.outputs && a.hotspots == b.hotspots && a.search == b.search
            && a.rewrittenRoots == b.rewrittenRoots
            && a.interface == b.interface
            && a.defaultedInputs == b.defaultedInputs && a.policy == b.policy && a.checks == b.checks
            && a.samples == b.samples && a.findings == b.findings
            && a.verdict == b.verdict && a.replay == b.replay
    }
}

extension PolicyStamp: Codable {
    enum CodingKeys: String, CodingKey { case name, version, path, canonicalHash = "canonical_hash" }

    /// What a result that no policy judged reports as its policy.
    public static let unjudged = PolicyStamp(name: "unjudged", version: "0", path: "none", canonicalHash: "")
}

extension RuleCheck: Codable {
    enum CodingKeys: String, CodingKey {
        case rule, output, pass, held, severity, value, threshold, comparison, expression = "require", waiver
    }
}

extension SampleCounts: Codable {
    enum CodingKeys: String, CodingKey {
        case requested, measured, referenceUnstable = "reference_unstable",
            rewrittenReferenceUnstable = "rewritten_reference_unstable", branchFlips = "branch_flips",
            maxPrecisionUsed = "max_precision_used", truthPoints = "truth_points"
    }
}

/// The output points of a verification's truths that each tier decided.
public struct TruthPoints: Sendable, Equatable, Codable {
    /// Points decided by binary64 intervals.
    public var interval: Int
    /// Points decided by double-double balls (where the intervals did not decide).
    public var ball: Int
    /// Points that needed the adaptive MPFR truth.
    public var mpfr: Int

    /// Creates the counts.
    public init(interval: Int = 0, ball: Int = 0, mpfr: Int = 0) {
        self.interval = interval
        self.ball = ball
        self.mpfr = mpfr
    }

    /// Reads the counts; `ball` is absent from reports made before that tier existed.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        interval = try c.decode(Int.self, forKey: .interval)
        ball = try c.decodeIfPresent(Int.self, forKey: .ball) ?? 0
        mpfr = try c.decode(Int.self, forKey: .mpfr)
    }

    /// Counts `points` as decided by `tier`.
    mutating func add(_ points: Int, decidedBy tier: TruthTier) {
        switch tier {
        case .interval: interval += points
        case .ball: ball += points
        case .mpfr: mpfr += points
        }
    }

    /// Adds another count.
    mutating func add(_ other: TruthPoints) {
        interval += other.interval
        ball += other.ball
        mpfr += other.mpfr
    }

    /// Every point counted.
    public var total: Int { interval + ball + mpfr }

    /// The share of points the intervals decided, from 0 to 1 (1 when there were none).
    public var intervalShare: Double { total == 0 ? 1 : Double(interval) / Double(total) }

    /// The share of points the balls decided, from 0 to 1 (0 when there were none).
    public var ballShare: Double { total == 0 ? 0 : Double(ball) / Double(total) }
}

extension GraphIdentity: Codable {
    enum CodingKeys: String, CodingKey { case path, fileSHA256 = "sha256", canonicalHash = "canonical_hash" }
}
