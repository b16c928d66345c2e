import FPEval
import FPGraph
import FPNumerics
import FPVerify
import Foundation

extension HTMLReport {
    /// Most elements of one input array the worst-input table shows.
    static let inputElementLimit = 16

    /// Everything about one verification result (no verdict banner); `id` prefixes element ids.
    static func resultBody(_ r: VerificationResult, id: String) -> String {
        var out = "<h2>Graphs</h2>\n"
        out += table(
            ["", "path", "file sha256", "canonical hash"],
            [
                (["original", r.original.path, r.original.fileSHA256, r.original.canonicalHash], nil),
                (["rewritten", r.rewritten.path, r.rewritten.fileSHA256, r.rewritten.canonicalHash], nil),
            ])
        if r.original.canonicalHash == r.rewritten.canonicalHash {
            out +=
                el("p", "The two graphs have the same canonical hash (they compute the same thing the same way).")
                + "\n"
        }
        out += configSection(r)
        for (k, o) in r.outputs.enumerated() {
            out += outputSection(o, r, id: "\(id)-out\(k)")
        }
        out += hotspotSection(r)
        out += findingsSection(r)
        out += checksSection(r)
        return out
    }

    static func configSection(_ r: VerificationResult) -> String {
        let c = r.config
        let s = r.samples
        var rows: [(cells: [String], cls: String?)] = [
            (
                [
                    "samples",
                    "\(s.requested) requested, \(s.measured) measured, \(s.referenceUnstable) reference-unstable, \(s.rewrittenReferenceUnstable) rewritten-reference-unstable, \(s.branchFlips) branch flips",
                ], nil
            ),
            (["seed", "\(c.seed)"], nil),
            (["execution", c.exec.rawValue + (c.subnormals == .flush ? " (subnormals flushed)" : "")], nil),
            (["reduction order", c.reductionOrder.rawValue], nil),
            (["truth", String(s.truthDescription(c).dropFirst("truth ".count))], nil),
            (
                [
                    "elements",
                    c.elements.map { "about \($0) per output and sample, a random box chosen per sample (--elements)" }
                        ?? "all",
                ], nil
            ),
            (["inputs", r.distributions.map { "\($0.parameter) ~ \($0.distribution)" }.joined(separator: ", ")], nil),
        ]
        if let weights = c.checkpoints {
            rows.append((["weights", weights.summary], nil))
        }
        if let recorded = c.recordedInputs {
            rows.append((["recorded inputs", recorded.summary], nil))
        }
        if !r.defaultedInputs.isEmpty {
            rows.append((["default distributions", ReportText.defaultsLine(r) + " (set with --input NAME=SPEC)"], nil))
        }
        if let i = r.interface {
            rows.append((["interfaces", "matched \(i.description) (--match \(i.mode.rawValue))"], nil))
        }
        if let p = r.policy {
            let held = r.checks.filter(\.held).count
            rows.append(
                (
                    [
                        "policy",
                        "\(p.name) v\(p.version) (\(p.path)), canonical \(p.canonicalHash); \(held) of \(r.checks.count) rule checks held",
                    ], nil
                ))
        } else {
            rows.append((["policy", "built-in default rules"], nil))
        }
        return "<h2>Configuration and policy</h2>\n" + table(["setting", "value"], rows)
    }

    static func outputSection(_ o: OutputMetrics, _ r: VerificationResult, id: String) -> String {
        var out = "<section class=\"output\" id=\"\(escape(id))\">\n"
        out += el("h2", "Output \(o.name): \(o.type)") + "\n"
        if let sampled = o.elementsDescription { out += el("p", "Measured on \(sampled) (element sampling).") + "\n" }
        func row(_ label: String, _ m: SideMetrics) -> (cells: [String], cls: String?) {
            (
                [
                    label, fmt(m.bits.max), fmt(m.bits.mean), fmt(m.bits.p50), fmt(m.bits.p95), fmt(m.bits.p99),
                    ReportText.ulps(m.ulps.max), ReportText.sci(m.relativeMax), String(m.nonfinite),
                ], nil
            )
        }
        out += table(
            ["bits of error", "max", "mean", "p50", "p95", "p99", "ulps max", "rel max", "nonfinite"],
            [row("original", o.original), row("rewritten", o.rewritten)])
        out +=
            el(
                "p",
                "Bits lost: max \(fmt(o.bitsLost.max)), mean \(fmt(o.bitsLost.mean)), samples worse by more than 1 bit \(ReportText.percent(o.bitsLost.shareOfSamplesWorseThan1Bit)); new non-finite points \(o.newNonfinite)."
            ) + "\n"
        if let cmp = o.comparison, let excess = o.excessBits {
            out +=
                el(
                    "p",
                    "Against the original and the budget (\(fmt(cmp.budgetBits)) bits, reduction depth \(cmp.reductionDepth)): excess bits p50 \(fmt(excess.p50)), p95 \(fmt(excess.p95)), p99 \(fmt(excess.p99)), max \(fmt(excess.max)), mean \(fmt(excess.mean)). Points: \(ReportText.percent(cmp.worseShare)) worse, \(ReportText.percent(cmp.betterShare)) better (sign test z \(fmt(cmp.signTestZ))), \(ReportText.percent(cmp.changedShare)) changed of \(cmp.points)"
                        + (cmp.changedPoints == 0 ? " (bit-identical outputs)." : ".")) + "\n"
        }
        let sem = o.semantic
        out +=
            el(
                "p",
                "Semantic deviation: max \(ReportText.ulps(sem.maxULPs)) ulps over \(sem.samplesCompared) samples"
                    + (sem.equivalent ? " (same real function)." : " (\(sem.samplesDiffering) samples differ).")) + "\n"
        out += percentileChart(o, measured: r.samples.measured)
        out += histogramChart(o)
        if let w = o.worst { out += worstSection(w, r) }
        return out + "</section>\n"
    }

