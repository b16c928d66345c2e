import FPGraph
import FPNumerics
import FPVerify
import Foundation

/// The human-readable report: a header, one table per output, findings, verdict.
public enum ReportText {

    /// Renders a result as the text report: the graphs and the settings, one table
    /// per output (its error figures, the comparison with the original and the
    /// budget, the semantic deviation and the worst case), the nodes with non-zero
    /// local error (at most ``Hotspots.reportedLimit`` per graph), the findings and the verdict.
    /// - Returns: the report, ending with a newline.
    public static func render(_ r: VerificationResult) -> String {
        var out = ""
        func line(_ s: String = "") { out += s + "\n" }
        line("fpaudit verify")
        line(
            "  original   \(r.original.path)  (sha256 \(r.original.fileSHA256.prefix(12)), canonical \(r.original.canonicalHash.prefix(12)))"
        )
        line(
            "  rewritten  \(r.rewritten.path)  (sha256 \(r.rewritten.fileSHA256.prefix(12)), canonical \(r.rewritten.canonicalHash.prefix(12)))"
        )
        if r.original.canonicalHash == r.rewritten.canonicalHash {
            line("  note: the two graphs have the same canonical hash (they compute the same thing the same way)")
        }
        let c = r.config
        let s = r.samples
        line(
            "  samples \(s.requested) (measured \(s.measured)), seed \(c.seed), exec \(c.exec.rawValue)\(c.subnormals == .flush ? " (subnormals flushed)" : ""), reduction \(c.reductionOrder.rawValue), \(s.truthDescription(c))"
        )
        line("  inputs: " + r.distributions.map { "\($0.parameter) ~ \($0.distribution)" }.joined(separator: ", "))
        if let weights = c.checkpoints { line("  weights: " + weights.summary) }
        if let recorded = c.recordedInputs { line("  recorded inputs: " + recorded.summary) }
        if !r.defaultedInputs.isEmpty {
            line("  default distributions (set with --input NAME=SPEC): " + defaultsLine(r))
        }
        if let i = r.interface {
            line("  interfaces matched \(i.description) (--match \(i.mode.rawValue))")
        }
        if let p = r.policy {
            let held = r.checks.filter(\.held).count
            line(
                "  policy \(p.name) v\(p.version) (\(p.path), \(p.canonicalHash.prefix(12))): \(held) of \(r.checks.count) rule checks held"
            )
        }
        for o in r.outputs {
            line()
            let unit = o.measuredIn ?? ErrorUnit(dtype: o.type.dtype, exec: c.exec).name(dtype: o.type.dtype)
            let paired = o.rewrittenName.map { $0 != o.name ? " (rewritten: \($0))" : "" } ?? ""
            let sampled = o.elementsDescription.map { ", measured on \($0)" } ?? ""
            line("output \(o.name)\(paired): \(o.type)  (errors in \(unit) ulps\(sampled))")
            let header = ["", "bits max", "mean", "p50", "p95", "p99", "ulps max", "rel max", "nonfinite"]
            let rows: [[String]] = [
                row("original", o.original),
                row("rewritten", o.rewritten),
            ]
            out += table([header] + rows, indent: "  ")
            line(
                "  bits lost: max \(fmt(o.bitsLost.max)), mean \(fmt(o.bitsLost.mean)), samples worse by >1 bit \(percent(o.bitsLost.shareOfSamplesWorseThan1Bit)); new non-finite points \(o.newNonfinite)"
            )
            if let cmp = o.comparison, let excess = o.excessBits {
                line(
                    "  vs original and budget (\(fmt(cmp.budgetBits)) bits, reduction depth \(cmp.reductionDepth)): excess bits p50 \(fmt(excess.p50)), p95 \(fmt(excess.p95)), p99 \(fmt(excess.p99)), max \(fmt(excess.max)), mean \(fmt(excess.mean))"
                )
                line(
                    "  points: \(percent(cmp.worseShare)) worse, \(percent(cmp.betterShare)) better (sign test z \(fmt(cmp.signTestZ))), \(percent(cmp.changedShare)) changed"
                        + (cmp.changedPoints == 0 ? " (bit-identical outputs)" : "") + " of \(cmp.points)")
            }
            let sem = o.semantic
            line(
                "  semantic deviation: max \(ulps(sem.maxULPs)) ulps over \(sem.samplesCompared) samples"
                    + (sem.equivalent ? " (same real function)" : " (\(sem.samplesDiffering) samples differ)"))
            if let w = o.worst {
                line(
                    "  worst: sample \(w.sample), element \(w.element): original \(HexFloat.format(w.original)), rewritten \(HexFloat.format(w.rewritten)), truth \(HexFloat.format(w.truth)) (\(fmt(w.bitsLost)) bits lost)"
                )
            }
        }
        if let s = r.search {
            line()
            line(
                s.foundWorse
                    ? "search: \(s.evaluations) evaluations from sample \(s.startSample) found an input losing \(CFormat.string("%.4f", s.bitsLost)) bits, worse than sampling's \(CFormat.string("%.4f", s.sampledBitsLost)) (--save-worst saves it for --replay)"
                    : "search: \(s.evaluations) evaluations from the worst samples found nothing worse than sampling's \(fmt(s.sampledBitsLost)) bits lost"
            )
        }
        if let h = r.hotspots {
            line()
            line("where the accuracy goes (\(h.scope), worst first):")
            for (label, errors) in [("rewritten", h.rewritten), ("original", h.original)] {
                let shown = errors.prefix(Hotspots.reportedLimit).filter { $0.bits > 0 }
                if shown.isEmpty {
                    line("  \(label): every node exact to its dtype")
                    continue
                }
                line("  \(label):")
                for e in shown {
                    var whereFrom = e.location.map { "line \($0.line)" } ?? ""
                    if let source = e.sourceLine { whereFrom += (whereFrom.isEmpty ? "" : ", ") + "from \(source)" }
                    var spread = ""
                    if let s = e.spread, s.samples > 1 {
                        spread = "  mean \(fmt(s.meanBits)) over \(s.samples) samples, worst at sample \(s.worstSample)"
                    }
                    line(
                        "    \(fmt(e.bits).leftPadded(6)) bits  \(e.node) (\(e.op))\(e.runsIn.map { " in \($0)" } ?? "")\(whereFrom.isEmpty ? "" : "  [\(whereFrom)]")\(spread)"
                    )
                    if let cause = e.cause { line("                 \(cause.description)") }
                }
            }
        }
        line()
        if r.findings.isEmpty {
            line("findings: none")
        } else {
            line("findings:")
            for f in r.findings {
                let severity = f.severity.rawValue.rightPadded(8)
                line(
                    "  \(severity)\(f.rule)\(f.output.map { " [\($0)]" } ?? ""): \(f.message)"
                        + (f.waiver.map { " (WAIVED: \($0))" } ?? ""))
            }
        }
        line("verdict: \(r.verdict.rawValue.uppercased())")
        return out
    }

