import FPEval
import FPGraph
import FPNumerics
import Foundation

/// How the ground truth is computed.
public enum TruthMode: String, Codable, Sendable, CaseIterable {
    /// Binary64 intervals first (``FPEval/IntervalDomain``), then double-double
    /// balls (``FPEval/BallDomain``); the adaptive MPFR truth only for the
    /// samples where both straddle a rounding boundary of an output or a
    /// comparison.
    case tiered
    /// The adaptive MPFR truth for every sample.
    case mpfr
}

/// Which tier decided a truth evaluation.
public enum TruthTier: Sendable, Equatable {
    /// Binary64 intervals decided every output and comparison.
    case interval
    /// Double-double balls decided every output and comparison (the intervals did not).
    case ball
    /// The adaptive MPFR truth (whether or not it stabilised).
    case mpfr
}

/// The truth of one graph on one sample, in the numbers the metrics need:
/// each output element correctly rounded to the format its error is measured
/// in (exact for integer outputs), and to its dtype's format.
///
/// With ``TruthMode/tiered`` a sample is first evaluated in binary64
/// intervals. When every comparison is decided and every output element's
/// interval lies inside one rounding cell of both formats, those roundings are
/// the correctly rounded values of the exact result, and no MPFR evaluation
/// is made. Otherwise the same test is made on double-double balls, about
/// 2^50 times tighter, and only when they do not decide either does the
/// sample go to ``AdaptiveTruth``, exactly as with ``TruthMode/mpfr``.
/// Graphs above ``intervalWorkLimit`` start at the balls.
/// One instance per thread.
final class TieredTruth {
    let graph: Graph
    private let units: [ErrorUnit]
    private let dtypeFormats: [FloatFormat?]
    private let interval: Interpreter<IntervalDomain>?
    private let ball: Interpreter<BallDomain>?
    private let adaptive: AdaptiveTruth

    /// `measured[k][e]`: output `k`, element `e` in its ``ErrorUnit`` (rounded
    /// to the unit's format for floats, exact for integers).
    private(set) var measured: [[Double]]
    /// `dtypeRounded[k][e]`: float output `k`, element `e` rounded to its
    /// dtype's format (the same array as `measured[k]` when the formats agree).
    private(set) var dtypeRounded: [[Double]]
    /// The tier that decided the last evaluation.
    private(set) var tier: TruthTier = .mpfr
    /// True when the last evaluation went to MPFR and a comparison flipped
    /// between two of its precisions.
    private(set) var branchFlipped = false

    /// Output elements of one evaluation (the points it decides).
    let points: Int

    init(graph: Graph, plan: GraphPlan, config: VerificationConfig) {
        self.graph = graph
        units = graph.outputs.map { ErrorUnit(dtype: $0.type.dtype, exec: config.exec) }
        dtypeFormats = graph.outputs.map { $0.type.dtype.isFloatingPoint ? FloatFormat(dtype: $0.type.dtype) : nil }
        measured = graph.outputs.map { [Double](repeating: 0, count: $0.type.elementCount) }
        dtypeRounded = measured
        points = graph.outputs.reduce(0) { $0 + $1.type.elementCount }
        adaptive = AdaptiveTruth(
            graph: graph, plan: plan, startPrecision: config.startPrecision, maxPrecision: config.maxPrecision,
            fixedPrecision: config.fixedPrecision)
        if config.truth == .tiered && config.fixedPrecision == nil {
            interval =
                Self.startsWithIntervals(graph) ? Interpreter(graph: graph, plan: plan, domain: IntervalDomain()) : nil
            ball = Interpreter(graph: graph, plan: plan, domain: BallDomain())
        } else {
            interval = nil
            ball = nil
        }
    }

    /// Graphs of more than this many element operations per evaluation skip
    /// the binary64 intervals and start at the balls: 10^6, the size at
    /// which element sampling starts too. Intervals decide small graphs at a
    /// third of the balls' cost, but their widths grow with every long dot
    /// and reduction, and on graphs this big (a transformer layer) they
    /// decided nothing while costing twice what the balls do.
    static let intervalWorkLimit = 1.0e6

