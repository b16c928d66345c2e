import FPGraph
import FPNumerics
import FPVerify
import Foundation

extension HTMLReport {
    /// The percentiles the profile chart draws, in order.
    static let profilePoints: [(label: String, value: (Summary) -> Double)] = [
        ("p50", { $0.p50 }), ("p95", { $0.p95 }), ("p99", { $0.p99 }), ("max", { $0.max }),
    ]

    static func num(_ x: Double) -> String { CFormat.string("%.1f", x) }

    /// A round upper bound for an axis (at least 1).
    static func axisTop(_ values: [Double]) -> Double {
        let m = values.filter(\.isFinite).max() ?? 0
        guard m > 1 else { return 1 }
        let step: Double = m <= 10 ? 2 : m <= 40 ? 5 : 10
        return (m / step).rounded(.up) * step
    }

    /// Horizontal grid lines and labels of a y axis in bits, plus both axis lines.
    static func yAxis(top: Double, x0: Double, x1: Double, y0: Double, height: Double, title: String) -> String {
        var out = ""
        let ticks = 4
        for k in 0...ticks {
            let v = top * Double(k) / Double(ticks)
            let y = y0 - height * Double(k) / Double(ticks)
            out += "<line class=\"grid\" x1=\"\(num(x0))\" y1=\"\(num(y))\" x2=\"\(num(x1))\" y2=\"\(num(y))\" />"
            out +=
                "<text x=\"\(num(x0 - 6))\" y=\"\(num(y + 4))\" text-anchor=\"end\">\(escape(CFormat.string("%g", v)))</text>\n"
        }
        out += "<line class=\"axis\" x1=\"\(num(x0))\" y1=\"\(num(y0))\" x2=\"\(num(x1))\" y2=\"\(num(y0))\" />"
        out +=
            "<line class=\"axis\" x1=\"\(num(x0))\" y1=\"\(num(y0))\" x2=\"\(num(x0))\" y2=\"\(num(y0 - height))\" />\n"
        out +=
            "<text x=\"14\" y=\"\(num(y0 - height / 2))\" text-anchor=\"middle\" transform=\"rotate(-90 14 \(num(y0 - height / 2)))\">\(escape(title))</text>\n"
        return out
    }

    static func bar(
        _ cls: String, x: Double, width: Double, value: Double, top: Double, y0: Double, height: Double,
        tooltip: String
    ) -> String {
        let shown = value.isFinite ? Swift.min(Swift.max(value, 0), top) : top
        let h = height * shown / top
        var out =
            "<rect class=\"bar \(cls)\" x=\"\(num(x))\" y=\"\(num(y0 - h))\" width=\"\(num(width))\" height=\"\(num(h))\">"
        out += "<title>\(escape(tooltip))</title></rect>"
        out +=
            "<text x=\"\(num(x + width / 2))\" y=\"\(num(y0 - h - 3))\" text-anchor=\"middle\">\(escape(fmt(value)))</text>\n"
        return out
    }

