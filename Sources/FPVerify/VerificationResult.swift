import FPEval
import FPGraph
import Foundation

/// max / mean / p50 / p95 / p99 of a set of values (nearest-rank percentiles).
public struct Summary: Sendable, Equatable {
    public var max: Double
    public var mean: Double
    public var p50: Double
    public var p95: Double
    public var p99: Double

    public static let empty = Summary(max: 0, mean: 0, p50: 0, p95: 0, p99: 0)

    /// Summarises `values` (sorted in place).
    public init(sorting values: inout [Double]) {
        guard !values.isEmpty else {
            self = .empty
            return
        }
        values.sort()
        let n = values.count
        func rank(_ p: Double) -> Double { values[Swift.max(0, Int((p * Double(n)).rounded(.up)) - 1)] }
        max = values[n - 1]
        mean = values.reduce(0, +) / Double(n)
        p50 = rank(0.50)
        p95 = rank(0.95)
        p99 = rank(0.99)
    }

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
    public var bits: Summary
    public var ulps: Summary
    public var relativeMax: Double
    public var relativeMean: Double
    public var absoluteMax: Double
    /// Points whose finiteness differs from the truth's.
    public var nonfinite: Int
    /// Points per 1-bit bin of error: bin k counts bits in [k, k+1); the last
    /// bin (the dtype's width) counts maximal errors.
    public var bitsHistogram: [Int] = []

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
    public var max: Double
    public var mean: Double
    /// Share of measured samples in which some element lost more than 1 bit.
    public var shareOfSamplesWorseThan1Bit: Double

    public init(max: Double, mean: Double, shareOfSamplesWorseThan1Bit: Double) {
        self.max = max
        self.mean = mean
        self.shareOfSamplesWorseThan1Bit = shareOfSamplesWorseThan1Bit
    }
}

/// Distance between the two graphs' truths, in output-dtype ULPs.
public struct SemanticDeviation: Sendable, Equatable {
    public var maxULPs: Double
    /// Samples where both truths were stable and compared.
    public var samplesCompared: Int
    /// Samples where the truths differ by at least one ULP.
    public var samplesDiffering: Int
    /// True when no compared point differs.
    public var equivalent: Bool { maxULPs == 0 }

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
        let sum = d.reduce(0.0) { $0 + Double($1) }
        let squares = d.reduce(0.0) { $0 + Double($1) * Double($1) }
        return squares == 0 ? 0 : sum / squares.squareRoot()
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
    public var sample: Int
    public var element: Int
    public var bitsLost: Double
    public var original: Double
    public var rewritten: Double
    public var truth: Double
    /// The sample's inputs, one per parameter.
    public var inputs: [HostData]

