import FPGraph
import FPNumerics
import FPVerify
import Foundation

extension RecordedOutput {
    /// The record of one output's metrics (the worst point's inputs stay in the stored report).
    public init(_ o: OutputMetrics) {
        self.init(
            name: o.name, dtype: o.type.dtype.rawValue, shape: o.type.dimensions,
            original: RecordedSide(o.original), rewritten: RecordedSide(o.rewritten),
            bitsLost: RecordedBitsLost(
                max: o.bitsLost.max, mean: o.bitsLost.mean,
                worseShare: o.bitsLost.shareOfSamplesWorseThan1Bit),
            newNonfinite: o.newNonfinite,
            semantic: RecordedSemantic(
                maxUlps: o.semantic.maxULPs, samplesCompared: o.semantic.samplesCompared,
                samplesDiffering: o.semantic.samplesDiffering),
            worst: o.worst.map {
                RecordedWorst(
                    sample: $0.sample, element: $0.element, bitsLost: $0.bitsLost,
                    original: HexFloat.format($0.original), rewritten: HexFloat.format($0.rewritten),
                    truth: HexFloat.format($0.truth))
            },
            comparison: o.comparison.map {
                RecordedComparison(
                    points: $0.points, changedPoints: $0.changedPoints, worsePoints: $0.worsePoints,
                    betterPoints: $0.betterPoints, reductionDepth: $0.reductionDepth,
                    signTestZ: $0.signTestZ)
            })
    }

    /// The metrics back as the verifier's type, for evaluating policy
    /// expressions over logged entries (`log query --where`). The worst
    /// point carries no inputs; nil when the dtype is unknown.
    public var outputMetrics: OutputMetrics? {
        guard let dtype = DType(name: dtype) else { return nil }
        return OutputMetrics(
            name: name, type: ArrayType(dtype, shape), original: original.sideMetrics,
            rewritten: rewritten.sideMetrics,
            bitsLost: BitsLost(
                max: bitsLost.max, mean: bitsLost.mean,
                shareOfSamplesWorseThan1Bit: bitsLost.worseShare),
            newNonfinite: newNonfinite,
            semantic: SemanticDeviation(
                maxULPs: semantic.maxUlps,
                samplesCompared: semantic.samplesCompared,
                samplesDiffering: semantic.samplesDiffering),
            worst: worst.map {
                WorstCase(
                    sample: $0.sample, element: $0.element, bitsLost: $0.bitsLost,
                    original: HexFloat.parse($0.original) ?? .nan,
                    rewritten: HexFloat.parse($0.rewritten) ?? .nan,
                    truth: HexFloat.parse($0.truth) ?? .nan, inputs: [])
            },
            comparison: comparison.map {
                ErrorComparison(
                    points: $0.points, changedPoints: $0.changedPoints,
                    worsePoints: $0.worsePoints, betterPoints: $0.betterPoints,
                    reductionDepth: $0.reductionDepth, signTestZ: $0.signTestZ)
            })
    }
}

extension RecordedSide {
    init(_ s: SideMetrics) {
        self.init(
            bits: RecordedSummary(s.bits), ulps: RecordedSummary(s.ulps), relativeMax: s.relativeMax,
            relativeMean: s.relativeMean, absoluteMax: s.absoluteMax, nonfinite: s.nonfinite,
            bitsHistogram: s.bitsHistogram)
    }

    var sideMetrics: SideMetrics {
        SideMetrics(
            bits: bits.summary, ulps: ulps.summary, relativeMax: relativeMax, relativeMean: relativeMean,
            absoluteMax: absoluteMax, nonfinite: nonfinite, bitsHistogram: bitsHistogram)
    }
}

extension RecordedSummary {
    init(_ s: Summary) { self.init(max: s.max, mean: s.mean, p50: s.p50, p95: s.p95, p99: s.p99) }
    var summary: Summary { Summary(max: max, mean: mean, p50: p50, p95: p95, p99: p99) }
}

extension RecordedSamples {
    /// The record of a result's sample accounting.
    public init(_ s: SampleCounts) {
        self.init(
            requested: s.requested, measured: s.measured, referenceUnstable: s.referenceUnstable,
            rewrittenReferenceUnstable: s.rewrittenReferenceUnstable, branchFlips: s.branchFlips,
            maxPrecisionUsed: s.maxPrecisionUsed)
    }

    /// Back as the verifier's type.
    public var sampleCounts: SampleCounts {
        SampleCounts(
            requested: requested, measured: measured, referenceUnstable: referenceUnstable,
            rewrittenReferenceUnstable: rewrittenReferenceUnstable, branchFlips: branchFlips,
            maxPrecisionUsed: maxPrecisionUsed)
    }
}

extension RecordedFinding {
    /// The record of a finding.
    public init(_ f: Finding) {
        self.init(
            rule: f.rule, severity: f.severity.rawValue, output: f.output, message: f.message, value: f.value,
            threshold: f.threshold, waiver: f.waiver)
    }
}

extension EntryRecord {
    /// Sets the measured part from a judged verification result: outcome
    /// `verified`, sample counts, per-output metrics, findings, applied
    /// waivers and the verdict.
    public mutating func setMeasurements(_ result: VerificationResult) {
        outcome = .verified
        error = nil
        interface = result.interface.map {
            RecordedInterface(parameters: $0.parameters.rawValue, outputs: $0.outputs.rawValue)
        }
        samples = RecordedSamples(result.samples)
        outputs = result.outputs.map(RecordedOutput.init)
        findings = result.findings.map(RecordedFinding.init)
        waivers = result.checks.compactMap { c in
            c.waiver.map { AppliedWaiver(rule: c.rule, output: c.output, waiver: $0) }
        }
        verdict = result.verdict.rawValue
    }

    /// The measured part as canonical JSON sections, by name (`outcome`,
    /// `interface`, `error`, `samples`, `outputs`, `findings`, `waivers`,
    /// `verdict`): what `log replay` compares byte for byte.
    public func measuredSections() throws -> [(name: String, json: Data)] {
        let e = EntryRecord.encoder
        func encode<T: Encodable>(_ value: T?) throws -> Data {
            try value.map { try e.encode($0) } ?? Data("null".utf8)
        }
        return [
            ("outcome", try encode(outcome)),
            ("interface", try encode(interface)),
            ("error", try encode(error)),
            ("samples", try encode(samples)),
            ("outputs", try encode(outputs)),
            ("findings", try encode(findings)),
            ("waivers", try encode(waivers)),
            ("verdict", try encode(verdict)),
        ]
    }
}
