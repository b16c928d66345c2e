import FPEval
import FPGraph
import FPNumerics
import Foundation

/// Combines per-sample measurements into per-output metrics, in sample order
/// (so the result never depends on how samples were spread over threads).
struct Aggregator {
    let graph: Graph
    let exec: ExecutionMode

    func combine(
        _ outcomes: [SampleOutcome], requested: Int,
        inputsOf: (Int) -> [Tensor.Elements]
    ) -> ([OutputMetrics], SampleCounts) {
        let measured = outcomes.filter { if case .stable = $0.truth { return true } else { return false } }
        var maxPrecision = 0
        for o in outcomes {
            switch o.truth {
            case .stable(let p), .unstable(let p): maxPrecision = max(maxPrecision, p)
            }
        }
        let counts = SampleCounts(
            requested: requested,
            measured: measured.count,
            referenceUnstable: outcomes.count - measured.count,
            rewrittenReferenceUnstable: measured.filter { !$0.rewrittenTruthStable }.count,
            branchFlips: outcomes.filter(\.branchFlip).count,
            maxPrecisionUsed: maxPrecision)

        let depths = graph.outputReductionDepths
        let outputs = graph.outputs.enumerated().map { k, output in
            metrics(k, output, measured, reductionDepth: depths[k], inputsOf: inputsOf)
        }
        return (outputs, counts)
    }

    private func metrics(
        _ k: Int, _ output: GraphOutput, _ samples: [SampleOutcome], reductionDepth: Int,
        inputsOf: (Int) -> [Tensor.Elements]
    ) -> OutputMetrics {
        let unit = ErrorUnit(dtype: output.type.dtype, exec: exec)
        func bits(_ ulps: Double) -> Double { unit.bits(ulps: ulps) }
        var ulpsO: [Double] = []
        var ulpsR: [Double] = []
        var lostSum = 0.0
        var lostMax = -Double.infinity
        var points = 0
        var samplesWorse = 0
        var relO = (max: 0.0, sum: 0.0, n: 0)
        var relR = (max: 0.0, sum: 0.0, n: 0)
        var absO = 0.0
        var absR = 0.0
        var nonfiniteO = 0
        var nonfiniteR = 0
        var newNonfinite = 0
        var semanticMax = 0.0
        var compared = 0
        var differing = 0
        var changed = 0
        var worse = 0
        var better = 0
        var imbalance: [Int] = []
        imbalance.reserveCapacity(samples.count)
        var worst: (sample: Int, element: Int, lost: Double, rewBits: Double, values: (Double, Double, Double))?
        for s in samples {
            let m = s.outputs[k]
            ulpsO.append(contentsOf: m.ulpsOriginal)
            ulpsR.append(contentsOf: m.ulpsRewritten)
            var sampleWorst = -Double.infinity
            for (a, b) in zip(m.ulpsOriginal, m.ulpsRewritten) {
                let lost = bits(b) - bits(a)
                lostSum += lost
                lostMax = max(lostMax, lost)
                sampleWorst = max(sampleWorst, lost)
                points += 1
            }
            if sampleWorst > 1 { samplesWorse += 1 }
            for r in m.relativeOriginal {
                relO.max = max(relO.max, r)
                if r.isFinite {
                    relO.sum += r
                    relO.n += 1
                }
            }
            for r in m.relativeRewritten {
                relR.max = max(relR.max, r)
                if r.isFinite {
                    relR.sum += r
                    relR.n += 1
                }
            }
            absO = max(absO, m.absoluteOriginal.max() ?? 0)
            absR = max(absR, m.absoluteRewritten.max() ?? 0)
            nonfiniteO += m.nonfiniteOriginal
            nonfiniteR += m.nonfiniteRewritten
            newNonfinite += m.newNonfinite
            changed += m.changedPoints
            worse += m.worsePoints
            better += m.betterPoints
            imbalance.append(m.worsePoints - m.betterPoints)
            if let sem = m.semanticULPs {
                compared += 1
                if sem > 0 { differing += 1 }
                semanticMax = max(semanticMax, sem)
            }
            if m.worstLost > (worst?.lost ?? -.infinity)
                || (m.worstLost == worst?.lost && m.worstRewrittenBits > (worst?.rewBits ?? -.infinity))
            {
                worst = (
                    s.sample, m.worstElement, m.worstLost, m.worstRewrittenBits,
                    (m.worstValues.original, m.worstValues.rewritten, m.worstValues.truth)
                )
            }
        }
        func side(_ ulps: [Double], rel: (max: Double, sum: Double, n: Int), abs: Double, nonfinite: Int) -> SideMetrics
        {
            var u = ulps
            var b = ulps.map(bits)
            let width = unit.bitWidth
            var histogram = [Int](repeating: 0, count: width + 1)
            for x in b { histogram[Swift.min(Swift.max(Int(x.rounded(.down)), 0), width)] += 1 }
            return SideMetrics(
                bits: Summary(sorting: &b), ulps: Summary(sorting: &u), relativeMax: rel.max,
                relativeMean: rel.n == 0 ? 0 : rel.sum / Double(rel.n), absoluteMax: abs,
                nonfinite: nonfinite, bitsHistogram: histogram)
        }
        let worstCase = worst.map {
            WorstCase(
                sample: $0.sample, element: $0.element, bitsLost: $0.lost, original: $0.values.0,
                rewritten: $0.values.1, truth: $0.values.2,
                inputs: NamedTensors(inputsOf($0.sample), parameters: graph.parameters))
        }
        return OutputMetrics(
            name: output.name, type: output.type,
            original: side(ulpsO, rel: relO, abs: absO, nonfinite: nonfiniteO),
            rewritten: side(ulpsR, rel: relR, abs: absR, nonfinite: nonfiniteR),
            bitsLost: BitsLost(
                max: points == 0 ? 0 : lostMax, mean: points == 0 ? 0 : lostSum / Double(points),
                shareOfSamplesWorseThan1Bit: samples.isEmpty ? 0 : Double(samplesWorse) / Double(samples.count)),
            newNonfinite: newNonfinite,
            semantic: SemanticDeviation(maxULPs: semanticMax, samplesCompared: compared, samplesDiffering: differing),
            worst: worstCase,
            comparison: ErrorComparison(
                points: points, changedPoints: changed, worsePoints: worse, betterPoints: better,
                reductionDepth: reductionDepth,
                signTestZ: ErrorComparison.signTestZ(perSampleDifferences: imbalance)))
    }
}
