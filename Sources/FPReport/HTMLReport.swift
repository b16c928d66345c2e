import FPEval
import FPGraph
import FPNumerics
import FPTrace
import FPVerify
import Foundation

/// A self-contained HTML5 report (inline CSS and SVG, no scripts, no network).
///
/// The markup is also well-formed XML (every element closed, attributes quoted,
/// text escaped), so tests can parse it with `XMLParser`.
public enum HTMLReport {
    /// Renders one verification result as a complete document.
    /// - Parameter diff: the structural diff of the two graphs, shown with the changed nodes highlighted.
    public static func render(_ r: VerificationResult, diff: GraphDiff? = nil) -> String {
        document(title: "fpaudit verify: \(r.verdict.rawValue.uppercased())") {
            var out = verdictBanner(r.verdict, subtitle: "fpaudit verify")
            if let diff { out += diffTable(diff) }
            out += resultBody(r, id: "r")
            return out
        }
    }

    /// Renders a trace. The page leads with what matters: the worst verdict, how many
    /// steps changed the graph, the first failing step, the chart of bits lost per pass,
    /// then the step table in pipeline order (failing rows marked, each run of unchanged
    /// steps folded into one expandable row); after it, a section per step that changed
    /// the graph and one for the end-to-end pair.
    /// - Parameter reproducer: the reduced pair `trace --reduce` wrote for a
    ///   failing step, linked from that step's section; nil for none.
    public static func render(_ t: TraceResult, reproducer: TraceReproducer? = nil) -> String {
        let verdicts = (t.steps + [t.endToEnd]).compactMap(\.verdict)
        let overall: Verdict = verdicts.contains(.fail) ? .fail : verdicts.contains(.warn) ? .warn : .pass
        return document(title: "fpaudit trace \(t.module): \(overall.rawValue.uppercased())") {
            var out = verdictBanner(
                overall, subtitle: "fpaudit trace \(t.module) (worst verdict over the steps and end-to-end)")
            out += traceSummary(t)
            for (k, s) in t.steps.enumerated() {
                out += stepSection(
                    s, label: "Step \(k + 1)", id: "step\(k + 1)", failing: k == t.firstFailure,
                    reproducer: reproducer?.step == k ? reproducer : nil)
            }
            out += stepSection(t.endToEnd, label: "End-to-end", id: "end-to-end", failing: false)
            return out
        }
    }

    // MARK: - Escaping and formatting

    /// Escapes text for element content and quoted attribute values.
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    static func fmt(_ x: Double) -> String { ReportText.fmt(x) }
    static func fmt(_ x: Double?) -> String { x.map(ReportText.fmt) ?? "" }

    /// `<tag attrs>escaped text</tag>`.
    static func el(_ tag: String, _ text: String, cls: String? = nil) -> String {
        "<\(tag)\(cls.map { " class=\"\(escape($0))\"" } ?? "")>\(escape(text))</\(tag)>"
    }

    static func table(_ header: [String], _ rows: [(cells: [String], cls: String?)], cls: String? = nil) -> String {
        var out = "<table\(cls.map { " class=\"\($0)\"" } ?? "")><thead><tr>"
        out += header.map { el("th", $0) }.joined()
        out += "</tr></thead><tbody>\n"
        for row in rows {
            out +=
                "<tr\(row.cls.map { " class=\"\(escape($0))\"" } ?? "")>" + row.cells.map { el("td", $0) }.joined()
                + "</tr>\n"
        }
        return out + "</tbody></table>\n"
    }

    static let css = """
        body { font-family: system-ui, sans-serif; margin: 1.5em auto; max-width: 1100px; color: #222; }
        h1, h2, h3 { margin: 0.8em 0 0.3em; }
        .verdict { padding: 0.8em 1.2em; border-radius: 6px; color: #fff; font-size: 1.6em; font-weight: bold; }
        .verdict small { display: block; font-size: 0.55em; font-weight: normal; }
        .verdict-pass { background: #2e7d32; }
        .verdict-warn { background: #b26a00; }
        .verdict-fail { background: #c62828; }
        table { border-collapse: collapse; margin: 0.4em 0 1em; font-size: 0.92em; }
        th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
        th { background: #f2f2f2; }
        td { font-family: ui-monospace, monospace; overflow-wrap: anywhere; }
        tr.first-fail td { background: #ffd7d7; font-weight: bold; }
        tr.held-no td { background: #fff0f0; }
        tr.waived td { background: #f4f4f4; color: #666; font-style: italic; }
        tr.changed td { background: #fff7d6; }
        tr.fail td { background: #ffd7d7; }
        tr.warn td, tr.error td { background: #fff0d0; }
        tr.unchanged-run td { color: #666; font-family: system-ui, sans-serif; }
        tr.unchanged-run summary { cursor: pointer; }
        tr.unchanged-run ol { margin: 0.3em 0; font-family: ui-monospace, monospace; }
        .snapshot { color: #555; font-size: 0.9em; }
        .waived-tag { color: #555; font-style: italic; }
        figure { margin: 0.5em 0 1.2em; }
        figcaption { font-size: 0.85em; color: #555; max-width: 640px; }
        svg text { font-family: system-ui, sans-serif; font-size: 11px; fill: #222; }
        .bar-original { fill: #5b8dd6; }
        .bar-rewritten { fill: #e07b39; }
        .bar-step { fill: #5b8dd6; }
        .bar-fail { fill: #c62828; }
        .bar-warn { fill: #e0a030; }
        .axis { stroke: #444; stroke-width: 1; }
        .grid { stroke: #ddd; stroke-width: 1; }
        section.step { border-top: 3px solid #ccc; margin-top: 1.5em; }
        section.step.failing { border-top-color: #c62828; }
        code, .mono { font-family: ui-monospace, monospace; }
        """

    static func document(title: String, _ body: () -> String) -> String {
        var out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n"
        out += el("title", title) + "\n<style>\n" + css + "\n</style>\n</head>\n<body>\n"
        out += body()
        return out + "<p class=\"mono\">generated by fpaudit</p>\n</body>\n</html>\n"
    }

    static func verdictBanner(_ v: Verdict, subtitle: String) -> String {
        "<div class=\"verdict verdict-\(v.rawValue)\" id=\"verdict\">verdict: \(escape(v.rawValue.uppercased()))"
            + "<small>\(escape(subtitle))</small></div>\n"
    }
}