    /// Bars of the p50/p95/p99/max bits of error, original beside rewritten. Built from the
    /// summary percentiles (the histogram below shows the whole distribution).
    static func percentileChart(_ o: OutputMetrics, measured: Int) -> String {
        let width = 620.0
        let height = 280.0
        let x0 = 60.0
        let x1 = 480.0
        let y0 = 240.0
        let plot = 200.0
        let values = profilePoints.flatMap { [$0.value(o.original.bits), $0.value(o.rewritten.bits)] }
        let top = axisTop(values)
        var out =
            "<figure>\n<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart percentile-profile\" width=\"\(num(width))\" height=\"\(num(height))\" viewBox=\"0 0 \(num(width)) \(num(height))\" role=\"img\">\n"
        out += "<title>\(escape("Bits of error of \(o.name): original vs rewritten percentiles"))</title>\n"
        out += yAxis(top: top, x0: x0, x1: x1, y0: y0, height: plot, title: "bits of error")
        let group = (x1 - x0) / Double(profilePoints.count)
        let barWidth = group * 0.32
        for (k, point) in profilePoints.enumerated() {
            let gx = x0 + group * Double(k) + group * 0.16
            let a = point.value(o.original.bits)
            let b = point.value(o.rewritten.bits)
            out += bar(
                "bar-original", x: gx, width: barWidth, value: a, top: top, y0: y0, height: plot,
                tooltip: "original \(point.label): \(fmt(a)) bits")
            out += bar(
                "bar-rewritten", x: gx + barWidth, width: barWidth, value: b, top: top, y0: y0, height: plot,
                tooltip: "rewritten \(point.label): \(fmt(b)) bits")
            out +=
                "<text x=\"\(num(gx + barWidth))\" y=\"\(num(y0 + 16))\" text-anchor=\"middle\">\(point.label)</text>\n"
        }
        out +=
            "<text x=\"\(num((x0 + x1) / 2))\" y=\"\(num(y0 + 34))\" text-anchor=\"middle\">percentile of the measured samples</text>\n"
        out +=
            "<rect class=\"bar-original\" x=\"500\" y=\"40\" width=\"12\" height=\"12\" /><text x=\"518\" y=\"50\">original</text>\n"
        out +=
            "<rect class=\"bar-rewritten\" x=\"500\" y=\"60\" width=\"12\" height=\"12\" /><text x=\"518\" y=\"70\">rewritten</text>\n"
        out += "</svg>\n"
        out += el(
            "figcaption",
            "Percentile profile of the bits of error of output \(o.name), original (blue) vs rewritten (orange). "
                + "Built from the summary percentiles (p50, p95, p99, max; nearest-rank) of the \(measured) measured samples, "
                + "(the histogram below shows the whole distribution). "
                + "Means: original \(fmt(o.original.bits.mean)), rewritten \(fmt(o.rewritten.bits.mean)) bits.")
        return out + "\n</figure>\n"
    }

    /// The distribution of bits of error over all measured points, original
    /// beside rewritten, per 1-bit bin (as a share of the points).
    static func histogramChart(_ o: OutputMetrics) -> String {
        let a = o.original.bitsHistogram
        let b = o.rewritten.bitsHistogram
        guard !a.isEmpty, a.count == b.count else { return "" }
        let totalA = Swift.max(a.reduce(0, +), 1)
        let totalB = Swift.max(b.reduce(0, +), 1)
        let shares = a.map { 100 * Double($0) / Double(totalA) } + b.map { 100 * Double($0) / Double(totalB) }
        let top = axisTop(shares)
        let width = 760.0
        let height = 280.0
        let x0 = 60.0
        let x1 = 720.0
        let y0 = 240.0
        let plot = 200.0
        var out =
            "<figure>\n<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart bits-histogram\" width=\"\(num(width))\" height=\"\(num(height))\" viewBox=\"0 0 \(num(width)) \(num(height))\" role=\"img\">\n"
        out += "<title>\(escape("Distribution of the bits of error of \(o.name)"))</title>\n"
        out += yAxis(top: top, x0: x0, x1: x1, y0: y0, height: plot, title: "% of points")
        let group = (x1 - x0) / Double(a.count)
        for k in a.indices {
            let gx = x0 + group * Double(k)
            for (cls, counts, total, offset) in [("bar-original", a, totalA, 0.1), ("bar-rewritten", b, totalB, 0.5)] {
                let share = 100 * Double(counts[k]) / Double(total)
                let h = plot * Swift.min(share, top) / top
                out +=
                    "<rect class=\"bar \(cls)\" x=\"\(num(gx + group * offset))\" y=\"\(num(y0 - h))\" width=\"\(num(group * 0.4))\" height=\"\(num(h))\">"
                out +=
                    "<title>\(escape("\(cls == "bar-original" ? "original" : "rewritten"): \(counts[k]) points with \(k) to \(k + 1) bits"))</title></rect>\n"
            }
            if k % 4 == 0 || k == a.count - 1 {
                out += "<text x=\"\(num(gx + group / 2))\" y=\"\(num(y0 + 16))\" text-anchor=\"middle\">\(k)</text>\n"
            }
        }
        out +=
            "<text x=\"\(num((x0 + x1) / 2))\" y=\"\(num(y0 + 34))\" text-anchor=\"middle\">bits of error (1-bit bins; the last is maximal error)</text>\n"
        out += "</svg>\n"
        out += el(
            "figcaption",
            "Distribution of the bits of error of output \(o.name) over all measured points (samples x elements), "
                + "original (blue) beside rewritten (orange), as a share of the points in each 1-bit bin.")
        return out + "\n</figure>\n"
    }
}