    static func worstSection(_ w: WorstCase, _ r: VerificationResult) -> String {
        var out =
            el("h3", "Worst input: sample \(w.sample), element \(w.element) (\(fmt(w.bitsLost)) bits lost)") + "\n"
        out += table(
            ["", "hex", "decimal"],
            [
                (["original", HexFloat.format(w.original), "\(w.original)"], nil),
                (["rewritten", HexFloat.format(w.rewritten), "\(w.rewritten)"], nil),
                (["truth", HexFloat.format(w.truth), "\(w.truth)"], nil),
            ])
        var rows: [(cells: [String], cls: String?)] = []
        let inputs = w.inputs ?? NamedTensors(names: [], tensors: [])
        for (name, tensor) in zip(inputs.names, inputs.tensors) {
            let data = tensor.elements
            let values: [String]
            switch data {
            case .floats(let v): values = v.prefix(inputElementLimit).map(HexFloat.format)
            case .integers(let v): values = v.prefix(inputElementLimit).map { tensor.dtype.integerText($0) }
            }
            let more = data.count > inputElementLimit ? " … (\(data.count - inputElementLimit) more)" : ""
            rows.append(([name, "\(data.count)", values.joined(separator: " ") + more], nil))
        }
        if !rows.isEmpty { out += table(["input", "elements", "values (hex)"], rows) }
        return out
    }

    static func hotspotSection(_ r: VerificationResult) -> String {
        var out = ""
        if let s = r.search {
            out += el("h2", "Worst-case search") + "\n"
            out +=
                el(
                    "p",
                    s.foundWorse
                        ? "\(s.evaluations) evaluations from sample \(s.startSample) found an input losing \(fmt(s.bitsLost)) bits, worse than sampling's \(fmt(s.sampledBitsLost)) bits (in the JSON report; --save-worst saves it for --replay)."
                        : "\(s.evaluations) evaluations from the worst samples found nothing worse than sampling's \(fmt(s.sampledBitsLost)) bits lost."
                ) + "\n"
        }
        guard let h = r.hotspots else { return out }
        out += el("h2", "Where the accuracy goes (\(h.scope), worst first)") + "\n"
        for (label, errors) in [("rewritten", h.rewritten), ("original", h.original)] {
            let shown = errors.prefix(Hotspots.reportedLimit).filter { $0.bits > 0 }
            out += el("h3", "\(label) graph") + "\n"
            if shown.isEmpty {
                out += el("p", "Every node is exact to its dtype.") + "\n"
                continue
            }
            out += table(
                ["bits (max)", "mean", "node", "op", "cause", "line", "source"],
                shown.map { e in
                    (
                        [
                            fmt(e.bits), fmt(e.meanBits), e.displayName, e.op, e.cause?.description ?? "",
                            e.location.map { "\($0.line)" } ?? "", e.sourceLine ?? "",
                        ], nil
                    )
                })
        }
        return out
    }

    static func findingsSection(_ r: VerificationResult) -> String {
        var out = "<h2>Findings</h2>\n"
        if r.findings.isEmpty { return out + el("p", "No findings.") + "\n" }
        out += table(
            ["severity", "rule", "output", "message", "value", "threshold", "waiver"],
            r.findings.map { f in
                (
                    [
                        f.severity.rawValue, f.rule, f.output ?? "", f.message, fmt(f.value), fmt(f.threshold),
                        f.waiver.map { "WAIVED: \($0)" } ?? "",
                    ], f.waiver == nil ? "severity-\(f.severity.rawValue)" : "waived"
                )
            })
        return out
    }

    static func checksSection(_ r: VerificationResult) -> String {
        guard !r.checks.isEmpty else { return "" }
        return "<h2>Rule checks</h2>\n"
            + table(
                ["rule", "output", "held", "severity", "value", "comparison", "threshold", "require", "waiver"],
                r.checks.map { c in
                    (
                        [
                            c.rule, c.output ?? "", c.held ? "yes" : "no", c.severity.rawValue, fmt(c.value),
                            c.comparison ?? "",
                            fmt(c.threshold), c.expression, c.waiver ?? "",
                        ],
                        c.held ? nil : (c.waiver == nil ? "held-no" : "waived")
                    )
                })
    }
}
