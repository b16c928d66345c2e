import FPGraph
import FPTrace
import FPVerify
import Foundation

extension HTMLReport {
    static func traceSummary(_ t: TraceResult) -> String {
        var out = el("h2", "Trace \(t.module): \(t.steps.count + 1) snapshots") + "\n"
        func row(_ label: String, _ s: TraceStepResult, failing: Bool) -> (cells: [String], cls: String?) {
            let diff = s.diff?.summary ?? "unchanged"
            switch s.outcome {
            case .unchanged:
                return ([label, s.pass, s.to.path, "unchanged", "", "unchanged"], nil)
            case .error(let message):
                return ([label, s.pass, s.to.path, diff, "", "error: \(message)"], nil)
            case .verified(let r):
                let lost = r.outputs.map(\.bitsLost.max).max() ?? 0
                return ([label, s.pass, s.to.path, diff, fmt(lost), r.verdict.rawValue], failing ? "first-fail" : nil)
            }
        }
        var rows = t.steps.enumerated().map { k, s in row("\(k + 1)", s, failing: k == t.firstFailure) }
        rows.append(row("all", t.endToEnd, failing: false))
        out += table(
            ["step", "pass", "snapshot", "diff (+added -removed ~changed)", "bits lost max", "verdict"], rows,
            cls: "trace-steps")
        if let f = t.firstFailure {
            out += el("p", "First failing step: \(f + 1), pass \(t.steps[f].pass).", cls: "first-fail-note") + "\n"
        } else {
            out += el("p", "No step fails.") + "\n"
        }
        out += traceChart(t)
        return out
    }

    static func stepSection(_ s: TraceStepResult, label: String, id: String, failing: Bool) -> String {
        guard s.diff != nil || s.verdict != nil else { return "" }
        var out = "<section class=\"step\(failing ? " failing" : "")\" id=\"\(escape(id))\">\n"
        out += el("h2", "\(label): \(s.pass)\(failing ? " (first failing step)" : "")") + "\n"
        out += el("p", "\(s.from.path) → \(s.to.path)") + "\n"
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