    /// `x, labels (compared with an iota of 10)`: the parameters sampled from fpaudit's defaults.
    static func defaultsLine(_ r: VerificationResult) -> String {
        r.defaultedInputs.map { d in d.parameter + (d.reason.map { " (\($0))" } ?? "") }.joined(separator: ", ")
    }

    static func row(_ label: String, _ m: SideMetrics) -> [String] {
        [
            label, fmt(m.bits.max), fmt(m.bits.mean), fmt(m.bits.p50), fmt(m.bits.p95), fmt(m.bits.p99),
            ulps(m.ulps.max), sci(m.relativeMax), String(m.nonfinite),
        ]
    }

    static func fmt(_ x: Double) -> String { x.isFinite ? CFormat.string("%.2f", x) : "\(x)" }
    static func sci(_ x: Double) -> String { x.isFinite ? CFormat.string("%.2e", x) : "\(x)" }
    static func percent(_ x: Double) -> String { CFormat.string("%.1f%%", 100 * x) }
    static func ulps(_ x: Double) -> String {
        x < 1e15 ? CFormat.string("%.0f", x) : CFormat.string("%.3e", x)
    }

    /// The first `leftAligned` columns left-aligned, the others right-aligned.
    static func table(_ rows: [[String]], indent: String, leftAligned: Int = 1) -> String {
        let widths = (0..<rows[0].count).map { col in rows.map { $0[col].count }.max()! }
        return rows.map { r in
            var line =
                indent
                + r.enumerated().map { col, cell in
                    col < leftAligned ? cell.rightPadded(widths[col]) : cell.leftPadded(widths[col])
                }.joined(separator: "  ")
            while line.last == " " { line.removeLast() }
            return line
        }.joined(separator: "\n") + "\n"
    }
}

extension String {
    /// Right-aligns the string in `width` columns.
    func leftPadded(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
    /// Left-aligns the string in `width` columns (characters, as the widths are counted).
    func rightPadded(_ width: Int) -> String { self + String(repeating: " ", count: max(0, width - count)) }
}
