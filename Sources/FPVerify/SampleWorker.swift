import FPEval
import FPGraph
import FPNumerics

/// Per-output measurements of one sample.
struct OutputSample {
    var ulpsOriginal: [Double] = []
    var ulpsRewritten: [Double] = []
    var relativeOriginal: [Double] = []
    var relativeRewritten: [Double] = []
    var absoluteOriginal: [Double] = []
    var absoluteRewritten: [Double] = []
    var nonfiniteOriginal = 0
    var nonfiniteRewritten = 0
    var newNonfinite = 0
    /// Points where the two declared-precision results differ.
    var changedPoints = 0
    /// Points where the rewritten result is farther from the truth than the original's (and nearer).
    var worsePoints = 0
    var betterPoints = 0
    /// nil when the rewritten truth was unstable.
    var semanticULPs: Double?
    var worstElement = 0
    var worstLost = -Double.infinity
    var worstRewrittenBits = -Double.infinity
    var worstValues = (original: 0.0, rewritten: 0.0, truth: 0.0)
}

/// Measurements of one sample.
struct SampleOutcome {
    var sample: Int
    /// The original's truth status; unstable samples carry no measurements.
    var truth: TruthStatus
    var rewrittenTruthStable: Bool
    var branchFlip: Bool
    var outputs: [OutputSample]
    /// Output elements of this sample's truths (both graphs) decided by each tier.
    var intervalPoints = 0
    var mpfrPoints = 0
}

/// Owns the evaluators of one thread (original and rewritten, each in IEEE
/// and as a tiered truth) and measures samples with them, taking a graph's
/// evaluation from the ``EvaluationCache`` when another verification already
/// made it.
final class SampleWorker {
    let original: Graph
    let config: VerificationConfig
    let interface: InterfaceMatch
    let originalEvaluator: GraphEvaluator
    let rewrittenEvaluator: GraphEvaluator
    let cache: EvaluationCache?
    let keys: (original: String, rewritten: String)

    init(
        original: Graph, rewritten: Graph, plans: (GraphPlan, GraphPlan), interface: InterfaceMatch,
        config: VerificationConfig, cache: EvaluationCache? = nil, keys: (String, String) = ("", "")
    ) {
        self.original = original
        self.config = config
        self.interface = interface
        originalEvaluator = GraphEvaluator(graph: original, plan: plans.0, config: config)
        rewrittenEvaluator = GraphEvaluator(graph: rewritten, plan: plans.1, config: config)
        self.cache = cache
        self.keys = keys
    }

    /// The evaluation of one graph on `inputs`, from the cache when it has it.
    private func evaluation(_ evaluator: GraphEvaluator, key: String, sample: Int, inputs: [Tensor.Elements]) throws
        -> SampleEvaluation
    {
        guard let cache else { return try evaluator.evaluate(inputs) }
        let digest = EvaluationCache.digest(inputs)
        if let hit = cache.lookup(graph: key, sample: sample, digest: digest) { return hit }
        let made = try evaluator.evaluate(inputs)
        cache.store(made, graph: key, sample: sample, digest: digest)
        return made
    }

    func measure(sample: Int, inputs: [Tensor.Elements]) throws -> SampleOutcome {
        let a = try evaluation(originalEvaluator, key: keys.original, sample: sample, inputs: inputs)
        var tiers = (interval: 0, mpfr: 0)
        func count(_ e: SampleEvaluation) {
            if e.tier == .interval { tiers.interval += e.points } else { tiers.mpfr += e.points }
        }
        count(a)
        guard a.truthIsUsable else {
            return SampleOutcome(
                sample: sample, truth: a.status, rewrittenTruthStable: false, branchFlip: a.branchFlipped,
                outputs: [], intervalPoints: tiers.interval, mpfrPoints: tiers.mpfr)
        }
        let b = try evaluation(
            rewrittenEvaluator, key: keys.rewritten, sample: sample, inputs: interface.rewrittenInputs(inputs))
        count(b)
        var outputs: [OutputSample] = []
        for (k, output) in original.outputs.enumerated() {
            outputs.append(measureOutput(k, interface.rewrittenOutput[k], output.type, a, b))
        }
        return SampleOutcome(
            sample: sample, truth: a.status, rewrittenTruthStable: b.truthIsUsable,
            branchFlip: a.branchFlipped || b.branchFlipped, outputs: outputs, intervalPoints: tiers.interval,
            mpfrPoints: tiers.mpfr)
    }

    /// Measures original output `k` against rewritten output `j` (its pair).
    private func measureOutput(
        _ k: Int, _ j: Int, _ type: ArrayType, _ originalRun: SampleEvaluation,
        _ rewrittenRun: SampleEvaluation
    ) -> OutputSample {
        var m = OutputSample()
        let n = type.elementCount
        for array in [
            \OutputSample.ulpsOriginal, \.ulpsRewritten, \.relativeOriginal, \.relativeRewritten,
            \.absoluteOriginal, \.absoluteRewritten,
        ] {
            m[keyPath: array].reserveCapacity(n)
        }
        let unit = ErrorUnit(dtype: type.dtype, exec: config.exec)
        let dtypeFormat = FloatFormat(dtype: type.dtype)
        var semantic = 0.0
        for e in 0..<n {
            let a: PointError
            let b: PointError
            let t: Double
            let ro: Double
            let rr: Double
            if let measuring = unit.format {
                t = originalRun.truth[k][e]
                ro = measuring.round(originalRun.ieee[k][e])
                rr = measuring.round(rewrittenRun.ieee[j][e])
                a = PointError.measure(ro, truth: t, in: measuring)
                b = PointError.measure(rr, truth: t, in: measuring)
                if rewrittenRun.truthIsUsable {
                    let u = originalRun.dtypeTruth[k][e]
                    let v = rewrittenRun.dtypeTruth[j][e]
                    semantic = Swift.max(semantic, dtypeFormat.ulpDistance(u, v))
                }
            } else {
                t = originalRun.truth[k][e]
                ro = originalRun.ieee[k][e]
                rr = rewrittenRun.ieee[j][e]
                a = PointError.measureInteger(ro, truth: t, bitWidth: unit.bitWidth)
                b = PointError.measureInteger(rr, truth: t, bitWidth: unit.bitWidth)
                if rewrittenRun.truthIsUsable {
                    semantic = Swift.max(semantic, Swift.abs(t - rewrittenRun.truth[j][e]))
                }
            }
            m.ulpsOriginal.append(a.ulps)
            m.ulpsRewritten.append(b.ulps)
            m.relativeOriginal.append(a.relative)
            m.relativeRewritten.append(b.relative)
            m.absoluteOriginal.append(a.absolute)
            m.absoluteRewritten.append(b.absolute)
            if a.finitenessMismatch { m.nonfiniteOriginal += 1 }
            if b.finitenessMismatch { m.nonfiniteRewritten += 1 }
            if b.finitenessMismatch && !a.finitenessMismatch { m.newNonfinite += 1 }
            if ro.bitPattern != rr.bitPattern && !(ro.isNaN && rr.isNaN) { m.changedPoints += 1 }
            if b.ulps > a.ulps { m.worsePoints += 1 } else if b.ulps < a.ulps { m.betterPoints += 1 }
            let lost = b.bits - a.bits
            if lost > m.worstLost || (lost == m.worstLost && b.bits > m.worstRewrittenBits) {
                m.worstLost = lost
                m.worstRewrittenBits = b.bits
                m.worstElement = e
                m.worstValues = (ro, rr, t)
            }
        }
        m.semanticULPs = rewrittenRun.truthIsUsable ? semantic : nil
        return m
    }
}
