import FPEval
import FPGraph
import FPNumerics
import Foundation

/// Folds per-sample measurements into per-output metrics as they come, in
/// sample order (so the result never depends on how samples were spread over
/// threads), in memory that does not grow with the number of samples: running
/// sums and maxima, ``StreamingSummary`` for the error distributions, the one
/// worst point.
struct Aggregator {
    let graph: Graph
    let exec: ExecutionMode
    private var outputs: [OutputAccumulator]
    private var measured = 0
    private var unstable = 0
    private var rewrittenUnstable = 0
    private var branchFlips = 0
    private var maxPrecision = 0
    private var points = TruthPoints()

    /// True when the truth was tiered (the counts then say what each tier decided).
    let tiered: Bool

    init(graph: Graph, exec: ExecutionMode, tiered: Bool) {
        self.graph = graph
        self.exec = exec
        self.tiered = tiered
        let depths = graph.outputReductionDepths
        outputs = graph.outputs.enumerated().map { k, output in
            OutputAccumulator(
                output: output, unit: ErrorUnit(dtype: output.type.dtype, exec: exec), reductionDepth: depths[k])
        }
    }

    /// Adds the next sample (samples must come in increasing order).
    mutating func add(_ outcome: SampleOutcome) {
        points.add(outcome.points)
        switch outcome.truth {
        case .stable, .enclosed:
            if case .stable(let p) = outcome.truth { maxPrecision = max(maxPrecision, p) }
            measured += 1
            if !outcome.rewrittenTruthStable { rewrittenUnstable += 1 }
            for k in outputs.indices { outputs[k].add(outcome.outputs[k], sample: outcome.sample) }
        case .unstable(let p):
            maxPrecision = max(maxPrecision, p)
            unstable += 1
        }
        if outcome.branchFlip { branchFlips += 1 }
    }

    /// The metrics of every output and the sample counts; `inputsOf` rebuilds
    /// a sample's inputs (for the worst case).
    func finish(requested: Int, inputsOf: (Int) -> [Tensor.Elements]) -> ([OutputMetrics], SampleCounts) {
        let counts = SampleCounts(
            requested: requested, measured: measured, referenceUnstable: unstable,
            rewrittenReferenceUnstable: rewrittenUnstable, branchFlips: branchFlips, maxPrecisionUsed: maxPrecision,
            truthPoints: tiered ? points : nil)
        // The sides' distributions (a sort of every kept value each) are summarised on all cores.
        let sides = outputs.flatMap { [$0.original, $0.rewritten] }.concurrentMap(\.metrics)
        return (
            outputs.enumerated().map { k, output in
                output.metrics(
                    sides: (sides[2 * k], sides[2 * k + 1]), samples: measured, graph: graph, inputsOf: inputsOf)
            }, counts
        )
    }
}

/// One side's (original or rewritten) running error statistics of one output.
private struct SideAccumulator {
    let unit: ErrorUnit
    var ulps: StreamingSummary
    var relative = (max: 0.0, sum: 0.0, n: 0)
    var absolute = 0.0
    var nonfinite = 0
    var histogram: [Int]

    init(unit: ErrorUnit) {
        self.unit = unit
        ulps = StreamingSummary(transform: { unit.bits(ulps: $0) })
        histogram = [Int](repeating: 0, count: unit.bitWidth + 1)
    }

    /// Adds one sample's errors: `bits` are the `points`' errors in bits.
    mutating func add(
        ulps points: [Double], bits: [Double], relative rel: [Double], absolute abs: [Double], nonfinite n: Int
    ) {
        for u in points { ulps.add(u) }
        for b in bits { histogram[Swift.min(Swift.max(Int(b.rounded(.down)), 0), unit.bitWidth)] += 1 }
        for r in rel {
            relative.max = Swift.max(relative.max, r)
            if r.isFinite {
                relative.sum += r
                relative.n += 1
            }
        }
        absolute = Swift.max(absolute, abs.max() ?? 0)
        nonfinite += n
    }

    var metrics: SideMetrics {
        let (u, b) = ulps.summaries()
        return SideMetrics(
            bits: b, ulps: u, relativeMax: relative.max,
            relativeMean: relative.n == 0 ? 0 : relative.sum / Double(relative.n), absoluteMax: absolute,
            nonfinite: nonfinite, bitsHistogram: histogram)
    }
}