    /// True when `graph` is small enough for the interval tier to be worth trying.
    static func startsWithIntervals(_ graph: Graph) -> Bool {
        graph.evaluationWork.elementOps <= intervalWorkLimit
    }

    /// Evaluates the truth of one sample; read it through ``measured`` and
    /// ``dtypeRounded``. With `reuse`, the interval and ball runs reuse and
    /// store node values (MPFR runs never do).
    func evaluate(_ inputs: [Tensor.Elements], reuse: RunReuse? = nil) throws -> TruthStatus {
        branchFlipped = false
        if let interval, try decides(interval, inputs, reuse: reuse?.site(reuse!.stores.interval)) {
            tier = .interval
            return .enclosed
        }
        if let ball, try decides(ball, inputs, reuse: reuse?.site(reuse!.stores.ball)) {
            tier = .ball
            return .enclosed
        }
        tier = .mpfr
        let status = try adaptive.evaluate(inputs)
        branchFlipped = adaptive.branchFlipped
        if case .stable = status, let accepted = adaptive.accepted { read(accepted) }
        return status
    }

    /// Runs an enclosure tier and fills the arrays from it; false when some
    /// step or output element is not decided.
    private func decides<D: EnclosureDomain>(
        _ enclosure: Interpreter<D>, _ inputs: [Tensor.Elements], reuse: NodeReuse<D>?
    ) throws -> Bool {
        enclosure.domain.reset()
        try enclosure.run(inputs, reuse: reuse)
        return !enclosure.domain.undecided && readDecided(enclosure)
    }

    /// Fills the arrays from an enclosure run; false when some element is not decided.
    private func readDecided<D: EnclosureDomain>(_ interval: Interpreter<D>) -> Bool {
        for (k, unit) in units.enumerated() {
            guard let format = unit.format, let dtypeFormat = dtypeFormats[k] else {
                measured[k] = interval.outputDoubles(k)
                continue
            }
            guard interval.decidedOutputs(k, in: format, into: &measured[k]) else { return false }
            if dtypeFormat == format { continue }
            guard interval.decidedOutputs(k, in: dtypeFormat, into: &dtypeRounded[k]) else { return false }
        }
        return true
    }

    /// Fills the arrays from the accepted MPFR run.
    private func read(_ truth: Interpreter<MPFRDomain>) {
        for (k, unit) in units.enumerated() {
            let n = measured[k].count
            guard let format = unit.format, let dtypeFormat = dtypeFormats[k] else {
                measured[k] = truth.outputDoubles(k)
                continue
            }
            for e in 0..<n { measured[k][e] = truth.output(k, e, roundedTo: format) }
            if dtypeFormat == format { continue }
            for e in 0..<n { dtypeRounded[k][e] = truth.output(k, e, roundedTo: dtypeFormat) }
        }
    }

    /// Float output `k`, element `e` rounded to its dtype's format.
    @inline(__always)
    func dtypeValue(_ k: Int, _ e: Int) -> Double {
        units[k].format == dtypeFormats[k] ? measured[k][e] : dtypeRounded[k][e]
    }
}

extension SampleCounts {
    /// How reports describe the truth in one phrase: `truth precision auto
    /// (max used 256 bits)` for MPFR alone; for the tiered truth `truth
    /// tiered: intervals decided 98.4% of 16384 points, MPFR the rest (max
    /// used 256 bits)`, naming the balls when they decided any point
    /// (`intervals decided 12.5%, double-double balls 87.5% of 2048 points`).
    public func truthDescription(_ config: VerificationConfig) -> String {
        guard let t = truthPoints else {
            return "truth precision \(config.precisionDescription) (max used \(maxPrecisionUsed) bits)"
        }
        let share = CFormat.string("%.1f%%", 100 * t.intervalShare)
        let balls = t.ball == 0 ? "" : CFormat.string(", double-double balls %.1f%%", 100 * t.ballShare)
        let rest = t.mpfr == 0 ? "" : ", MPFR the rest (max used \(maxPrecisionUsed) bits)"
        return "truth tiered: intervals decided \(share)\(balls) of \(t.total) points\(rest)"
    }
}
