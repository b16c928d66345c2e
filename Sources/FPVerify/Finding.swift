/// How bad a finding is.
public enum Severity: String, Sendable, Equatable, Comparable, Codable, CaseIterable {
    case info, warning, error

    /// Orders severities `info` < `warning` < `error`.
    public static func < (a: Severity, b: Severity) -> Bool {
        let order: [Severity] = [.info, .warning, .error]
        return order.firstIndex(of: a)! < order.firstIndex(of: b)!
    }
}

/// The overall decision on a rewrite.
public enum Verdict: String, Sendable, Equatable, Codable, CaseIterable {
    case pass, warn, fail
}

/// One observation a rule made about the measurements.
public struct Finding: Sendable, Equatable, Codable {
    /// The id of the rule that fired (`waiver-expired` for a note on an expired waiver).
    public var rule: String
    /// The rule's severity: what the finding does to the verdict unless waived.
    public var severity: Severity
    /// The output concerned, if any.
    public var output: String?
    /// A human-readable explanation: the rule's description and requirement, and the
    /// measured value against the threshold when the rule compares one.
    public var message: String
    /// The measured value of the deciding comparison; nil when the rule has none.
    public var value: Double?
    /// The bound of the deciding comparison; nil when the rule has none.
    public var threshold: Double?
    /// When a policy waiver covers this finding: `waived by ALICE until 2026-12-31: reason`.
    /// Waived findings stay in reports but do not count towards the verdict.
    public var waiver: String?

    /// Creates a finding (`value`, `threshold` and `waiver` default to `nil`).
    public init(
        rule: String, severity: Severity, output: String?, message: String,
        value: Double? = nil, threshold: Double? = nil, waiver: String? = nil
    ) {
        self.rule = rule
        self.severity = severity
        self.output = output
        self.message = message
        self.value = value
        self.threshold = threshold
        self.waiver = waiver
    }
}

/// The least severity that fails a run (`--fail-on`): `error` (the default) or
/// `warning`, which makes warnings fail too.
public enum FailOn: String, Sendable, Equatable, Codable, CaseIterable {
    case error, warning

    /// The severity from which a finding fails the run.
    public var severity: Severity { self == .warning ? .warning : .error }
}

/// What one verification step came to, as the audit log records and
/// reports show it: the policy's verdict, or `unchanged` (the graphs have
/// the same canonical hash, nothing to measure), or `error` (they could not
/// be read or verified: fpaudit could not decide, which is not a failure of
/// the rewrite).
public enum StepVerdict: String, Sendable, Equatable, Codable, CaseIterable {
    case pass, warn, fail, unchanged, error

    /// The step verdict of a judged result.
    public init(_ verdict: Verdict) {
        switch verdict {
        case .pass: self = .pass
        case .warn: self = .warn
        case .fail: self = .fail
        }
    }
}

/// What became of one pair of graphs: measured, skipped as unchanged, or not
/// decided because fpaudit could not read or run them.
public enum VerificationStatus: String, Sendable, Equatable, Codable, CaseIterable {
    /// Both graphs were run and measured.
    case verified
    /// The graphs have the same canonical hash: nothing changed that matters.
    case unchanged
    /// A graph could not be read or the pair could not be verified.
    case error
}
