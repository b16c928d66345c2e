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
    /// `elements[k][e]`: the row-major index in output `k` of measured element
    /// `e`, when element sampling measured a subset; nil when every element was.
    var elements: [[Int]]?

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
    var byteCount: Int { 8 * 3 * points + 8 * (elements?.reduce(0) { $0 + $1.count } ?? 0) + 64 }
}

/// A graph's evaluation plan, made once on first use and shared by the
/// threads that evaluate the graph: a graph measured only on element boxes
/// never plans (nor allocates for) all of its elements. With node reuse, it
/// also holds the graph's value digests and the nodes its runs store.
final class SharedPlan: @unchecked Sendable {
    /// The graph evaluated: with node reuse, the graph with its calls
    /// inlined (``FPGraph/Graph/inliningCalls()``, the same values), so that
    /// the digests of fused nodes are those of the nodes they fused.
    let graph: Graph
    /// The trace's node reuse, when this graph takes part in it.
    let reuse: SnapshotReuse?
    private let lock = NSLock()
    private var made: GraphPlan?
    private var madeDigests: (digests: [ValueDigest], keep: [Bool])?

    init(graph: Graph, reuse: SnapshotReuse? = nil) {
        self.graph = reuse == nil ? graph : graph.inliningCalls()
        // The next snapshot is evaluated inlined too: its digests are those.
        self.reuse = reuse.map { SnapshotReuse(stores: $0.stores, next: $0.next?.inliningCalls()) }
    }

    var plan: GraphPlan {
        lock.lock()
        defer { lock.unlock() }
        if let made { return made }
        let plan = GraphPlan(graph: graph)
        made = plan
        return plan
    }

    /// The reuse of a run on `inputs` (nil without node reuse).
    func runReuse(_ inputs: [Tensor.Elements]) -> RunReuse? {
        guard let reuse else { return nil }
        lock.lock()
        if madeDigests == nil {
            let digests = graph.entryValueDigests
            let keep =
                reuse.next.map { next in
                    SnapshotReuse.keep(graph: graph, digests: digests, next: next, nextDigests: next.entryValueDigests)
                } ?? [Bool](repeating: false, count: digests.count)
            madeDigests = (digests, keep)
        }
        let (digests, keep) = madeDigests!
        lock.unlock()
        return RunReuse(digests: digests, keep: keep, inputs: EvaluationCache.digest(inputs), stores: reuse.stores)
    }

    /// The plan of the part of this graph that computes `sliced`'s output
    /// boxes, with the next snapshot cut to the same boxes.
    func sliced(_ sliced: SlicedGraph) -> SharedPlan {
        let reuse = self.reuse.map { r in
            SnapshotReuse(stores: r.stores, next: r.next?.sliced(outputs: sliced.outputBoxes)?.graph)
        }
        return SharedPlan(graph: sliced.graph, reuse: reuse)
    }
}

/// Evaluates one graph on samples: its IEEE interpreter and its tiered truth.
/// One instance per thread.
final class GraphEvaluator {
    let graph: Graph
    private let shared: SharedPlan
    private let config: VerificationConfig
    /// Made on first use: a graph measured only on element boxes never needs
    /// buffers for all of its elements.
    private lazy var ieee = Interpreter(
        graph: graph, plan: shared.plan, domain: IEEEDomain(mode: config.exec, subnormals: config.subnormals),
        reductionOrder: config.reductionOrder)
    private lazy var truth = TieredTruth(graph: graph, plan: shared.plan, config: config)

    /// An evaluator of `plan`'s graph.
    init(plan: SharedPlan, config: VerificationConfig) {
        graph = plan.graph
        shared = plan
        self.config = config
    }

    /// The graph's truth and IEEE outputs on `inputs`, at every output element.
    func evaluate(_ inputs: [Tensor.Elements]) throws -> SampleEvaluation {
        let reuse = shared.runReuse(inputs)
        let status = try truth.evaluate(inputs, reuse: reuse)
        try ieee.run(inputs, reuse: reuse?.site(reuse!.stores.ieee))
        let outputs = graph.outputs.indices.map { ieee.outputDoubles($0) }
        let dtypeTruth = graph.outputs.indices.map { k in
            (0..<graph.outputs[k].type.elementCount).map { truth.dtypeValue(k, $0) }
        }
        return SampleEvaluation(
            status: status, tier: truth.tier, branchFlipped: truth.branchFlipped, points: truth.points,
            truth: truth.measured, dtypeTruth: dtypeTruth, ieee: outputs)
    }

    /// The graph's truth and IEEE outputs at the elements of `sliced`'s
    /// output boxes: the cut-down graph (``Graph/sliced(outputs:)``) is
    /// evaluated on `inputs` (its parameters' boxes), so the values are the
    /// whole graph's at those elements.
    func evaluate(_ sliced: SlicedGraph, inputs: [Tensor.Elements]) throws -> SampleEvaluation {
        let part = GraphEvaluator(plan: shared.sliced(sliced), config: config)
        let result = try part.evaluate(inputs)
        result.elements = zip(sliced.outputBoxes, graph.outputs).map { $0.flatIndices(in: $1.type.dimensions) }
        return result
    }

    /// The graph's truth and IEEE outputs on whole `inputs` at the elements of
    /// `boxes` (one per output), from an evaluation of the whole graph (for a
    /// graph that cannot be cut down).
    func evaluate(_ inputs: [Tensor.Elements], boxes: [ElementBox]) throws -> SampleEvaluation {
        let elements = zip(boxes, graph.outputs).map { $0.flatIndices(in: $1.type.dimensions) }
        let whole = try evaluate(inputs)
        func pick(_ values: [[Double]]) -> [[Double]] { zip(values, elements).map { v, e in e.map { v[$0] } } }
        let result = SampleEvaluation(
            status: whole.status, tier: whole.tier, branchFlipped: whole.branchFlipped, points: whole.points,
            truth: pick(whole.truth), dtypeTruth: pick(whole.dtypeTruth), ieee: pick(whole.ieee))
        result.elements = elements
        return result
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

    /// A digest of input values (every element's bits, in order) and of the
    /// output boxes measured, if any.
    static func digest(_ inputs: [Tensor.Elements], boxes: [ElementBox]? = nil) -> UInt64 {
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
        for box in boxes ?? [] {
            mix(UInt64(box.indices.count) | 1 << 62)
            for list in box.indices {
                mix(UInt64(list.count))
                for i in list { mix(UInt64(i)) }
            }
        }
        return h
    }
}
