import FPFormats
import FPGraph
import FPNumerics
import FPVerify
import Foundation

/// The outcome of one step of a trace: the snapshot before and after a pass.
public struct TraceStepResult: Sendable {
    /// Indirect: a verification result is large; boxing it keeps trace steps
    /// (and the async frames that hold them) small.
    public indirect enum Outcome: Sendable {
        /// Same canonical hash: nothing to verify.
        case unchanged
        case verified(VerificationResult)
        /// A snapshot could not be read or the pair could not be verified (message).
        case error(String)
    }

    /// The pass that produced the second snapshot, or `end-to-end` for the pair of
    /// the first and the last.
    public var pass: String
    /// The snapshot before the step: the ORIGINAL of its verification.
    public var from: TraceSnapshot
    /// The snapshot after the step: the REWRITTEN of its verification.
    public var to: TraceSnapshot
    /// The structural diff of the two graphs; nil when the step is unchanged or a
    /// snapshot could not be read.
    public var diff: GraphDiff?
    /// Whether the step was unchanged, verified (with its result) or failed.
    public var outcome: Outcome
    /// The two snapshots' identities, when they could be read.
    public var fromIdentity: GraphIdentity?
    /// The second snapshot's identity, when it could be read.
    public var toIdentity: GraphIdentity?
    /// The original snapshot's input distributions as the step used them
    /// (the first snapshot's, matched by parameter position), by parameter name.
    public var defaults: [String: Distribution] = [:]

    /// The verdict, nil for unchanged steps and errors.
    public var verdict: Verdict? {
        if case .verified(let r) = outcome { return r.verdict }
        return nil
    }
}

/// The outcome of a whole trace.
public struct TraceResult: Sendable {
    /// The name given to ``TraceRunner/run(module:snapshots:progress:)``; `fpaudit trace`
    /// passes the XLA dump's module (`module_0006.jit_f`) or the manifest's path.
    public var module: String
    /// One result per consecutive pair of snapshots, in pipeline order.
    public var steps: [TraceStepResult]
    /// The first snapshot against the last.
    public var endToEnd: TraceStepResult
    /// Each snapshot file's bytes as read, by path (what the audit log stores);
    /// absent for files that could not be read.
    public var files: [String: Data] = [:]
    /// Node values the steps took from the snapshot before instead of
    /// evaluating them (a run's measure, not part of the report).
    public var nodeValuesReused = 0
    /// Index in ``steps`` of the first step whose verdict is `fail`.
    public var firstFailure: Int? { steps.firstIndex { $0.verdict == .fail } }

    /// Re-judges every verified step (and the end-to-end pair) with `judge`,
    /// which gets the step's pass name (e.g. to apply a policy).
    public mutating func judge(_ judge: (inout VerificationResult, String) -> Void) {
        for k in steps.indices { steps[k].judge(judge) }
        endToEnd.judge(judge)
    }
}

extension TraceStepResult {
    mutating func judge(_ judge: (inout VerificationResult, String) -> Void) {
        if case .verified(var r) = outcome {
            judge(&r, pass)
            outcome = .verified(r)
        }
    }
}

/// Verifies every consecutive pair of snapshots whose canonical hash changed,
/// then the first against the last.
public struct TraceRunner: Sendable {
    /// The verification settings of every step (``init(config:limits:)`` sets
    /// their ``VerificationConfig/match`` to `.position`).
    public var config: VerificationConfig
    /// The size limits every snapshot is read with.
    public var limits: GraphLimits
    /// Whether snapshots reuse the node values of the snapshot before them
    /// (``FPVerify/SnapshotReuse``); the results are the same either way.
    public var reusesNodes = true

    /// Creates a runner. `config.match` is replaced by `.position`: a pass may
    /// rename parameters and outputs, so snapshots are paired by position and type.
    public init(config: VerificationConfig, limits: GraphLimits = .default) {
        var config = config
        config.match = .position
        self.config = config
        self.limits = limits
    }

