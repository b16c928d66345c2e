import FPEval
import FPGraph
import FPNumerics

/// Per-output measurements of one sample.
struct OutputSample {
    var ulpsOriginal: [Double] = []
    var ulpsRewritten: [Double] = []
    /// The same errors in bits (``ErrorUnit/bits(ulps:)``), computed here on the worker's thread.
    var bitsOriginal: [Double] = []
    var bitsRewritten: [Double] = []
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

    /// Empty measurements with room for `points` points in each per-point array.
    init(reserving points: Int) {
        ulpsOriginal.reserveCapacity(points)
        ulpsRewritten.reserveCapacity(points)
        bitsOriginal.reserveCapacity(points)
        bitsRewritten.reserveCapacity(points)
        relativeOriginal.reserveCapacity(points)
        relativeRewritten.reserveCapacity(points)
        absoluteOriginal.reserveCapacity(points)
        absoluteRewritten.reserveCapacity(points)
    }
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
    var points = TruthPoints()
}

/// Where a sample's inputs come from.
enum SampleInputs {
    /// Given values, one per ORIGINAL parameter (a replay).
    case values([Tensor.Elements])
    /// Drawn by the run's sampler: under element sampling, only the elements
    /// the cut-down graphs read.
    case drawn(InputSampler)
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
        original: Graph, rewritten: Graph, plans: (SharedPlan, SharedPlan), interface: InterfaceMatch,
        config: VerificationConfig, cache: EvaluationCache? = nil, keys: (String, String) = ("", "")
    ) {
        self.original = original
        self.config = config
        self.interface = interface
        originalEvaluator = GraphEvaluator(plan: plans.0, config: config)
        rewrittenEvaluator = GraphEvaluator(plan: plans.1, config: config)
        self.cache = cache
        self.keys = keys
    }

    /// One graph's evaluation, from the cache when it has it (keyed by the
    /// graph, the sample and `digest`, a digest of what it is evaluated on).
    private func evaluation(key: String, sample: Int, digest: () -> UInt64, _ evaluate: () throws -> SampleEvaluation)
        throws -> SampleEvaluation
    {
        guard let cache else { return try evaluate() }
        let digest = digest()
        if let hit = cache.lookup(graph: key, sample: sample, digest: digest) { return hit }
        let made = try evaluate()
        cache.store(made, graph: key, sample: sample, digest: digest)
        return made
    }

    /// How to evaluate each graph on one sample: whole, or (under element
    /// sampling) cut down to the sample's output boxes.
    private func plan(sample: Int, inputs: SampleInputs) -> (
        original: () throws -> SampleEvaluation, originalDigest: () -> UInt64,
        rewritten: () throws -> SampleEvaluation, rewrittenDigest: () -> UInt64
    ) {
        var wholeInputs: [Tensor.Elements]?
        func whole() -> [Tensor.Elements] {
            if let wholeInputs { return wholeInputs }
            let made: [Tensor.Elements]
            switch inputs {
            case .values(let v): made = v
            case .drawn(let sampler): made = sampler.inputs(forSample: sample)
            }
            wholeInputs = made
            return made
        }
        let (a, b) = (originalEvaluator, rewrittenEvaluator)
        guard let target = config.elements else {
            return (
                { try a.evaluate(whole()) }, { EvaluationCache.digest(whole()) },
                { try b.evaluate(self.interface.rewrittenInputs(whole())) },
                { EvaluationCache.digest(self.interface.rewrittenInputs(whole())) }
            )
        }
        let boxes = ElementSampling.boxes(
            original: a.graph.outputs, rewritten: b.graph.outputs, interface: interface, target: target,
            seed: config.seed, sample: sample)
        guard let sa = a.graph.sliced(outputs: boxes.original), let sb = b.graph.sliced(outputs: boxes.rewritten)
        else {
            return (
                { try a.evaluate(whole(), boxes: boxes.original) },
                { EvaluationCache.digest(whole(), boxes: boxes.original) },
                { try b.evaluate(self.interface.rewrittenInputs(whole()), boxes: boxes.rewritten) },
                { EvaluationCache.digest(self.interface.rewrittenInputs(whole()), boxes: boxes.rewritten) }
            )
        }
        // Each parameter's elements that either cut-down graph reads, drawn once.
        var originalInputs: [Tensor.Elements] = []
        var rewrittenInputs = [Tensor.Elements](repeating: .floats([]), count: b.graph.parameters.count)
        for (i, j) in interface.rewrittenParameter.enumerated() {
            let (boxA, boxB) = (sa.parameterBoxes[i], sb.parameterBoxes[j])
            let union = boxA.union(boxB)
            let data: Tensor.Elements
            switch inputs {
            case .values(let v): data = union.gather(v[i], dimensions: a.graph.parameters[i].type.dimensions)
            case .drawn(let sampler): data = sampler.value(forSample: sample, parameter: i, box: union)
            }
            originalInputs.append(union.cut(boxA, from: data))
            rewrittenInputs[j] = union.cut(boxB, from: data)
        }
        return (
            { try a.evaluate(sa, inputs: originalInputs) },
            { EvaluationCache.digest(originalInputs, boxes: boxes.original) },
            { try b.evaluate(sb, inputs: rewrittenInputs) },
            { EvaluationCache.digest(rewrittenInputs, boxes: boxes.rewritten) }
        )
    }

    func measure(sample: Int, inputs: SampleInputs) throws -> SampleOutcome {
        let plan = self.plan(sample: sample, inputs: inputs)
        let a = try evaluation(key: keys.original, sample: sample, digest: plan.originalDigest, plan.original)
        var tiers = TruthPoints()
        func count(_ e: SampleEvaluation) { tiers.add(e.points, decidedBy: e.tier) }
        count(a)
        guard a.truthIsUsable else {
            return SampleOutcome(
                sample: sample, truth: a.status, rewrittenTruthStable: false, branchFlip: a.branchFlipped,
                outputs: [], points: tiers)
        }
        let b = try evaluation(key: keys.rewritten, sample: sample, digest: plan.rewrittenDigest, plan.rewritten)
        count(b)
        var outputs: [OutputSample] = []
        for (k, output) in original.outputs.enumerated() {
            outputs.append(measureOutput(k, interface.rewrittenOutput[k], output.type, a, b))
        }
        return SampleOutcome(
            sample: sample, truth: a.status, rewrittenTruthStable: b.truthIsUsable,
            branchFlip: a.branchFlipped || b.branchFlipped, outputs: outputs, points: tiers)
    }

    /// Measures original output `k` against rewritten output `j` (its pair).
    private func measureOutput(
        _ k: Int, _ j: Int, _ type: ArrayType, _ originalRun: SampleEvaluation,
        _ rewrittenRun: SampleEvaluation
    ) -> OutputSample {
        let n = originalRun.truth[k].count
        var m = OutputSample(reserving: n)
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
            m.bitsOriginal.append(a.bits)
            m.bitsRewritten.append(b.bits)
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
                m.worstElement = originalRun.elements?[k][e] ?? e
                m.worstValues = (ro, rr, t)
            }
        }
        m.semanticULPs = rewrittenRun.truthIsUsable ? semantic : nil
        return m
    }
}
