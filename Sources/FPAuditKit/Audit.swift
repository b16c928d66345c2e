import FPAuditLog
import FPEval
import FPFormats
import FPGraph
import FPPolicy
import FPTrace
import FPVerify
import Foundation

/// The fpaudit pipeline as a library: measure a rewrite (or every step of a
/// pipeline), judge it under a policy, and draft the audit log entries.
///
/// ```swift
/// let audit = Audit(policy: PolicyLoader.builtinDefault)
/// let pair = try await audit.verify(
///     original: try VerificationSubject.read(path: "before.json"),
///     rewritten: try VerificationSubject.read(path: "after.json"))
/// print(pair.result.verdict)
/// ```
///
/// `Verifier` only measures; ``Audit`` adds the policy's judgement and the
/// log drafts. Reports are rendered from the judged results (`FPReport`),
/// and drafts appended with `AuditLog.append(_:signer:now:)`.
public struct Audit: Sendable {
    /// The policy that sets defaults, input distributions and fixed data, and judges.
    public var policy: Policy
    /// What the caller sets over the policy.
    public var options: AuditOptions
    /// When set, every result comes with its audit log draft.
    public var session: AuditSession?

    /// An audit under `policy`; with a `session`, results carry log drafts.
    public init(policy: Policy, options: AuditOptions = AuditOptions(), session: AuditSession? = nil) {
        self.policy = policy
        self.options = options
        self.session = session
    }

    /// The verification settings for a graph with these parameters: fpaudit's
    /// defaults, then the policy's settings, inputs and fixed data, then the options,
    /// then the checkpoints' tensors for the parameters nothing explicit set.
    /// - Throws: `FormatError` when a policy data file does not fit its parameter;
    ///   `CheckpointError` when the checkpoints cannot be bound.
    public func configuration(parameters: [GraphParameter]) throws -> VerificationConfig {
        var c = VerificationConfig(workers: options.workers)
        c.truth = options.truth
        c.search = options.search
        policy.settings.apply(to: &c)
        c.inputs = policy.inputDistributions(for: parameters.map(\.name))
        c.fixedInputs = try FixedInputs.load(policy, parameters: parameters)
        options.settings.apply(to: &c)
        c.inputs.merge(options.inputs) { _, given in given }
        c.match = options.match
        if let recorded = options.recordedInputs {
            try recorded.apply(to: &c, parameters: parameters, requested: options.settings.samples)
        }
        // Checkpoints: the command line's for every parameter, then the policy's
        // `checkpoint(FILE)` inputs for the parameters their patterns match first.
        // Recorded inputs, `--input` and `data(FILE)` name their parameters explicitly: they win.
        var groups: [(inputs: CheckpointInputs, eligible: Set<Int>?)] = options.checkpoints.map { [($0, nil)] } ?? []
        groups += try policyCheckpoints(parameters: parameters).map { ($0.inputs, $0.eligible) }
        let explicit = Set(
            (Array(options.inputs.keys) + Array(c.fixedInputs.keys)).compactMap {
                parameters.parameter(named: $0)?.index
            } + (c.recorded.map { Array($0.values.keys) } ?? []))
        try CheckpointInputs.apply(groups, to: &c, parameters: parameters, explicit: explicit)
        return c
    }

    /// The policy's `checkpoint(FILE)` inputs, each with the parameters whose first
    /// matching `inputs` pattern is that rule.
    /// - Throws: `CheckpointError` for a malformed checkpoint file.
    func policyCheckpoints(parameters: [GraphParameter]) throws -> [(inputs: CheckpointInputs, eligible: Set<Int>)] {
        try policy.inputs.enumerated().compactMap { k, rule in
            guard rule.isCheckpoint, let file = rule.dataFile, let bytes = rule.dataBytes else { return nil }
            let eligible = Set(
                parameters.filter { p in policy.inputs.firstIndex { Glob.matches($0.pattern, p.name) } == k }.map(
                    \.index))
            let checkpoint = try Checkpoint.parse(bytes, file: file, maxElements: options.limits.maxElements)
            return (CheckpointInputs(checkpoints: [checkpoint]), eligible)
        }
    }