    /// Runs the trace; `progress` is told which step is being verified and
    /// how many of the whole trace's samples are done.
    public func run(
        module: String, snapshots: [TraceSnapshot],
        progress: (@Sendable (TraceProgress) -> Void)? = nil
    ) async -> TraceResult {
        await run(module: module, snapshots: LoadedSnapshots(snapshots, limits: limits), progress: progress)
    }

    /// Runs the trace over snapshots already read (each file once, by ``LoadedSnapshots``).
    public func run(
        module: String, snapshots loadedSnapshots: LoadedSnapshots,
        progress: (@Sendable (TraceProgress) -> Void)? = nil
    ) async -> TraceResult {
        let snapshots = loadedSnapshots.snapshots
        let loaded = loadedSnapshots.subjects
        let files = loadedSnapshots.files
        guard snapshots.count >= 2 else {
            // Nothing to pair: the end-to-end pair is an error step, not a crash.
            let only = snapshots.first ?? TraceSnapshot(pass: "none", path: module)
            let message = TraceError.tooFewSnapshots(module: module, count: snapshots.count).description
            return TraceResult(
                module: module, steps: [],
                endToEnd: TraceStepResult(pass: "end-to-end", from: only, to: only, diff: nil, outcome: .error(message))
            )
        }
        // The work ahead: every pair whose canonical hash changes is verified (and the end-to-end pair).
        func changes(_ a: TraceSnapshot, _ b: TraceSnapshot) -> Bool {
            guard let x = try? loaded[a.path]!.get(), let y = try? loaded[b.path]!.get() else { return false }
            return x.identity.canonicalHash != y.identity.canonicalHash
        }
        let pairs =
            (1..<snapshots.count).map { (snapshots[$0 - 1], snapshots[$0]) } + [
                (snapshots[0], snapshots[snapshots.count - 1])
            ]
        let total = pairs.filter(changes).count * config.samples
        let counter = TraceSampleCounter()

        // Every step samples its inputs as the first snapshot says (and --input overrides).
        // Parameter names may change between snapshots, so they are matched by position.
        var inputs: [Int: Distribution] = [:]
        if let first = try? loaded[snapshots[0].path]!.get() {
            for p in first.graph.parameters { inputs[p.index] = first.defaultInputs[p.name] }
        }
        var steps: [TraceStepResult] = []
        func report(_ step: Int, _ pass: String) -> ProgressHandler? {
            guard let progress else { return nil }
            let base = counter.done
            progress(
                TraceProgress(step: step, steps: snapshots.count, pass: pass, samplesDone: base, samplesTotal: total))
            return { done, _ in
                progress(
                    TraceProgress(
                        step: step, steps: snapshots.count, pass: pass, samplesDone: base + done,
                        samplesTotal: total))
            }
        }
        // Each snapshot is the rewritten graph of one step and the original of the next
        // changed one (unchanged passes keep its canonical hash): its evaluations are
        // made once and shared, as are the first snapshot's with the end-to-end pair.
        let cache = EvaluationCache()
        func hash(_ s: TraceSnapshot) -> String? { try? loaded[s.path]!.get().identity.canonicalHash }
        let ends = Set([hash(snapshots[0]), hash(snapshots[snapshots.count - 1])].compactMap { $0 })
        // Within a step's rewritten snapshot, the nodes the next changed snapshot
        // shares with it are stored, so that only its new nodes are evaluated.
        let stores = reusesNodes ? NodeReuseStores() : nil
        func nextChanged(after k: Int) -> Graph? {
            guard let h = hash(snapshots[k]) else { return nil }
            for j in (k + 1)..<snapshots.count where hash(snapshots[j]) != h {
                return try? loaded[snapshots[j].path]!.get().graph
            }
            return nil
        }
        for k in 1..<snapshots.count {
            let reuse = stores.map { SnapshotReuse(stores: $0, next: nextChanged(after: k)) }
            let s = await step(
                snapshots[k - 1], snapshots[k], loaded, inputs: inputs, cache: cache, reuse: reuse,
                progress: report(k, snapshots[k].pass))
            if case .verified = s.outcome {
                counter.add(config.samples)
                stores?.advance()
            }
            steps.append(s)
            cache.retain(only: ends.union([hash(snapshots[k])].compactMap { $0 }))
        }
        let endToEnd = await step(
            snapshots[0], snapshots[snapshots.count - 1], loaded, inputs: inputs, cache: cache,
            pass: "end-to-end", progress: report(snapshots.count, "end-to-end"))
        var result = TraceResult(module: module, steps: steps, endToEnd: endToEnd)
        result.files = files
        result.nodeValuesReused = stores?.hits ?? 0
        return result
    }

