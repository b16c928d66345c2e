import FPGraph
import FPTrace
import FPVerify
import Foundation

extension HTMLReport {
    /// The top of the trace page: what the steps did, the first failing step,
    /// the chart of bits lost per pass, then the step table.
    static func traceSummary(_ t: TraceResult) -> String {
        var out = el("h2", "Trace \(t.module): \(t.steps.count + 1) snapshots") + "\n"
        out += el("p", stepCounts(t), cls: "trace-counts") + "\n"
        out += firstFailureNote(t)
        out += traceChart(t)
        out += el("h2", "Steps in pipeline order") + "\n"
        out += stepsTable(t)
        return out
    }

    /// How many steps changed the graph (by verdict), could not be verified, and left it unchanged.
    static func stepCounts(_ t: TraceResult) -> String {
        let verdicts = t.steps.compactMap(\.verdict)
        let errors = t.steps.filter { if case .error = $0.outcome { return true } else { return false } }.count
        let unchanged = t.steps.count - verdicts.count - errors
        let byVerdict = [Verdict.fail, .warn, .pass].compactMap { v -> String? in
            let n = verdicts.filter { $0 == v }.count
            return n > 0 ? "\(n) \(v.rawValue)" : nil
        }
        var parts = [
            "\(verdicts.count) changed the graph" + (byVerdict.isEmpty ? "" : " (\(byVerdict.joined(separator: ", ")))")
        ]
        if errors > 0 { parts.append("\(errors) could not be verified") }
        parts.append("\(unchanged) left it unchanged")
        return "\(t.steps.count) \(t.steps.count == 1 ? "step" : "steps"): " + parts.joined(separator: ", ") + "."
    }

    /// The first failing step, linked to its section, or that none fails.
    static func firstFailureNote(_ t: TraceResult) -> String {
        guard let f = t.firstFailure else { return el("p", "No step fails.") + "\n" }
        return "<p class=\"first-fail-note\">First failing step: \(link("\(f + 1)", "step\(f + 1)")), pass "
            + "\(escape(t.steps[f].pass)).</p>\n"
    }

    static func stepSection(
        _ s: TraceStepResult, label: String, id: String, failing: Bool, reproducer: TraceReproducer? = nil
    ) -> String {
        if case .unchanged = s.outcome { return "" }
        var out = "<section class=\"step\(failing ? " failing" : "")\" id=\"\(escape(id))\">\n"
        out += el("h2", "\(label): \(s.pass)\(failing ? " (first failing step)" : "")") + "\n"
        out += el("p", "\(s.from.path) → \(s.to.path)") + "\n"
        if let r = reproducer {
            out +=
                "<p class=\"reproducer\">Reduced reproducer: <a href=\"\(escape(r.href))\">\(escape(r.label))</a>"
                + " (\(escape(r.summary))). Run: <code>\(escape(r.command))</code></p>\n"
        }
        if let d = s.diff { out += diffTable(d) }
        switch s.outcome {
        case .verified(let r):
            out += verdictBanner(r.verdict, subtitle: "\(label): \(s.pass)")
            out += resultBody(r, id: id)
        case .error(let message):
            out += el("p", "Could not verify: \(message)") + "\n"
        case .unchanged:
            break
        }
        return out + "</section>\n"
    }

    /// The structural diff of one step, changed nodes highlighted.
    static func diffTable(_ d: GraphDiff) -> String {
        var rows: [(cells: [String], cls: String?)] = []
        rows += d.changed.map { (["changed", "\($0.from)", "\($0.to)"], "changed") }
        rows += d.added.map { (["added", "", "\($0)"], "changed") }
        rows += d.removed.map { (["removed", "\($0)", ""], "changed") }
        var out = el("h3", "Structural diff \(d.summary) (\(d.unchanged) nodes unchanged)") + "\n"
        if !rows.isEmpty { out += table(["change", "before", "after"], rows, cls: "diff") }
        return out
    }
}

/// The reduced pair `trace --reduce` wrote for a step (docs/reduce.md), as
/// the trace page links it.
public struct TraceReproducer: Sendable, Equatable {
    /// The step reduced (0-based, as ``FPTrace/TraceResult/steps``).
    public var step: Int
    /// Where the page links to: the reproducer's `command.txt`, relative to the page when possible.
    public var href: String
    /// The link's text: the directory as the user named it.
    public var label: String
    /// What the reduction kept ("14 of 210 nodes; still fails bits-lost").
    public var summary: String
    /// The command that reproduces the failure.
    public var command: String

    /// Creates a link from its parts.
    public init(step: Int, href: String, label: String, summary: String, command: String) {
        self.step = step
        self.href = href
        self.label = label
        self.summary = summary
        self.command = command
    }
}
