import FPEval
import FPGraph
import FPMPFR
import FPNumerics
import Foundation

/// One graph to verify, with where it came from.
public struct VerificationSubject: Sendable {
    /// The parsed graph.
    public var graph: Graph
    /// Its path and hashes, for reports.
    public var identity: GraphIdentity
    /// Input distributions the graph file declares, by parameter name.
    public var defaultInputs: [String: Distribution]
    /// The graph file's bytes, as read (what the audit log stores); nil for a
    /// graph built in code.
    public var bytes: Data?

    /// Creates a subject; `defaultInputs` are the distributions the graph file
    /// declares, by parameter name (none by default), `bytes` the file's
    /// contents when the graph was read from one.
    public init(
        graph: Graph, identity: GraphIdentity, defaultInputs: [String: Distribution] = [:], bytes: Data? = nil
    ) {
        self.graph = graph
        self.identity = identity
        self.defaultInputs = defaultInputs
        self.bytes = bytes
    }
}

/// Receives progress (samples done, samples total); called from worker threads.
public typealias ProgressHandler = @Sendable (_ done: Int, _ total: Int) -> Void

/// Runs an ORIGINAL and a REWRITTEN graph on sampled inputs and measures both
/// against the ORIGINAL's MPFR truth.
public struct Verifier: Sendable {
    /// The graph before the rewrite; its MPFR truth is the reference for both.
    public let original: VerificationSubject
    /// The graph after the rewrite.
    public let rewritten: VerificationSubject
    /// The settings of the run.
    public let config: VerificationConfig
    /// How the two graphs' parameters and outputs are paired.
    public let interface: InterfaceMatch
    /// Evaluations shared with other verifications of the same graphs on the
    /// same inputs (a trace's steps); nil to evaluate everything here.
    public var evaluationCache: EvaluationCache?
    /// Node values shared with the other steps of a trace: both graphs read
    /// the values earlier steps stored, and the rewritten graph stores what
    /// ``SnapshotReuse/next`` will read. Nil to evaluate every node here.
    public var nodeReuse: SnapshotReuse?

    /// - Throws: ``VerifyError`` when the graphs' interfaces cannot be paired or the config is invalid.
    public init(original: VerificationSubject, rewritten: VerificationSubject, config: VerificationConfig) throws {
        self.original = original
        self.rewritten = rewritten
        self.config = config
        interface = try InterfaceMatch.resolve(original: original.graph, rewritten: rewritten.graph, mode: config.match)
        guard config.samples >= 1 else { throw VerifyError.badConfig("--samples must be at least 1") }
        guard config.workers >= 1 else { throw VerifyError.badConfig("workers must be at least 1") }
        if let p = config.fixedPrecision, !(64...(1 << 20)).contains(p) {
            throw VerifyError.badConfig("--precision must be auto or between 64 and 1048576 bits, got \(p)")
        }
        guard config.startPrecision >= 64, config.maxPrecision >= config.startPrecision, config.maxPrecision <= 1 << 20
        else {
            throw VerifyError.badConfig("precision range must satisfy 64 <= start <= cap <= 1048576")
        }
    }

    /// The sampler this verification uses (also used to rebuild a sample's inputs).
    /// `--input` and fixed inputs may name a parameter by either graph's
    /// names (the original's win) or by position (`#i`, the original's).
    public func sampler() throws -> InputSampler {
        try InputSampler(
            graph: original.graph, seed: config.seed, defaults: original.defaultInputs,
            overrides: originalKeys(config.inputs), fixed: originalKeys(config.fixedInputs), recorded: config.recorded)
    }

    /// Re-keys a by-parameter map so that names only the rewritten graph uses
    /// become the paired original parameter's position.
    private func originalKeys<Value>(_ byKey: [String: Value]) -> [String: Value] {
        var result: [String: Value] = [:]
        for (key, value) in byKey {
            if original.graph.parameter(named: key) == nil, let p = rewritten.graph.parameter(named: key),
                let i = interface.rewrittenParameter.firstIndex(of: p.index)
            {
                result["#\(i)"] = value
            } else {
                result[key] = value
            }
        }
        return result
    }

