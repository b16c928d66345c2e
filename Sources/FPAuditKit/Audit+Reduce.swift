import FPEval
import FPGraph
import FPPolicy
import FPReduce
import FPVerify
import Foundation

extension Audit {
    /// Reduces a failing pair to the smallest pair of subgraphs that still
    /// fails the same rule at the worst input (``PairReducer``).
    ///
    /// The pair is verified (sampled) and judged as ``verify(original:rewritten:replay:progress:)``
    /// does, unless `judged` gives that result already (a trace step's). The
    /// *target* is the failing finding (severity at least ``AuditOptions/failOn``,
    /// not waived) on the output whose worst case lost the most bits. A
    /// candidate pair *still fails* when verifying it at its own input (the
    /// worst input, with cut nodes fed their values there), under this
    /// audit's policy and settings, gives a failing finding of the target's
    /// rule. Candidates are replayed at that one input only: fast and
    /// deterministic; the reduced pair is replayed once more at the end and
    /// that result is returned.
    ///
    /// - Parameters:
    ///   - original: the graph before the rewrite.
    ///   - rewritten: the graph after it.
    ///   - judged: the pair's judged, sampled result when the caller has it.
    /// - Throws: ``ReduceError`` when the pair does not fail on an output or
    ///   the failure does not reproduce at the worst input; what
    ///   ``verify(original:rewritten:replay:progress:)`` throws.
    public func reduce(
        original: VerificationSubject, rewritten: VerificationSubject, judged: VerificationResult? = nil
    ) async throws -> AuditedReduction {
        var quiet = self
        quiet.session = nil
        let full: VerificationResult
        if let judged {
            full = judged
        } else {
            full = try await quiet.verify(original: original, rewritten: rewritten).result
        }
        let failOn = options.failOn.severity
        func failing(_ r: VerificationResult) -> [Finding] {
            r.findings.filter { $0.severity >= failOn && $0.waiver == nil }
        }
        guard full.verdict == .fail else {
            throw ReduceError.notFailing(verdict: full.verdict.rawValue, policy: policy.name)
        }
        let onOutputs = failing(full).filter { $0.output != nil }
        func bitsLost(_ f: Finding) -> Double {
            full.outputs.first { $0.name == f.output }?.worst?.bitsLost ?? -.infinity
        }
        guard let target = onOutputs.max(by: { bitsLost($0) < bitsLost($1) }), let output = target.output,
            let k = full.outputs.firstIndex(where: { $0.name == output })
        else { throw ReduceError.noFailingOutput(rules: failing(full).map(\.rule)) }
        guard let inputs = full.outputs[k].worst?.inputs else {
            throw ReduceError.noWorstInputs(output: output)
        }
        let interface =
            try full.interface
            ?? InterfaceMatch.resolve(original: original.graph, rewritten: rewritten.graph, mode: options.match)
        let semanticBound = full.outputs[k].semantic.maxULPs
        let config = full.config
        let reducer = try PairReducer(
            ReductionSubject(
                original: original.graph, rewritten: rewritten.graph, rewrittenParameter: interface.rewrittenParameter,
                output: k, rewrittenOutput: interface.rewrittenOutput[k], inputs: inputs.tensors.map(\.elements),
                exec: config.exec, subnormals: config.subnormals, reductionOrder: config.reductionOrder))

        var replaying = quiet
        replaying.options.elements = .all
        replaying.options.match = .name
        // The replayed input gives every parameter its value: no checkpoint or recording binds to them.
        replaying.options.checkpoints = nil
        replaying.options.recordedInputs = nil
        func replay(_ pair: ReducedPair) async throws -> VerificationResult {
            func subject(_ graph: Graph, _ label: String) -> VerificationSubject {
                VerificationSubject(
                    graph: graph,
                    identity: GraphIdentity(path: label, fileSHA256: "", canonicalHash: graph.canonicalHash))
            }
            return try await replaying.verify(
                original: subject(pair.original, "reduced ORIGINAL"),
                rewritten: subject(pair.rewritten, "reduced REWRITTEN"), replay: pair.inputs
            ).result
        }
        let reduction: PairReducer.Reduction
        do {
            reduction = try await reducer.reduce { pair in
                let result = try await replay(pair)
                return failing(result).contains { $0.rule == target.rule }
                    && result.outputs.allSatisfy { $0.semantic.maxULPs <= semanticBound }
            }
        } catch ReduceError.doesNotReproduce {
            throw ReduceError.doesNotReproduce(rule: target.rule, output: output)
        }
        let result = try await replay(reduction.pair)
        guard let finding = failing(result).first(where: { $0.rule == target.rule }) else {
            throw ReduceError.doesNotReproduce(rule: target.rule, output: output)
        }
        return AuditedReduction(
            rule: target.rule, output: output, originalFinding: target, finding: finding,
            fullNodeCount: original.graph.liveNodeCount + rewritten.graph.liveNodeCount,
            pair: reduction.pair, result: result, tests: reduction.tests, stages: reduction.stages)
    }
}

/// A failing pair reduced to a standalone reproducer (``Audit/reduce(original:rewritten:judged:)``).
public struct AuditedReduction: Sendable {
    /// The rule the reduced pair still fails.
    public var rule: String
    /// The ORIGINAL output the full pair failed it on.
    public var output: String
    /// The full pair's failing finding.
    public var originalFinding: Finding
    /// The reduced pair's finding of the same rule, replayed at its input.
    public var finding: Finding
    /// Nodes of both full graphs (``FPGraph/Graph/liveNodeCount``).
    public var fullNodeCount: Int
    /// The reduced graphs and their input.
    public var pair: ReducedPair
    /// The reduced pair verified at its input and judged: what
    /// `fpaudit verify ORIGINAL REWRITTEN --replay VALUES` reports on it.
    public var result: VerificationResult
    /// Candidate pairs verified.
    public var tests: Int
    /// What each stage of the reduction did.
    public var stages: [String]
}
