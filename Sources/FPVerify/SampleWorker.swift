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
}

/// Owns the four evaluators of one thread: original and rewritten, each in
/// IEEE (declared or double) and as an adaptive MPFR truth.
final class SampleWorker {
    let original: Graph
    let config: VerificationConfig
    let interface: InterfaceMatch
    let ieeeOriginal: Interpreter<IEEEDomain>
    let ieeeRewritten: Interpreter<IEEEDomain>
    let truthOriginal: AdaptiveTruth
    let truthRewritten: AdaptiveTruth

    init(
        original: Graph, rewritten: Graph, plans: (GraphPlan, GraphPlan), interface: InterfaceMatch,
        config: VerificationConfig
    ) {
        self.original = original
        self.config = config
        self.interface = interface
        ieeeOriginal = Interpreter(
            graph: original, plan: plans.0, domain: IEEEDomain(mode: config.exec, subnormals: config.subnormals),
            reductionOrder: config.reductionOrder)
        ieeeRewritten = Interpreter(
            graph: rewritten, plan: plans.1, domain: IEEEDomain(mode: config.exec, subnormals: config.subnormals),
            reductionOrder: config.reductionOrder)
        truthOriginal = AdaptiveTruth(
            graph: original, plan: plans.0, startPrecision: config.startPrecision,
            maxPrecision: config.maxPrecision, fixedPrecision: config.fixedPrecision)
        truthRewritten = AdaptiveTruth(
            graph: rewritten, plan: plans.1, startPrecision: config.startPrecision,
            maxPrecision: config.maxPrecision, fixedPrecision: config.fixedPrecision)
    }

    func measure(sample: Int, inputs: [Tensor.Elements]) throws -> SampleOutcome {
        let status = try truthOriginal.evaluate(inputs)
        var flipped = truthOriginal.branchFlipped
        guard case .stable = status, let truth = truthOriginal.accepted else {
            return SampleOutcome(
                sample: sample, truth: status, rewrittenTruthStable: false, branchFlip: flipped, outputs: [])
        }
        let rewrittenInputs = interface.rewrittenInputs(inputs)
        let rewrittenStatus = try truthRewritten.evaluate(rewrittenInputs)
        flipped = flipped || truthRewritten.branchFlipped
        let rewrittenTruth: Interpreter<MPFRDomain>? = {
            if case .stable = rewrittenStatus { return truthRewritten.accepted }
            return nil
        }()
        try ieeeOriginal.run(inputs)
        try ieeeRewritten.run(rewrittenInputs)

        var outputs: [OutputSample] = []
        for (k, output) in original.outputs.enumerated() {
            outputs.append(
                measureOutput(
                    k, interface.rewrittenOutput[k], output.type, truth: truth,
                    rewrittenTruth: rewrittenTruth))
        }
        return SampleOutcome(
            sample: sample, truth: status, rewrittenTruthStable: rewrittenTruth != nil,
            branchFlip: flipped, outputs: outputs)
    }

    /// Measures original output `k` against rewritten output `j` (its pair).
    private func measureOutput(
        _ k: Int, _ j: Int, _ type: ArrayType, truth: Interpreter<MPFRDomain>,
        rewrittenTruth: Interpreter<MPFRDomain>?
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
                t = truth.output(k, e, roundedTo: measuring)
                ro = measuring.round(ieeeOriginal.outputDouble(k, e))
                rr = measuring.round(ieeeRewritten.outputDouble(j, e))
                a = PointError.measure(ro, truth: t, in: measuring)
                b = PointError.measure(rr, truth: t, in: measuring)
                if let rewrittenTruth {
                    let u = truth.output(k, e, roundedTo: dtypeFormat)
                    let v = rewrittenTruth.output(j, e, roundedTo: dtypeFormat)
                    semantic = Swift.max(semantic, dtypeFormat.ulpDistance(u, v))
                }
            } else {
                t = truth.outputDouble(k, e)
                ro = ieeeOriginal.outputDouble(k, e)
                rr = ieeeRewritten.outputDouble(j, e)
                a = PointError.measureInteger(ro, truth: t, bitWidth: unit.bitWidth)
                b = PointError.measureInteger(rr, truth: t, bitWidth: unit.bitWidth)
                if let rewrittenTruth {
                    semantic = Swift.max(semantic, Swift.abs(t - rewrittenTruth.outputDouble(j, e)))
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
        m.semanticULPs = rewrittenTruth == nil ? nil : semantic
        return m
    }
}