/// The running statistics of one output.
private struct OutputAccumulator {
    let output: GraphOutput
    let unit: ErrorUnit
    let reductionDepth: Int
    var original: SideAccumulator
    var rewritten: SideAccumulator
    var lostSum = 0.0
    var lostMax = -Double.infinity
    var points = 0
    var samplesWorse = 0
    var newNonfinite = 0
    var semanticMax = 0.0
    var compared = 0
    var differing = 0
    var changed = 0
    var worse = 0
    var better = 0
    /// Σ d and Σ d² of the per-sample differences d = worse − better points (the sign test).
    var imbalance = (sum: 0.0, squares: 0.0)
    var worst: (sample: Int, element: Int, lost: Double, rewBits: Double, values: (Double, Double, Double))?

    init(output: GraphOutput, unit: ErrorUnit, reductionDepth: Int) {
        self.output = output
        self.unit = unit
        self.reductionDepth = reductionDepth
        original = SideAccumulator(unit: unit)
        rewritten = SideAccumulator(unit: unit)
    }

    mutating func add(_ m: OutputSample, sample: Int) {
        original.add(
            ulps: m.ulpsOriginal, bits: m.bitsOriginal, relative: m.relativeOriginal, absolute: m.absoluteOriginal,
            nonfinite: m.nonfiniteOriginal)
        rewritten.add(
            ulps: m.ulpsRewritten, bits: m.bitsRewritten, relative: m.relativeRewritten, absolute: m.absoluteRewritten,
            nonfinite: m.nonfiniteRewritten)
        var sampleWorst = -Double.infinity
        for (a, b) in zip(m.bitsOriginal, m.bitsRewritten) {
            let lost = b - a
            lostSum += lost
            lostMax = max(lostMax, lost)
            sampleWorst = max(sampleWorst, lost)
            points += 1
        }
        if sampleWorst > 1 { samplesWorse += 1 }
        newNonfinite += m.newNonfinite
        changed += m.changedPoints
        worse += m.worsePoints
        better += m.betterPoints
        let d = Double(m.worsePoints - m.betterPoints)
        imbalance.sum += d
        imbalance.squares += d * d
        if let sem = m.semanticULPs {
            compared += 1
            if sem > 0 { differing += 1 }
            semanticMax = max(semanticMax, sem)
        }
        if m.worstLost > (worst?.lost ?? -.infinity)
            || (m.worstLost == worst?.lost && m.worstRewrittenBits > (worst?.rewBits ?? -.infinity))
        {
            worst = (
                sample, m.worstElement, m.worstLost, m.worstRewrittenBits,
                (m.worstValues.original, m.worstValues.rewritten, m.worstValues.truth)
            )
        }
    }

    /// The output's metrics, given its two sides' (``SideAccumulator/metrics``).
    func metrics(
        sides: (original: SideMetrics, rewritten: SideMetrics), samples: Int, graph: Graph,
        inputsOf: (Int) -> [Tensor.Elements]
    ) -> OutputMetrics {
        let kept = graph.parameters.reduce(0) { $0 + $1.type.elementCount } <= WorstCase.maxKeptInputElements
        let worstCase = worst.map {
            WorstCase(
                sample: $0.sample, element: $0.element, bitsLost: $0.lost, original: $0.values.0,
                rewritten: $0.values.1, truth: $0.values.2,
                inputs: kept ? NamedTensors(inputsOf($0.sample), parameters: graph.parameters) : nil)
        }
        return OutputMetrics(
            name: output.name, type: output.type, original: sides.original, rewritten: sides.rewritten,
            bitsLost: BitsLost(
                max: points == 0 ? 0 : lostMax, mean: points == 0 ? 0 : lostSum / Double(points),
                shareOfSamplesWorseThan1Bit: samples == 0 ? 0 : Double(samplesWorse) / Double(samples)),
            newNonfinite: newNonfinite,
            semantic: SemanticDeviation(maxULPs: semanticMax, samplesCompared: compared, samplesDiffering: differing),
            worst: worstCase,
            comparison: ErrorComparison(
                points: points, changedPoints: changed, worsePoints: worse, betterPoints: better,
                reductionDepth: reductionDepth,
                signTestZ: ErrorComparison.signTestZ(sum: imbalance.sum, squares: imbalance.squares)))
    }
}