    /// The judge of this audit's results.
    var evaluator: PolicyEvaluator { PolicyEvaluator(policy: policy, today: options.judgedOn) }

    /// What ``verify(original:rewritten:replay:progress:)`` will cost.
    public func workEstimate(
        original: VerificationSubject, rewritten: VerificationSubject, replay: Bool = false
    ) throws -> WorkEstimate {
        var config = try configuration(parameters: original.graph.parameters)
        config.elements = options.elements.resolve(work: [
            original.graph.evaluationWork, rewritten.graph.evaluationWork,
        ])
        let (a, b) = Verifier.sampledWork(original.graph, rewritten.graph, interface: nil, config: config)
        return WorkEstimate(
            samples: replay ? 1 : config.samples, searchEvaluations: replay ? 0 : config.search, original: a,
            rewritten: b)
    }

    /// What a trace of `loaded` will cost: every step whose graph changed
    /// (by canonical hash) and the end-to-end pair, summed.
    static func traceWork(_ loaded: LoadedSnapshots, config: VerificationConfig) -> WorkEstimate {
        let graphs = loaded.snapshots.map { try? loaded.subjects[$0.path]?.get().graph }
        var original = EvaluationWork(elementOps: 0, hasLoops: false)
        var rewritten = original
        func add(_ a: Graph, _ b: Graph) {
            let (wa, wb) = Verifier.sampledWork(a, b, interface: nil, config: config)
            original = EvaluationWork(
                elementOps: original.elementOps + wa.elementOps, hasLoops: original.hasLoops || wa.hasLoops)
            rewritten = EvaluationWork(
                elementOps: rewritten.elementOps + wb.elementOps, hasLoops: rewritten.hasLoops || wb.hasLoops)
        }
        for (a, b) in zip(graphs, graphs.dropFirst()) {
            if let a, let b, a.canonicalHash != b.canonicalHash { add(a, b) }
        }
        if let first = graphs.first ?? nil, let last = graphs.last ?? nil { add(first, last) }
        return WorkEstimate(
            samples: config.samples, searchEvaluations: config.search, original: original, rewritten: rewritten)
    }

    /// Measures a rewrite, judges it, and drafts its log entry.
    /// - Parameters:
    ///   - original: the graph before the rewrite; its MPFR truth is the reference for both.
    ///   - rewritten: the graph after the rewrite.
    ///   - replay: evaluate this one input set (in the ORIGINAL's parameter order) instead of sampling.
    ///   - progress: told the samples done and the total, from worker threads.
    /// - Throws: `VerifyError`, `FormatError`, `EvaluationError` when
    ///   the pair cannot be verified (`VerifyError.tooMuchWork` when the
    ///   estimate is above ``AuditOptions/maxWork``): fpaudit could not decide, which says
    ///   nothing about the rewrite (a verdict of `fail` does).
    public func verify(
        original: VerificationSubject, rewritten: VerificationSubject, replay: NamedTensors? = nil,
        progress: ProgressHandler? = nil
    ) async throws -> AuditedPair {
        var config = try configuration(parameters: original.graph.parameters)
        config.elements = options.elements.resolve(work: [
            original.graph.evaluationWork, rewritten.graph.evaluationWork,
        ])
        let verifier = try Verifier(original: original, rewritten: rewritten, config: config)
        let estimate = verifier.workEstimate(replay: replay != nil)
        if estimate.elementOps > options.maxWork { throw VerifyError.tooMuchWork(estimate, limit: options.maxWork) }
        var result = try await verifier.run(replay: replay?.tensors.map(\.elements), progress: progress)
        let evaluator = self.evaluator
        evaluator.judge(&result, pass: options.pass, failOn: options.failOn.severity)
        var draft: EntryDraft?
        if let session {
            let drafter = EntryDrafter(
                session: session, command: .verify, policy: policy, config: config, options: options,
                waiversAsOf: evaluator.today)
            draft = try drafter.draft(
                pass: options.pass, trace: nil,
                original: .init(path: original.identity.path, bytes: original.bytes, identity: original.identity),
                rewritten: .init(path: rewritten.identity.path, bytes: rewritten.bytes, identity: rewritten.identity),
                config: config, defaults: original.defaultInputs,
                replayInputs: replay.map { ValuesJSON.write($0) }, outcome: .verified(result))
        }
        return AuditedPair(result: result, draft: draft)
    }

