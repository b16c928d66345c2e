import FPNumerics
import FPTrace
import FPVerify
import Foundation

// The trace page's chart: bits lost per pass, one horizontal bar per step that
// changed the graph, so that long pass names stay readable however many steps there are.

extension HTMLReport {
    /// Most characters of a bar's label (`7. PIPELINE/PASS`) before it is cut with `…`.
    static let traceLabelLimit = 44

    /// Bits lost (max over the outputs) per step that changed the graph, in pipeline
    /// order: failing steps red, the first marked `first failure`; a step that could not
    /// be verified is named without a bar; unchanged steps are left out.
    static func traceChart(_ t: TraceResult) -> String {
        let drawn = t.steps.indices.filter { k in
            if case .unchanged = t.steps[k].outcome { return false } else { return true }
        }
        guard !drawn.isEmpty else { return el("p", "No step changed the graph: there is nothing to chart.") + "\n" }
        let labels = drawn.map { k in traceLabel("\(k + 1). \(t.steps[k].pass)") }
        let rowHeight = 24.0
        let x0 = 16 + Swift.min(Double(labels.map(\.shown.count).max() ?? 0) * 6.4, 290)
        let plotWidth = 460.0
        let y0 = 8 + rowHeight * Double(drawn.count)
        let top = axisTop(drawn.compactMap { bitsLost(t.steps[$0]) })
        var out =
            "<figure>\n<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart trace-bits-lost\" width=\"\(num(x0 + plotWidth + 130))\" height=\"\(num(y0 + 46))\" viewBox=\"0 0 \(num(x0 + plotWidth + 130)) \(num(y0 + 46))\" role=\"img\">\n"
        out += "<title>Bits lost (max) per pass along the pipeline</title>\n"
        out += xAxis(top: top, x0: x0, width: plotWidth, y0: y0, title: "bits lost (max over the outputs)")
        for (row, k) in drawn.enumerated() {
            let y = 8 + rowHeight * Double(row)
            out += traceLabelText(labels[row], x: x0 - 8, y: y + rowHeight / 2 + 4)
            out += traceBar(
                t.steps[k], number: k + 1, first: k == t.firstFailure, x0: x0, y: y + 4, height: rowHeight - 8,
                width: plotWidth, top: top)
        }
        out += "</svg>\n"
        let unchanged = t.steps.count - drawn.count
        out += el(
            "figcaption",
            "Largest bits lost over the outputs at each step that changed the graph (its rewritten snapshot "
                + "against the one before it), in pipeline order; failing steps are red, the first one marked. "
                + "Steps that could not be verified have no bar"
                + (unchanged == 0
                    ? "."
                    : unchanged == 1
                        ? "; the step that left the graph unchanged is not drawn."
                        : "; the \(unchanged) steps that left the graph unchanged are not drawn."))
        return out + "\n</figure>\n"
    }

    /// The bits lost (max over the outputs) of a verified step, nil for the others.
    static func bitsLost(_ s: TraceStepResult) -> Double? {
        if case .verified(let r) = s.outcome { return r.outputs.map(\.bitsLost.max).max() ?? 0 }
        return nil
    }

    /// A bar's label, cut to ``traceLabelLimit`` characters, with the whole of it.
    static func traceLabel(_ full: String) -> (shown: String, full: String) {
        guard full.count > traceLabelLimit else { return (full, full) }
        return (String(full.prefix(traceLabelLimit - 1)) + "…", full)
    }

    /// A label right-aligned at `x`, the whole label as its tooltip when it was cut.
    static func traceLabelText(_ label: (shown: String, full: String), x: Double, y: Double) -> String {
        let tooltip = label.shown == label.full ? "" : "<title>\(escape(label.full))</title>"
        return "<text x=\"\(num(x))\" y=\"\(num(y))\" text-anchor=\"end\">\(tooltip)\(escape(label.shown))</text>\n"
    }

    /// One step's bar and its value (red when it fails, `first failure` after the first),
    /// or `could not be verified` for a step without a result.
    static func traceBar(
        _ s: TraceStepResult, number: Int, first: Bool, x0: Double, y: Double, height: Double, width: Double,
        top: Double
    ) -> String {
        guard let lost = bitsLost(s) else {
            return
                "<text x=\"\(num(x0 + 4))\" y=\"\(num(y + height - 4))\" class=\"step-error\">could not be verified</text>\n"
        }
        let shown = lost.isFinite ? Swift.min(Swift.max(lost, 0), top) : top
        let w = width * shown / top
        let cls = s.verdict == .fail ? "bar-fail" : s.verdict == .warn ? "bar-warn" : "bar-step"
        var out =
            "<rect class=\"bar \(cls)\" x=\"\(num(x0))\" y=\"\(num(y))\" width=\"\(num(w))\" height=\"\(num(height))\">"
        out +=
            "<title>\(escape("step \(number) \(s.pass): \(fmt(lost)) bits lost, \(s.verdict?.rawValue ?? "")"))</title></rect>"
        out += "<text x=\"\(num(x0 + w + 4))\" y=\"\(num(y + height - 4))\">\(escape(fmt(lost)))</text>"
        if first {
            out +=
                "<text x=\"\(num(x0 + w + 44))\" y=\"\(num(y + height - 4))\" class=\"fail-marker\" fill=\"#c62828\">first failure</text>"
        }
        return out + "\n"
    }

    /// Vertical grid lines and labels of an x axis in bits, the axis line and its title.
    static func xAxis(top: Double, x0: Double, width: Double, y0: Double, title: String) -> String {
        var out = ""
        let ticks = tickCount(top)
        for k in 0...ticks {
            let v = top * Double(k) / Double(ticks)
            let x = x0 + width * Double(k) / Double(ticks)
            out += "<line class=\"grid\" x1=\"\(num(x))\" y1=\"4\" x2=\"\(num(x))\" y2=\"\(num(y0))\" />"
            out +=
                "<text x=\"\(num(x))\" y=\"\(num(y0 + 16))\" text-anchor=\"middle\">\(escape(CFormat.string("%g", v)))</text>\n"
        }
        out += "<line class=\"axis\" x1=\"\(num(x0))\" y1=\"\(num(y0))\" x2=\"\(num(x0 + width))\" y2=\"\(num(y0))\" />"
        out += "<line class=\"axis\" x1=\"\(num(x0))\" y1=\"4\" x2=\"\(num(x0))\" y2=\"\(num(y0))\" />\n"
        out +=
            "<text x=\"\(num(x0 + width / 2))\" y=\"\(num(y0 + 36))\" text-anchor=\"middle\">\(escape(title))</text>\n"
        return out
    }

    /// How many intervals an axis from 0 to `top` (from ``axisTop(_:)``) is cut into:
    /// 4, or the first of 5, 3, 6 whose ticks are whole numbers when `top` is at least 4.
    static func tickCount(_ top: Double) -> Int {
        guard top >= 4 else { return 4 }
        return [4, 5, 3, 6].first { (top / Double($0)).rounded() == top / Double($0) } ?? 4
    }
}
