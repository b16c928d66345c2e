import FPVerify

extension PolicyEvaluator {
    /// Judges `result` by this policy: replaces its findings and verdict with
    /// the policy's, records every rule check and the policy's identity.
    /// - Parameter failOn: `.warning` makes unwaived warnings fail too (`--fail-on warning`).
    public func judge(
        _ result: inout VerificationResult, pass: String? = nil, graphName: String? = nil,
        failOn: Severity = .error
    ) {
        let outcome = run(result, pass: pass, graphName: graphName)
        result.findings = outcome.findings
        result.verdict = Self.verdict(outcome.findings, failOn: failOn)
        result.policy = PolicyStamp(
            name: policy.name, version: policy.version, path: policy.sourcePath,
            canonicalHash: policy.canonicalHash)
        result.checks = outcome.checks
    }
}