    /// Verifies every step of a pipeline whose graph changed, and the first
    /// snapshot against the last, judges each, and drafts one log entry per
    /// step (unchanged and unreadable steps included) and one for the
    /// end-to-end pair. Steps are paired by position (a pass may rename).
    /// - Parameters:
    ///   - module: the name the trace goes by (an XLA dump's module, or a manifest's path).
    ///   - snapshots: the pipeline's snapshots in order, at least two.
    ///   - estimated: told the run's estimated work once the snapshots are read, before any sample.
    ///   - progress: told which step is being verified and the samples done.
    /// - Throws: `TraceError` when there are fewer than two snapshots;
    ///   `VerifyError.tooMuchWork` when the estimate is above ``AuditOptions/maxWork``;
    ///   what the first snapshot's configuration throws. A step that cannot
    ///   be verified is an `error` step, not a thrown error.
    public func trace(
        module: String, snapshots: [TraceSnapshot], estimated: ((WorkEstimate) -> Void)? = nil,
        progress: (@Sendable (TraceProgress) -> Void)? = nil
    ) async throws -> AuditedTrace {
        guard snapshots.count >= 2 else { throw TraceError.tooFewSnapshots(module: module, count: snapshots.count) }
        let loaded = LoadedSnapshots(snapshots, limits: options.limits)
        var config = try configuration(parameters: loaded.first?.graph.parameters ?? [])
        // One choice for the whole trace, so every step measures the same elements.
        config.elements = options.elements.resolve(
            work: loaded.snapshots.compactMap { try? loaded.subjects[$0.path]?.get().graph.evaluationWork })
        let estimate = Self.traceWork(loaded, config: config)
        if estimate.elementOps > options.maxWork { throw VerifyError.tooMuchWork(estimate, limit: options.maxWork) }
        estimated?(estimate)
        let runner = TraceRunner(config: config, limits: options.limits)
        var result = await runner.run(module: module, snapshots: loaded, progress: progress)
        let evaluator = self.evaluator
        result.judge { r, pass in evaluator.judge(&r, pass: pass, failOn: options.failOn.severity) }
        var drafts: [EntryDraft] = []
        if let session {
            let drafter = EntryDrafter(
                session: session, command: .trace, policy: policy, config: runner.config, options: options,
                waiversAsOf: evaluator.today)
            let count = result.steps.count
            for (k, step) in (result.steps + [result.endToEnd]).enumerated() {
                let position = TracePosition(
                    module: result.module, step: k + 1, steps: count, kind: k < count ? .step : .endToEnd,
                    fromPass: step.from.pass)
                drafts.append(
                    try drafter.draft(
                        pass: step.pass, trace: position,
                        original: .init(
                            path: step.from.path, bytes: result.files[step.from.path], identity: step.fromIdentity),
                        rewritten: .init(
                            path: step.to.path, bytes: result.files[step.to.path], identity: step.toIdentity),
                        config: runner.config, defaults: step.defaults, replayInputs: nil, outcome: step.outcome))
            }
        }
        return AuditedTrace(result: result, drafts: drafts)
    }
}

/// A judged verification of one pair, with its log draft.
public struct AuditedPair: Sendable {
    /// The measurements, the findings and the verdict.
    public var result: VerificationResult
    /// The audit log entry to append (nil without a session).
    public var draft: EntryDraft?
}

/// A judged trace, with one log draft per step and one for the end-to-end pair.
public struct AuditedTrace: Sendable {
    /// Every step's outcome, judged.
    public var result: TraceResult
    /// The audit log entries to append, in order (empty without a session).
    public var drafts: [EntryDraft]

    /// Whether some step (or the end-to-end pair) fails its policy.
    public var failed: Bool { (result.steps + [result.endToEnd]).contains { $0.verdict == .fail } }
    /// Whether fpaudit could not decide some step (a snapshot unreadable or a pair unverifiable).
    public var undecided: Bool {
        (result.steps + [result.endToEnd]).contains { if case .error = $0.outcome { true } else { false } }
    }
}
