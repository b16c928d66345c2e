import FPGraph
import FPNumerics
import FPVerify
import Foundation

/// Everything a policy concluded about one verification result.
public struct PolicyOutcome: Sendable {
    /// Every rule × output in scope, held or not (the waiver of a failed
    /// check that an unexpired waiver covers is described on it).
    public var checks: [RuleCheck]
    /// Expired waivers that would have covered a failed check, with the check's output.
    public var expiredWaivers: [(waiver: Waiver, output: String?)]
    /// Failed evaluations as findings (waived ones marked), then one `info`
    /// finding per expired waiver that matched a failure.
    public var findings: [Finding]
    /// `fail` on an unwaived error, `warn` on an unwaived warning, else `pass`.
    public var verdict: Verdict
}

/// Applies a policy to verification results.
public struct PolicyEvaluator: Sendable {
    /// The policy applied.
    public let policy: Policy
    /// Today's date (UTC, `YYYY-MM-DD`): waivers expiring before it no longer apply.
    public let today: String

    /// - Parameters:
    ///   - policy: the policy.
    ///   - today: the date waivers are checked against (inject it in tests).
    public init(policy: Policy, today: Date = Date()) {
        self.policy = policy
        // The date part of the UTC timestamp (no Foundation calendar: those set up ICU).
        self.today = String(Timestamp.format(today).prefix(10))
    }

    /// Findings (violations only, waived ones marked) and the verdict.
    /// - Parameters:
    ///   - pass: the trace pass the result belongs to; rules scoped to passes apply only when given.
    ///   - graphName: the name matched by `graphs` scopes and waiver `graph` globs; defaults to the rewritten graph's path.
    public func evaluate(
        _ result: VerificationResult, pass: String? = nil,
        graphName: String? = nil
    ) -> (findings: [Finding], verdict: Verdict) {
        let outcome = run(result, pass: pass, graphName: graphName)
        return (outcome.findings, outcome.verdict)
    }

    /// Every evaluation, the findings and the verdict.
    public func run(_ result: VerificationResult, pass: String? = nil, graphName: String? = nil) -> PolicyOutcome {
        let graph = graphName ?? result.rewritten.path
        let hash = result.rewritten.canonicalHash
        func graphMatches(_ pattern: String) -> Bool {
            Glob.matches(pattern, graph) || (pattern.count >= 6 && hash.hasPrefix(pattern.lowercased()))
        }
        var checks: [RuleCheck] = []
        var expired: [(waiver: Waiver, output: String?)] = []
        for rule in policy.rules {
            let scope = rule.scope
            if !scope.passes.isEmpty {
                guard let pass, Glob.any(scope.passes, pass) else { continue }
            }
            if !scope.graphs.isEmpty, !scope.graphs.contains(where: graphMatches) { continue }
            let perRun = rule.require.isPerRun && scope.outputs.isEmpty && scope.dtypes.isEmpty
            let targets: [OutputMetrics?] =
                perRun
                ? [nil]
                : result.outputs.filter {
                    Glob.any(scope.outputs, $0.name) && (scope.dtypes.isEmpty || scope.dtypes.contains($0.type.dtype))
                }
            for output in targets {
                let o = rule.require.evaluate(output: output, samples: result.samples)
                var check = RuleCheck(
                    rule: rule.id, output: output?.name, pass: pass, held: o.held,
                    severity: rule.severity, value: o.value, threshold: o.threshold,
                    comparison: o.comparison, expression: rule.require.canonical, waiver: nil)
                if !o.held {
                    let covering = policy.waivers.filter { w in
                        w.rule == rule.id
                            && (w.match.graph.map(graphMatches) ?? true)
                            && (w.match.pass.map { p in pass.map { Glob.matches(p, $0) } ?? false } ?? true)
                            && (w.match.output.map { p in output.map { Glob.matches(p, $0.name) } ?? false } ?? true)
                    }
                    if let w = covering.first(where: { $0.expires >= today }) {
                        check.waiver = w.summary
                    } else if let w = covering.first,
                        !expired.contains(where: { $0.waiver == w && $0.output == check.output })
                    {
                        expired.append((w, check.output))
                    }
                }
                checks.append(check)
            }
        }
        let findings = Self.findings(checks, expired: expired, policy: policy)
        return PolicyOutcome(
            checks: checks, expiredWaivers: expired, findings: findings, verdict: Self.verdict(findings))
    }

    /// The verdict over findings: `fail` when an unwaived finding is at least
    /// `failOn`, `warn` when one is a warning, else `pass`.
    /// `failOn: .warning` implements `--fail-on warning`.
    public static func verdict(_ findings: [Finding], failOn: Severity = .error) -> Verdict {
        let counted = findings.filter { $0.waiver == nil }.map(\.severity)
        if counted.contains(where: { $0 >= failOn && $0 != .info }) { return .fail }
        return counted.contains(.warning) ? .warn : .pass
    }

    static func findings(_ checks: [RuleCheck], expired: [(waiver: Waiver, output: String?)], policy: Policy)
        -> [Finding]
    {
        var findings: [Finding] = []
        for e in checks where !e.held {
            let rule = policy.rule(id: e.rule)
            var message = rule.map { $0.description.isEmpty ? $0.id : $0.description } ?? e.rule
            message += ": requires \(e.expression)"
            if let v = e.value, let t = e.threshold, let op = e.comparison {
                message += " (measured \(formatMeasure(v)), needs \(op) \(formatMeasure(t)))"
            }
            findings.append(
                Finding(
                    rule: e.rule, severity: e.severity, output: e.output, message: message,
                    value: e.value, threshold: e.threshold, waiver: e.waiver))
        }
        for (w, output) in expired {
            findings.append(
                Finding(
                    rule: "waiver-expired", severity: .info, output: output,
                    message:
                        "waiver for rule \(w.rule) (approved by \(w.approvedBy): \(w.reason)) expired on \(w.expires)"))
        }
        return findings
    }
}

/// A measured figure for messages: up to 4 significant decimals.
func formatMeasure(_ x: Double) -> String {
    if !x.isFinite { return x.isNaN ? "nan" : (x < 0 ? "-inf" : "inf") }
    if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
    return CFormat.string("%.4g", x)
}