    /// Runs the verification: measures both graphs. The result is not judged
    /// (no findings, verdict `pass`, no policy) until a policy judges it
    /// (`FPPolicy`'s `PolicyEvaluator.judge`).
    /// - Parameter replay: when given, the one input set to evaluate instead of sampling.
    public func run(replay: [Tensor.Elements]? = nil, progress: ProgressHandler? = nil) async throws
        -> VerificationResult
    {
        let sampler = try sampler()
        let total = replay == nil ? config.samples : 1
        let workers = min(config.workers, total)
        let reuse = replay == nil ? nodeReuse : nil
        let plans = (
            SharedPlan(graph: original.graph, reuse: reuse.map { SnapshotReuse(stores: $0.stores, next: nil) }),
            SharedPlan(graph: rewritten.graph, reuse: reuse)
        )
        let counter = ProgressCounter(total: total, handler: progress)
        let config = self.config
        let interface = self.interface
        let (originalGraph, rewrittenGraph) = (original.graph, rewritten.graph)

        // Samples go in rounds of blocks: the workers take blocks as they
        // finish, and a round's outcomes are folded in sample order before the
        // next round starts, so memory holds one round, whatever the sample count.
        let pool = (0..<workers).map { _ in
            WorkerBox(
                SampleWorker(
                    original: originalGraph, rewritten: rewrittenGraph, plans: plans, interface: interface,
                    config: config, cache: replay == nil ? evaluationCache : nil,
                    keys: (original.identity.canonicalHash, rewritten.identity.canonicalHash)))
        }
        let fold = OrderedFold(
            Aggregator(
                graph: original.graph, exec: config.exec,
                tiered: config.truth == .tiered && config.fixedPrecision == nil))
        let blockSize = Self.blockSize(samples: total, workers: workers)
        let roundSize = blockSize * Self.blocksPerWorker * workers
        for roundStart in stride(from: 0, to: total, by: roundSize) {
            let blocks = stride(from: roundStart, to: min(total, roundStart + roundSize), by: blockSize).map {
                $0..<min(total, $0 + blockSize)
            }
            let queue = BlockQueue(count: blocks.count)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for box in pool {
                    group.addTask {
                        while let b = queue.next() {
                            var outcomes: [SampleOutcome] = []
                            for s in blocks[b] {
                                try Task.checkCancellation()
                                let inputs = replay.map { SampleInputs.values($0) } ?? .drawn(sampler)
                                outcomes.append(try box.worker.measure(sample: s, inputs: inputs))
                                counter.increment()
                            }
                            fold.deliver(blocks[b].lowerBound, outcomes)
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        let aggregate = fold.aggregate
        var (outputs, counts) = aggregate.finish(requested: total) { s in
            replay ?? sampler.inputs(forSample: s)
        }
        var distributions: [(parameter: String, distribution: String)] = []
        for (k, parameter) in original.graph.parameters.enumerated() {
            let text =
                replay != nil
                ? "replay"
                : sampler.recorded?.values[k] != nil
                    ? "recorded(\(sampler.recorded!.record.path.split(separator: "/").last ?? ""))"
                    : (sampler.fixed[k]?.description ?? sampler.distributions[k].description)
            distributions.append((parameter.name, text))
        }
        let unitNames = outputs.map { ErrorUnit(dtype: $0.type.dtype, exec: config.exec).name(dtype: $0.type.dtype) }
        for (k, name) in unitNames.enumerated() {
            outputs[k].rewrittenName = rewritten.graph.outputs[interface.rewrittenOutput[k]].name
            outputs[k].measuredIn = name
            if let target = config.elements {
                let count = ElementSampling.counts(outputs[k].type.dimensions, target: target).reduce(1, *)
                if count < outputs[k].type.elementCount { outputs[k].elementsPerSample = count }
            }
        }
        var result = VerificationResult(
            original: original.identity, rewritten: rewritten.identity, config: config,
            parameters: original.graph.parameters, distributions: distributions,
            outputs: outputs, samples: counts,
            hotspots: try hotspots(outputs, inputs: replay.map { SampleInputs.values($0) } ?? .drawn(sampler)),
            findings: [], verdict: .pass, replay: replay != nil)
        if config.search > 0, replay == nil {
            result.search = try search(outputs, sampler: sampler)
        }
        result.interface = interface
        result.defaultedInputs =
            replay == nil
            ? sampler.defaulted.filter { d in
                sampler.fixed[original.graph.parameters.firstIndex { $0.name == d.parameter }!] == nil
            } : []
        let roots = rewritten.graph.outputRootNodes
        result.rewrittenRoots = interface.rewrittenOutput.map {
            NodeSite(node: roots[$0].name, op: roots[$0].operation.opcodeName, location: roots[$0].location)
        }
        return result
    }
}

extension Verifier {
    /// Samples a worker takes at a time.
    static let blockSize = 16

    /// The samples a worker takes at a time: ``blockSize``, or fewer when
    /// there are too few samples to give every worker several blocks (eight
    /// samples of a big graph then keep both cores busy). Results never
    /// depend on it: outcomes are folded in sample order.
    static func blockSize(samples: Int, workers: Int) -> Int {
        max(1, min(blockSize, samples / max(1, 4 * workers)))
    }
    /// Blocks per worker in a round (the outcomes of one round are held in memory).
    static let blocksPerWorker = 8
}

extension Verifier {
    /// The worst-case search (``WorstCaseSearch``) from the samples where
    /// the rewrite lost the most, worst first; nil without a worst case.
    func search(_ outputs: [OutputMetrics], sampler: InputSampler) throws -> SearchOutcome? {
        var starts: [(sample: Int, inputs: [Tensor.Elements], bitsLost: Double)] = []
        for w in outputs.compactMap(\.worst).sorted(by: { $0.bitsLost > $1.bitsLost })
        where !starts.contains(where: { $0.sample == w.sample }) {
            let inputs = w.inputs?.tensors.map(\.elements) ?? sampler.inputs(forSample: w.sample)
            starts.append((w.sample, inputs, w.bitsLost))
        }
        let worker = SampleWorker(
            original: original.graph, rewritten: rewritten.graph,
            plans: (SharedPlan(graph: original.graph, reuse: nil), SharedPlan(graph: rewritten.graph, reuse: nil)),
            interface: interface, config: config)
        defer { MPFRConfiguration.releaseCurrentThreadCaches() }
        let search = WorstCaseSearch(
            budget: config.search, seed: config.seed, parameters: original.graph.parameters,
            supports: original.graph.parameters.indices.map { k in
                sampler.fixed[k] != nil || sampler.recorded?.values[k] != nil
                    ? nil : WorstCaseSearch.Support(sampler.distributions[k])
            },
            bitsLost: { sample, inputs in
                let outcome = try worker.measure(sample: sample, inputs: .values(inputs))
                if case .unstable = outcome.truth { return nil }
                return outcome.outputs.map(\.worstLost).max()
            })
        return try search.run(starts: starts)
    }
}

/// Hands out block indices to the workers of a round, each exactly once.
final class BlockQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var nextBlock = 0
    let count: Int

    init(count: Int) { self.count = count }

    func next() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard nextBlock < count else { return nil }
        nextBlock += 1
        return nextBlock - 1
    }
}

/// Folds the outcomes of blocks of samples into one ``Aggregator`` in sample
/// order, on the workers' threads as they finish their blocks: a block is
/// held until every block before it has been folded, so the results never
/// depend on which worker finished first.
final class OrderedFold: @unchecked Sendable {
    private let lock = NSLock()
    private var folded: Aggregator
    /// The first sample not yet folded.
    private var next = 0
    /// Finished blocks waiting for an earlier one, by their first sample.
    private var waiting: [Int: [SampleOutcome]] = [:]

    init(_ aggregate: Aggregator) { folded = aggregate }

    /// Hands over the outcomes of the block of samples starting at `first`.
    func deliver(_ first: Int, _ outcomes: [SampleOutcome]) {
        lock.lock()
        defer { lock.unlock() }
        waiting[first] = outcomes
        while let ready = waiting.removeValue(forKey: next) {
            for outcome in ready { folded.add(outcome) }
            next += max(1, ready.count)
        }
    }

    /// Everything folded so far (call once every worker has finished).
    var aggregate: Aggregator {
        lock.lock()
        defer { lock.unlock() }
        return folded
    }
}

/// A worker used by one task at a time (each round gives each worker to one task).
final class WorkerBox: @unchecked Sendable {
    let worker: SampleWorker
    init(_ worker: SampleWorker) { self.worker = worker }
}

extension Verifier {
    /// The samples localised besides the worst: one per ``localizationStride``
    /// measured samples, at most ``maxLocalizedSamples`` in all.
    static func localizedSamples(total: Int, worst: Int) -> [Int] {
        let count = min(maxLocalizedSamples, max(1, total / localizationStride))
        guard count > 1 else { return [] }
        let others = (0..<count).map { $0 * total / count }.filter { $0 != worst }
        return Array(others.prefix(count - 1))
    }
    /// Samples per localised sample. Localising a sample costs several
    /// measured samples (a truth of each graph, then each node on its own),
    /// so one in 64 adds about a tenth to a small graph's sampling.
    static let localizationStride = 64
    /// The most samples localised in one run.
    static let maxLocalizedSamples = 32

    /// Local errors of both graphs: at the sample where the rewrite lost the
    /// most, and over ``localizedSamples(total:worst:)`` more samples, spread
    /// over the run (each node's ``NodeError/spread``). Each node's figures and
    /// cause are those of the sample where its own local error was largest.
    func hotspots(_ outputs: [OutputMetrics], inputs source: SampleInputs) throws -> Hotspots? {
        guard let worst = outputs.compactMap(\.worst).max(by: { $0.bitsLost < $1.bitsLost }) else { return nil }
        // Whole graphs are localised by one localizer each at every sample; graphs
        // cut down for a sample's elements get their own.
        let whole =
            config.elements == nil
            ? try Self.inParallel { k in localizer(k == 0 ? original.graph : rewritten.graph) } : nil
        func localizers(_ pair: ((Graph, [Tensor.Elements]), (Graph, [Tensor.Elements]))) -> (Localizer, Localizer) {
            whole ?? (localizer(pair.0.0), localizer(pair.1.0))
        }
        let atWorst = try localizationPair(sample: worst.sample, keptInputs: worst.inputs, source: source)
        let (left, right) = try localizeBoth(atWorst, localizers: whole)
        var others: [Int] = []
        if case .drawn = source { others = Self.localizedSamples(total: config.samples, worst: worst.sample) }
        guard !others.isEmpty else {
            return Hotspots(
                sample: worst.sample, original: Localizer.settled(left.errors),
                rewritten: ReductionOrderRule.apply(
                    to: Localizer.settled(right.errors), sample: worst.sample,
                    profiles: [worst.sample: (left.sums, right.sums)]))
        }
        // The other samples go to all cores, a sample (both graphs) at a time.
        let more = others.concurrentMap { s in
            Result { () -> (Localizer.Localization, Localizer.Localization) in
                defer { MPFRConfiguration.releaseCurrentThreadCaches() }
                let pair = try localizationPair(sample: s, keptInputs: nil, source: source)
                let (a, b) = localizers(pair)
                return (try localize(a, pair.0.1), try localize(b, pair.1.1))
            }
        }
        var perSample = [(worst.sample, left, right)]
        for (s, r) in zip(others, more) {
            let (l, r) = try r.get()
            perSample.append((s, l, r))
        }
        // Causes are settled once per node, at the sample where it lost the
        // most; a changed reduction order is named from both graphs' sums there.
        var profiles: [Int: (original: SumProfile, rewritten: SumProfile)] = [:]
        for (s, l, r) in perSample { profiles[s] = (l.sums, r.sums) }
        return Hotspots(
            sample: worst.sample, original: Localizer.settled(Self.spread(perSample.map { ($0.0, $0.1.errors) })),
            rewritten: ReductionOrderRule.apply(
                to: Localizer.settled(Self.spread(perSample.map { ($0.0, $0.2.errors) })), sample: worst.sample,
                profiles: profiles))
    }

    /// Each node's local errors over several samples: the figures and cause of
    /// the sample where it lost the most, with the spread; worst first (by
    /// the largest, then the mean).
    static func spread(_ perSample: [(sample: Int, errors: [NodeError])]) -> [NodeError] {
        var byNode: [String: (worst: NodeError, sample: Int, sum: Double, count: Int)] = [:]
        var order: [String] = []
        for (sample, errors) in perSample {
            for e in errors {
                let key = e.qualifiedName
                guard var entry = byNode[key] else {
                    byNode[key] = (e, sample, e.bits, 1)
                    order.append(key)
                    continue
                }
                entry.sum += e.bits
                entry.count += 1
                if e.bits > entry.worst.bits { (entry.worst, entry.sample) = (e, sample) }
                byNode[key] = entry
            }
        }
        return order.map { name in
            let entry = byNode[name]!
            var e = entry.worst
            e.spread = LocalErrorSpread(
                samples: entry.count, maxBits: entry.worst.bits, meanBits: entry.sum / Double(entry.count),
                worstSample: entry.sample)
            return e
        }.sorted {
            ($0.maxBits, $0.meanBits, $1.qualifiedName) > ($1.maxBits, $1.meanBits, $0.qualifiedName)
        }
    }

    /// The two graphs to localise at sample `s`, each with its inputs: the
    /// whole graphs, or under element sampling the graphs cut down to what the
    /// sample's measured elements depend on (cut down, and their inputs
    /// drawn, on a thread each).
    private func localizationPair(sample s: Int, keptInputs: NamedTensors?, source: SampleInputs) throws -> (
        (Graph, [Tensor.Elements]), (Graph, [Tensor.Elements])
    ) {
        func whole() -> [Tensor.Elements] {
            if let kept = keptInputs?.tensors.map(\.elements) { return kept }
            switch source {
            case .values(let v): return v
            case .drawn(let sampler): return sampler.inputs(forSample: s)
            }
        }
        if let target = config.elements {
            let boxes = ElementSampling.boxes(
                original: original.graph.outputs, rewritten: rewritten.graph.outputs, interface: interface,
                target: target, seed: config.seed, sample: s)
            let originalOf = Dictionary(
                uniqueKeysWithValues: interface.rewrittenParameter.enumerated().map { ($1, $0) })
            let (a, b) = try Self.inParallel { k -> (Graph, [Tensor.Elements])? in
                let (graph, outputBoxes) =
                    k == 0 ? (original.graph, boxes.original) : (rewritten.graph, boxes.rewritten)
                guard let sliced = graph.sliced(outputs: outputBoxes) else { return nil }
                let inputs = graph.parameters.indices.map { p in
                    let box = sliced.parameterBoxes[p]
                    let position = k == 0 ? p : originalOf[p]!
                    switch source {
                    case .drawn(let sampler) where keptInputs == nil:
                        return sampler.value(forSample: s, parameter: position, box: box)
                    default:
                        return box.gather(whole()[position], dimensions: graph.parameters[p].type.dimensions)
                    }
                }
                return (sliced.graph, inputs)
            }
            if let a, let b { return (a, b) }
        }
        let inputs = whole()
        return ((original.graph, inputs), (rewritten.graph, interface.rewrittenInputs(inputs)))
    }

    /// The local errors of two graphs, each on its inputs, side by side on
    /// two threads (with the given localizers, or new ones made there). Each
    /// frees its thread's MPFR caches when done, since the threads may be short-lived.
    private func localizeBoth(
        _ pair: ((Graph, [Tensor.Elements]), (Graph, [Tensor.Elements])), localizers: (Localizer, Localizer)?
    ) throws -> (Localizer.Localization, Localizer.Localization) {
        try Self.inParallel { k in
            let (graph, inputs) = k == 0 ? pair.0 : pair.1
            defer { MPFRConfiguration.releaseCurrentThreadCaches() }
            let given = localizers.map { k == 0 ? $0.0 : $0.1 }
            return try localize(given ?? localizer(graph), inputs)
        }
    }

    /// `body(0)` and `body(1)`, on two threads; the first error thrown, if any.
    static func inParallel<T>(_ body: (Int) throws -> T) throws -> (T, T) {
        let results = PairResults<T>()
        DispatchQueue.concurrentPerform(iterations: 2) { k in results.set(k, Result { try body(k) }) }
        return (try results.get(0), try results.get(1))
    }

    /// A localizer of `graph` under this run's settings.
    private func localizer(_ graph: Graph) -> Localizer {
        Localizer(graph: graph, exec: config.exec, order: config.reductionOrder, subnormals: config.subnormals)
    }

    /// The local error of every node of `localizer.graph` on `inputs`, with the
    /// graph's sums: from the enclosure tiers when one decides every value the
    /// local errors need (tiered truth), otherwise from the adaptive MPFR truth.
    private func localize(_ localizer: Localizer, _ inputs: [Tensor.Elements]) throws -> Localizer.Localization {
        let (graph, plan) = (localizer.graph, localizer.plan)
        if config.truth == .tiered && config.fixedPrecision == nil {
            let intervals =
                TieredTruth.startsWithIntervals(graph)
                ? try localizer.localization(inputs, enclosure: IntervalDomain()) : nil
            if let errors = try intervals ?? localizer.localization(inputs, enclosure: BallDomain()) { return errors }
        }
        let truth = AdaptiveTruth(
            graph: graph, plan: plan, startPrecision: config.startPrecision,
            maxPrecision: config.maxPrecision, fixedPrecision: config.fixedPrecision)
        guard case .stable = try truth.evaluate(inputs), let accepted = truth.accepted else {
            return Localizer.Localization(errors: [], sums: SumProfile())
        }
        return try localizer.localization(inputs, truth: accepted)
    }
}

/// The outcomes of two parallel calls, written from two threads.
private final class PairResults<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Result<T, Error>?] = [nil, nil]

    func set(_ k: Int, _ result: Result<T, Error>) {
        lock.lock()
        results[k] = result
        lock.unlock()
    }

    func get(_ k: Int) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        return try results[k]!.get()
    }
}

/// Thread-safe progress counter.
final class ProgressCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var done = 0
    let total: Int
    let handler: ProgressHandler?

    init(total: Int, handler: ProgressHandler?) {
        self.total = total
        self.handler = handler
    }

    func increment() {
        guard let handler else { return }
        lock.lock()
        done += 1
        let now = done
        lock.unlock()
        handler(now, total)
    }
}
