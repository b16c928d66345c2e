import FPFormats
import FPGraph
import FPTrace
import FPVerify
import Foundation

/// Renders a trace: a table with one row per step, and the `fpaudit.trace/v1` JSON.
public enum TraceReport {
    /// The trace document's `schema` field.
    public static let schema = TraceResult.schema

    /// Renders a trace as text: one row per step and a last row (`all`) for the
    /// end-to-end pair, then the steps that ended in an error, and the first failing
    /// step with its first error finding and the nodes it changed.
    /// - Returns: the report, ending with a newline.
    public static func text(_ t: TraceResult) -> String {
        var rows: [[String]] = [
            [
                "step", "pass", "changed", "excess q", "excess max", "worse", "better",
                "bits lost max", "semantic ulps", "verdict",
            ]
        ]
        for (k, s) in t.steps.enumerated() { rows.append(row("\(k + 1)", s)) }
        rows.append(row("all", t.endToEnd))
        let errors = t.steps.filter { if case .error = $0.outcome { return true } else { return false } }.count
        let changed = t.steps.filter { $0.verdict != nil }.count
        var out =
            "fpaudit trace \(t.module) (\(t.steps.count + 1) snapshots, \(changed) steps changed the graph"
            + (errors > 0 ? ", \(errors) could not be verified" : "") + ")\n"
        let verified = (t.steps + [t.endToEnd]).lazy.compactMap { s -> VerificationResult? in
            if case .verified(let r) = s.outcome { return r } else { return nil }
        }
        if let weights = verified.first?.config.checkpoints { out += "  weights: \(weights.summary)\n" }
        if let recorded = verified.first?.config.recordedInputs { out += "  recorded inputs: \(recorded.summary)\n" }
        out += ReportText.table(rows, indent: "  ", leftAligned: 3)
        for (k, s) in t.steps.enumerated() {
            if case .error(let message) = s.outcome { out += "  step \(k + 1) (\(s.pass)): \(message)\n" }
        }
        if let f = t.firstFailure {
            let s = t.steps[f]
            out += "first failing step: \(f + 1), pass \(s.pass) (\(s.to.path))\n"
            if case .verified(let r) = s.outcome, let finding = r.findings.first(where: { $0.severity == .error }) {
                out += "  \(finding.rule)\(finding.output.map { " [\($0)]" } ?? ""): \(finding.message)\n"
            }
            if let d = s.diff, !d.isEmpty {
                out += "  changed nodes: " + describe(d) + "\n"
            }
        } else if errors > 0 {
            out += "no verified step fails, but \(errors) step\(errors == 1 ? "" : "s") could not be verified (above)\n"
        } else {
            out += "no step fails\n"
        }
        return out
    }

    static func row(_ label: String, _ s: TraceStepResult) -> [String] {
        let changed = s.diff?.summary ?? "unchanged"
        switch s.outcome {
        case .unchanged:
            return [label, s.pass, "unchanged", "", "", "", "", "", "", ""]
        case .error:
            return [label, s.pass, changed, "", "", "", "", "", "", "error"]
        case .verified(let r):
            // Over the outputs, the largest: excess of the rewrite's error distribution over the
            // original's and the budget (worst of p50/p95/p99, and at the worst point), shares of
            // points where it is worse / better, pointwise bits lost, semantic deviation.
            let excess = r.outputs.compactMap(\.excessBits)
            let quantiles = excess.map { max($0.p50, $0.p95, $0.p99) }.max()
            let worst = excess.map(\.max).max()
            let comparisons = r.outputs.compactMap(\.comparison)
            let worse = comparisons.map(\.worseShare).max()
            let better = comparisons.map(\.betterShare).max()
            let lost = r.outputs.map(\.bitsLost.max).max() ?? 0
            let semantic = r.outputs.map(\.semantic.maxULPs).max() ?? 0
            return [
                label, s.pass, changed, quantiles.map(ReportText.fmt) ?? "", worst.map(ReportText.fmt) ?? "",
                worse.map(ReportText.percent) ?? "", better.map(ReportText.percent) ?? "", ReportText.fmt(lost),
                ReportText.ulps(semantic), r.verdict.rawValue,
            ]
        }
    }

    static func describe(_ d: GraphDiff) -> String {
        var parts: [String] = []
        parts += d.changed.prefix(4).map { "\($0.from) -> \($0.to)" }
        parts += d.added.prefix(4).map { "+\($0)" }
        parts += d.removed.prefix(4).map { "-\($0)" }
        return parts.joined(separator: ", ")
    }

    /// The `fpaudit.trace/v1` document.
    public static func json(_ t: TraceResult) throws -> Data {
        try JSONCoding.encoder().encode(t)
    }
}