    public init(
        sample: Int, element: Int, bitsLost: Double, original: Double, rewritten: Double, truth: Double,
        inputs: [HostData]
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
    public var name: String
    public var type: ArrayType
    public var original: SideMetrics
    public var rewritten: SideMetrics
    public var bitsLost: BitsLost
    /// Points where the rewritten result's finiteness differs from the truth and the original's does not.
    public var newNonfinite: Int
    public var semantic: SemanticDeviation
    public var worst: WorstCase?
    /// The distribution-level comparison (nil only in audit log entries
    /// recorded before fpaudit measured it).
    public var comparison: ErrorComparison?

    public init(
        name: String, type: ArrayType, original: SideMetrics, rewritten: SideMetrics, bitsLost: BitsLost,
        newNonfinite: Int, semantic: SemanticDeviation, worst: WorstCase?, comparison: ErrorComparison? = nil
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

/// Where the accuracy goes at the worst sample: every computational node's
/// local error in each graph, worst first.
public struct Hotspots: Sendable, Equatable {
    public var sample: Int
    public var original: [NodeError]
    public var rewritten: [NodeError]
}

/// A node of a graph and where it is written: where a finding points when
/// localisation names no node.
public struct NodeSite: Sendable, Equatable {
    public var node: String
    public var op: String
    public var location: SourceLocation?

    public init(node: String, op: String, location: SourceLocation?) {
        self.node = node
        self.op = op
        self.location = location
    }
}

/// Which policy judged a result.
public struct PolicyStamp: Sendable, Equatable {
    public var name: String
    public var version: String
    /// The policy file, or `builtin:default`.
    public var path: String
    /// SHA-256 of the effective (merged) policy's canonical form.
    public var canonicalHash: String

    public init(name: String, version: String, path: String, canonicalHash: String) {
        self.name = name
        self.version = version
        self.path = path
        self.canonicalHash = canonicalHash
    }
}

/// One rule evaluated on one output: what was measured against what.
public struct RuleCheck: Sendable, Equatable {
    public var rule: String
    public var output: String?
    public var pass: String?
    public var held: Bool
    public var severity: Severity
    public var value: Double?
    public var threshold: Double?
    /// The comparison of `value` against `threshold` (`<=` ...), when the rule has that shape.
    public var comparison: String?
    /// The rule's `require` expression.
    public var expression: String
    /// The waiver that covers a failed check, described.
    public var waiver: String?

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
    public var requested: Int
    /// Samples whose original truth was stable and that were measured.
    public var measured: Int
    /// Samples whose original truth never stabilised (not measured).
    public var referenceUnstable: Int
    /// Samples whose rewritten truth never stabilised (no semantic figure).
    public var rewrittenReferenceUnstable: Int
    /// Samples where a comparison changed outcome between two truth precisions.
    public var branchFlips: Int
    /// Highest truth precision any sample needed.
    public var maxPrecisionUsed: Int

    public init(
        requested: Int, measured: Int, referenceUnstable: Int, rewrittenReferenceUnstable: Int,
        branchFlips: Int, maxPrecisionUsed: Int
    ) {
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
    public var path: String
    public var fileSHA256: String
    public var canonicalHash: String

    public init(path: String, fileSHA256: String, canonicalHash: String) {
        self.path = path
        self.fileSHA256 = fileSHA256
        self.canonicalHash = canonicalHash
    }
}

/// The complete outcome of `verify`.
public struct VerificationResult: Sendable, Equatable {
    public var original: GraphIdentity
    public var rewritten: GraphIdentity
    public var config: VerificationConfig
    /// The graphs' parameters (both graphs have the same).
    public var parameters: [GraphParameter]
    public var distributions: [(parameter: String, distribution: String)]
    public var outputs: [OutputMetrics]
    public var samples: SampleCounts
    /// Local errors at the worst sample (nil when nothing was measured).
    public var hotspots: Hotspots?
    /// The rewritten graph's node producing each output, in the original's output order.
    public var rewrittenRoots: [NodeSite] = []
    /// How the two graphs' parameters and outputs were paired.
    public var interface: InterfaceMatch?
    /// The REWRITTEN graph's name of each output, in the original's output order.
    public var rewrittenOutputNames: [String] = []
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
    public var replay: Bool

    public static func == (a: VerificationResult, b: VerificationResult) -> Bool {
        a.original == b.original && a.rewritten == b.rewritten && a.config == b.config
            && a.parameters == b.parameters
            && a.distributions.map(\.parameter) == b.distributions.map(\.parameter)
            && a.distributions.map(\.distribution) == b.distributions.map(\.distribution)
            && a.outputs == b.outputs && a.hotspots == b.hotspots && a.rewrittenRoots == b.rewrittenRoots
            && a.interface == b.interface && a.rewrittenOutputNames == b.rewrittenOutputNames
            && a.defaultedInputs == b.defaultedInputs && a.policy == b.policy && a.checks == b.checks
            && a.samples == b.samples && a.findings == b.findings
            && a.verdict == b.verdict && a.replay == b.replay
    }
}
