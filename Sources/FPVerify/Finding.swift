/// How bad a finding is.
public enum Severity: String, Sendable, Equatable, Comparable {
    case info, warning, error

    /// Orders severities `info` < `warning` < `error`.
    public static func < (a: Severity, b: Severity) -> Bool {
        let order: [Severity] = [.info, .warning, .error]
        return order.firstIndex(of: a)! < order.firstIndex(of: b)!
    }
}

/// The overall decision on a rewrite.
public enum Verdict: String, Sendable, Equatable {
    case pass, warn, fail
}

/// One observation a rule made about the measurements.
public struct Finding: Sendable, Equatable {
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
