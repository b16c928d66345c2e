/// How bad a finding is.
public enum Severity: String, Sendable, Equatable, Comparable {
    case info, warning, error

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
    public var rule: String
    public var severity: Severity
    /// The output concerned, if any.
    public var output: String?
    public var message: String
    public var value: Double?
    public var threshold: Double?
    /// When a policy waiver covers this finding: `waived by ALICE until 2026-12-31: reason`.
    /// Waived findings stay in reports but do not count towards the verdict.
    public var waiver: String?

    /// Creates a finding (`value`, `threshold` and `waiver` default to `nil`).
    public init(rule: String, severity: Severity, output: String?, message: String,
                value: Double? = nil, threshold: Double? = nil, waiver: String? = nil) {
        self.rule = rule
        self.severity = severity
        self.output = output
        self.message = message
        self.value = value
        self.threshold = threshold
        self.waiver = waiver
    }
}

/// The built-in rule set used until a policy is given:
///
/// | rule | error when | warning when |
/// |---|---|---|
/// | `new-nonfinite` | the rewrite produces a non-finite result where the truth and the original are finite (or the reverse) | — |
/// | `bits-lost` | max bits lost > 2 | max bits lost > 0.5 |
/// | `semantic-deviation` | the truths differ by more than 1 ULP | they differ by exactly 1 ULP |
/// | `reference-unstable` | — | some sample's truth never stabilised |
/// | `branch-flip` | — (info) | — |
public enum DefaultRules {
    public static let maxBitsLost = 2.0
    public static let warnBitsLost = 0.5
    public static let maxSemanticULPs = 1.0

    /// Applies the rules and derives the verdict: fail on any error, warn on any warning.
    public static func evaluate(outputs: [OutputMetrics], samples: SampleCounts) -> (findings: [Finding], verdict: Verdict) {
        var findings: [Finding] = []
        for o in outputs {
            if o.newNonfinite > 0 {
                findings.append(Finding(rule: "new-nonfinite", severity: .error, output: o.name,
                    message: "\(o.newNonfinite) point(s) where the rewrite gives a non-finite result (or a finite one) against the truth while the original does not",
                    value: Double(o.newNonfinite), threshold: 0))
            }
            let lost = o.bitsLost.max
            if lost > maxBitsLost {
                findings.append(Finding(rule: "bits-lost", severity: .error, output: o.name,
                    message: "the rewrite loses up to \(format(lost)) bits (limit \(format(maxBitsLost)))",
                    value: lost, threshold: maxBitsLost))
            } else if lost > warnBitsLost {
                findings.append(Finding(rule: "bits-lost", severity: .warning, output: o.name,
                    message: "the rewrite loses up to \(format(lost)) bits (warning above \(format(warnBitsLost)))",
                    value: lost, threshold: warnBitsLost))
            }
            let semantic = o.semantic.maxULPs
            if semantic > maxSemanticULPs {
                findings.append(Finding(rule: "semantic-deviation", severity: .error, output: o.name,
                    message: "the rewrite changes the real function: truths differ by up to \(format(semantic)) ulps in \(o.semantic.samplesDiffering) of \(o.semantic.samplesCompared) samples",
                    value: semantic, threshold: maxSemanticULPs))
            } else if semantic > 0 {
                findings.append(Finding(rule: "semantic-deviation", severity: .warning, output: o.name,
                    message: "the truths differ by 1 ulp in \(o.semantic.samplesDiffering) sample(s)",
                    value: semantic, threshold: 0))
            }
        }
        if samples.referenceUnstable > 0 || samples.rewrittenReferenceUnstable > 0 {
            findings.append(Finding(rule: "reference-unstable", severity: .warning, output: nil,
                message: "the truth did not stabilise up to the precision cap in \(samples.referenceUnstable) sample(s) of the original and \(samples.rewrittenReferenceUnstable) of the rewrite; they are not measured",
                value: Double(samples.referenceUnstable + samples.rewrittenReferenceUnstable), threshold: 0))
        }
        if samples.measured == 0 {
            findings.append(Finding(rule: "nothing-measured", severity: .error, output: nil,
                message: "no sample could be measured", value: 0, threshold: nil))
        }
        if samples.branchFlips > 0 {
            findings.append(Finding(rule: "branch-flip", severity: .info, output: nil,
                message: "in \(samples.branchFlips) sample(s) a comparison changed outcome between two truth precisions (resolved by raising precision)",
                value: Double(samples.branchFlips), threshold: nil))
        }
        let worst = findings.map(\.severity).max()
        let verdict: Verdict = worst == .error ? .fail : (worst == .warning ? .warn : .pass)
        return (findings, verdict)
    }

    static func format(_ x: Double) -> String {
        x.isFinite ? String(format: "%.2f", x) : "\(x)"
    }
}

import Foundation
