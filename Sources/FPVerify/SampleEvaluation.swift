import FPEval
import FPGraph
import FPNumerics
import Foundation

/// One graph's results on one sample, as the measurements read them: its
/// truth (``TieredTruth``) and its IEEE outputs. Immutable, so the steps of a
/// trace can share it (``EvaluationCache``).
final class SampleEvaluation: @unchecked Sendable {
    /// The truth's status (unstable truths carry no usable values).
    let status: TruthStatus
    /// The tier that decided the truth.
    let tier: TruthTier
    /// A comparison flipped between two MPFR precisions.
    let branchFlipped: Bool
    /// Output elements of the graph (the points its truth decides).
    let points: Int
    /// `truth[k][e]`: output `k`, element `e` in its ``ErrorUnit``.
    let truth: [[Double]]
    /// `dtypeTruth[k][e]`: float output `k`, element `e` rounded to its dtype.
    let dtypeTruth: [[Double]]
    /// `ieee[k][e]`: the IEEE evaluator's output `k`, element `e`.
    let ieee: [[Double]]

    init(
        status: TruthStatus, tier: TruthTier, branchFlipped: Bool, points: Int, truth: [[Double]],
        dtypeTruth: [[Double]], ieee: [[Double]]
    ) {
        self.status = status
        self.tier = tier
        self.branchFlipped = branchFlipped
        self.points = points
        self.truth = truth
        self.dtypeTruth = dtypeTruth
        self.ieee = ieee
    }

    /// False when the truth never stabilised.
    var truthIsUsable: Bool {
        if case .unstable = status { return false }
        return true
    }

    /// The bytes the evaluation holds (for the cache's budget).
    var byteCount: Int { 8 * 3 * points + 64 }
}

/// Evaluates one graph on samples: its IEEE interpreter and its tiered truth.
/// One instance per thread.
final class GraphEvaluator {
    let graph: Graph
    private let ieee: Interpreter<IEEEDomain>
    private let truth: TieredTruth

    init(graph: Graph, plan: GraphPlan, config: VerificationConfig) {
        self.graph = graph
        ieee = Interpreter(
            graph: graph, plan: plan, domain: IEEEDomain(mode: config.exec, subnormals: config.subnormals),
            reductionOrder: config.reductionOrder)
        truth = TieredTruth(graph: graph, plan: plan, config: config)
    }

    /// The graph's truth and IEEE outputs on `inputs`.
    func evaluate(_ inputs: [Tensor.Elements]) throws -> SampleEvaluation {
        let status = try truth.evaluate(inputs)
        try ieee.run(inputs)
        let outputs = graph.outputs.enumerated().map { k, output in
            (0..<output.type.elementCount).map { ieee.outputDouble(k, $0) }
        }
        let dtypeTruth = graph.outputs.indices.map { k in
            (0..<graph.outputs[k].type.elementCount).map { truth.dtypeValue(k, $0) }
        }
        return SampleEvaluation(
            status: status, tier: truth.tier, branchFlipped: truth.branchFlipped, points: truth.points,
            truth: truth.measured, dtypeTruth: dtypeTruth, ieee: outputs)
    }
}

/// Evaluations of graphs on samples, shared between verifications that
/// measure the same graph on the same inputs: the steps of a trace, where
/// each snapshot is the rewritten graph of one step and the original of the
/// next (snapshots an unchanged pass leaves alone share a canonical hash).
///
/// Keyed by the graph's canonical hash (which covers its parameters and
/// outputs by position and type), the sample and a digest of the input
/// values, so an entry is only used for the same function on the same
/// inputs, under the one configuration the owner (a trace) uses throughout.
/// Memory is bounded: a graph's evaluations stop being stored past
/// ``maxBytesPerGraph``, and ``retain(only:)`` drops the graphs no later step needs.
public final class EvaluationCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: [Int: (digest: UInt64, evaluation: SampleEvaluation)]] = [:]
    private var bytes: [String: Int] = [:]
    /// The most a graph's stored evaluations may take.
    public let maxBytesPerGraph: Int
    /// Evaluations taken from the cache (for benchmarks and tests).
    public private(set) var hits = 0

    /// Creates an empty cache.
    public init(maxBytesPerGraph: Int = 256 << 20) { self.maxBytesPerGraph = maxBytesPerGraph }

    func lookup(graph: String, sample: Int, digest: UInt64) -> SampleEvaluation? {
        lock.lock()
        defer { lock.unlock() }
        guard let entry = entries[graph]?[sample], entry.digest == digest else { return nil }
        hits += 1
        return entry.evaluation
    }

    func store(_ evaluation: SampleEvaluation, graph: String, sample: Int, digest: UInt64) {
        lock.lock()
        defer { lock.unlock() }
        let used = bytes[graph, default: 0]
        guard used + evaluation.byteCount <= maxBytesPerGraph else { return }
        if entries[graph]?[sample] == nil { bytes[graph] = used + evaluation.byteCount }
        entries[graph, default: [:]][sample] = (digest, evaluation)
    }

    /// Drops the evaluations of every graph whose canonical hash is not in `keep`.
    public func retain(only keep: Set<String>) {
        lock.lock()
        defer { lock.unlock() }
        for key in entries.keys where !keep.contains(key) {
            entries[key] = nil
            bytes[key] = nil
        }
    }

    /// A digest of input values (every element's bits, in order).
    static func digest(_ inputs: [Tensor.Elements]) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ v: UInt64) { h = (h ^ v) &* 0x100_0000_01b3 }
        for input in inputs {
            switch input {
            case .floats(let values):
                mix(UInt64(values.count))
                for v in values { mix(v.bitPattern) }
            case .integers(let values):
                mix(UInt64(values.count) | 1 << 63)
                for v in values { mix(UInt64(bitPattern: v)) }
            }
        }
        return h
    }
}
