import FPEval
import FPGraph
import FPNumerics

/// The outcome of evaluating the ground truth on one sample.
public enum TruthStatus: Equatable, Sendable {
    /// Two successive precisions agreed; the truth is taken from the higher one.
    case stable(precision: Int)
    /// Binary64 intervals decided every output and comparison (``TieredTruth``):
    /// no MPFR evaluation was needed.
    case enclosed
    /// No two successive precisions up to the cap agreed: the sample is not used.
    case unstable(lastPrecision: Int)
}

/// Evaluates a graph with MPFR at increasing precision until every output,
/// rounded to f64, and every comparison outcome are identical at two
/// successive precisions (`p`, `2p`, `4p`, ... up to the cap).
///
/// One instance per thread: it keeps one interpreter per precision level,
/// created on first use and reused for every later sample.
public final class AdaptiveTruth {
    /// The graph whose truth is evaluated.
    public let graph: Graph
    let plan: GraphPlan
    let start: Int
    let cap: Int
    let fixed: Int?
    private var levels: [Int: Interpreter<MPFRDomain>] = [:]
    private var previous: [Double] = []
    private var current: [Double] = []

    /// The interpreter whose outputs are the accepted truth of the last call.
    public private(set) var accepted: Interpreter<MPFRDomain>?
    /// True when a comparison flipped between two precisions in the last call.
    public private(set) var branchFlipped = false

    /// Creates an evaluator; nothing is evaluated until ``evaluate(_:)``.
    /// - Parameters:
    ///   - plan: the graph's plan (shareable between threads).
    ///   - startPrecision: the first working precision, in bits.
    ///   - maxPrecision: the cap, in bits; raised to `startPrecision` when lower.
    ///   - fixedPrecision: when set, the only precision used, with no stability test.
    public init(graph: Graph, plan: GraphPlan, startPrecision: Int, maxPrecision: Int, fixedPrecision: Int?) {
        self.graph = graph
        self.plan = plan
        start = startPrecision
        cap = max(maxPrecision, startPrecision)
        fixed = fixedPrecision
    }

    private func interpreter(_ precision: Int) -> Interpreter<MPFRDomain> {
        if let i = levels[precision] { return i }
        let i = Interpreter(graph: graph, plan: plan, domain: MPFRDomain(precision: precision))
        levels[precision] = i
        return i
    }

    /// Evaluates the truth of one sample; read it through ``accepted``.
    public func evaluate(_ inputs: [Tensor.Elements]) throws -> TruthStatus {
        branchFlipped = false
        if let fixed {
            let i = interpreter(fixed)
            try i.run(inputs)
            accepted = i
            return .stable(precision: fixed)
        }
        var precision = start
        var low = interpreter(precision)
        try low.run(inputs)
        snapshot(low, into: &previous)
        var lowDigest = low.branchDigest
        while precision * 2 <= cap {
            precision *= 2
            let high = interpreter(precision)
            try high.run(inputs)
            snapshot(high, into: &current)
            let sameBranches = high.branchDigest == lowDigest
            if !sameBranches { branchFlipped = true }
            if sameBranches && identical(previous, current) {
                accepted = high
                return .stable(precision: precision)
            }
            swap(&previous, &current)
            lowDigest = high.branchDigest
            low = high
        }
        accepted = nil
        return .unstable(lastPrecision: precision)
    }

    /// All float outputs rounded to f64, in output order.
    private func snapshot(_ i: Interpreter<MPFRDomain>, into values: inout [Double]) {
        values.removeAll(keepingCapacity: true)
        for k in graph.outputs.indices { values.append(contentsOf: i.outputDoubles(k)) }
    }

    private func identical(_ a: [Double], _ b: [Double]) -> Bool {
        guard a.count == b.count else { return false }
        for (x, y) in zip(a, b) where !(x.bitPattern == y.bitPattern || (x.isNaN && y.isNaN)) { return false }
        return true
    }
}