    private func step(
        _ a: TraceSnapshot, _ b: TraceSnapshot, _ loaded: [String: Result<VerificationSubject, Error>],
        inputs: [Int: Distribution], cache: EvaluationCache? = nil, reuse: SnapshotReuse? = nil,
        pass: String? = nil, progress: ProgressHandler? = nil
    ) async -> TraceStepResult {
        var result = TraceStepResult(pass: pass ?? b.pass, from: a, to: b, diff: nil, outcome: .unchanged)
        do {
            var original = try loaded[a.path]!.get()
            original.defaultInputs = [:]
            for p in original.graph.parameters { original.defaultInputs[p.name] = inputs[p.index] }
            result.fromIdentity = original.identity
            result.defaults = original.defaultInputs
            let rewritten = try loaded[b.path]!.get()
            result.toIdentity = rewritten.identity
            if original.identity.canonicalHash == rewritten.identity.canonicalHash { return result }
            result.diff = GraphDiff(original.graph, rewritten.graph)
            var verifier = try Verifier(original: original, rewritten: rewritten, config: config)
            verifier.evaluationCache = cache
            verifier.nodeReuse = reuse
            result.outcome = .verified(try await verifier.run(progress: progress))
        } catch {
            result.outcome = .error("\(error)")
        }
        return result
    }
}

/// A trace's snapshots, each file read and parsed once: what the runner
/// verifies and what the audit log stores.
public struct LoadedSnapshots: Sendable {
    /// The snapshots, in pipeline order (at least two for a trace).
    public var snapshots: [TraceSnapshot]
    /// Each distinct path's subject, or why it could not be read or parsed.
    public var subjects: [String: Result<VerificationSubject, Error>]
    /// Each readable file's bytes, by path.
    public var files: [String: Data]

    /// Reads and parses every distinct snapshot file once; failures are kept, not thrown
    /// (a step with an unreadable snapshot becomes an `error` step).
    public init(_ snapshots: [TraceSnapshot], limits: GraphLimits = .default) {
        self.snapshots = snapshots
        subjects = [:]
        files = [:]
        for s in snapshots where subjects[s.path] == nil {
            let bytes = Result { try FileAccess.read(s.path) }
            files[s.path] = try? bytes.get()
            subjects[s.path] = Result { try VerificationSubject.read(data: bytes.get(), path: s.path, limits: limits) }
        }
    }

    /// The first snapshot's subject, when it could be read.
    public var first: VerificationSubject? { snapshots.first.flatMap { try? subjects[$0.path]?.get() } }
}

/// Where a trace run is: the step being verified (the end-to-end pair is
/// step `steps`) and the samples done out of every sample the trace will run.
public struct TraceProgress: Sendable, Equatable {
    /// 1-based; `steps` for the end-to-end pair.
    public var step: Int
    /// Pairs in the trace, the end-to-end pair included.
    public var steps: Int
    /// The pass of the step being verified (`end-to-end` for the last pair).
    public var pass: String
    /// Samples finished so far, over the whole trace.
    public var samplesDone: Int
    /// Samples of every pair whose canonical hash changes.
    public var samplesTotal: Int
}

/// Samples finished in earlier steps.
private final class TraceSampleCounter: @unchecked Sendable {
    private(set) var done = 0
    func add(_ n: Int) { done += n }
}
