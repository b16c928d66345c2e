import FPAuditKit
import Foundation

/// `fpaudit log show`: every field of one entry, as text.
enum LogEntryText {
    static func render(_ e: StoredEntry) -> String {
        let r = e.record
        var out = "entry \(e.seq)  \(e.id)\n"
        func line(_ label: String, _ text: String) {
            out += "  " + label.padding(toLength: 11, withPad: " ", startingAt: 0) + text + "\n"
        }
        line("recorded", "\(r.timestamp) by \(r.tool.name) \(r.tool.version), run \(r.run)")
        var what = r.command.rawValue + (r.pass.map { ", pass \($0)" } ?? "")
        if let t = r.trace {
            what +=
                t.kind == .endToEnd
                ? " (end-to-end over \(t.steps) steps of \(t.module))"
                : " (step \(t.step) of \(t.steps) in \(t.module), after \(t.fromPass))"
        }
        line("command", what)
        for (label, g) in [("original", r.original), ("rewritten", r.rewritten)] {
            line(
                label,
                "\(g.path)  (\(g.format ?? "unknown format"), sha256 \(g.sha256 ?? "unreadable"), canonical \(g.canonicalHash ?? "none"))"
            )
        }
        line("policy", "\(r.policy.name) v\(r.policy.version) (\(r.policy.path), canonical \(r.policy.canonicalHash))")
        for d in r.policy.data { line("", "data \(d.pattern): \(d.file) sha256 \(d.sha256)") }
        let c = r.config
        let v = c.verification
        line(
            "config",
            "\(v.samples) samples, seed \(v.seed), exec \(v.exec.rawValue), precision \(v.precisionDescription) "
                + "(\(v.startPrecision)..\(v.maxPrecision) bits), reduction \(v.reductionOrder.rawValue), "
                + "subnormals \(v.subnormals.rawValue), fail on \(c.failOn.rawValue)"
                + (v.match == .position ? ", interfaces by position" : ""))
        let inputs = c.defaults.merging(v.inputs.mapValues(\.description)) { _, override in override }
        if !inputs.isEmpty || !c.fixed.isEmpty {
            let parts =
                inputs.sorted { $0.key < $1.key }.map { "\($0.key) ~ \($0.value)" }
                + c.fixed.sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value.description)" }
            line("inputs", parts.joined(separator: ", "))
        }
        if let replay = c.replayInputs { line("replay", "one input set, values blob \(replay)") }
        let ctx = r.context
        line("context", "user \(ctx.user ?? "?") on \(ctx.host ?? "?"), in \(ctx.cwd)")
        if let git = ctx.git { line("git", git.commit + (git.branch.map { " (\($0))" } ?? " (detached)")) }
        if !ctx.ci.isEmpty {
            line("ci", ctx.ci.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
        }
        line("arguments", ctx.arguments.map(shellQuoted).joined(separator: " "))
        switch r.outcome {
        case .unchanged: line("outcome", "unchanged: both graphs have the same canonical hash")
        case .error: line("outcome", "error: \(r.error ?? "")")
        case .verified:
            if let s = r.samples {
                line(
                    "samples",
                    "\(s.measured) of \(s.requested) measured, \(s.referenceUnstable) original and "
                        + "\(s.rewrittenReferenceUnstable) rewritten truths unstable, \(s.branchFlips) branch flips, "
                        + (s.truthPoints.map {
                            "intervals decided \($0.interval), balls \($0.ball) and MPFR \($0.mpfr) truth points, "
                        } ?? "")
                        + "MPFR truth up to \(s.maxPrecisionUsed) bits")
            }
        }
        for o in r.outputs {
            out += "\noutput \(o.name): \(o.type)\n"
            out += "             bits max   mean    p99  ulps max   rel max  nonfinite\n"
            for (label, s) in [("original", o.original), ("rewritten", o.rewritten)] {
                out +=
                    "  " + label.padding(toLength: 9, withPad: " ", startingAt: 0)
                    + String(
                        format: "  %8.2f %6.2f %6.2f %9.4g %9.2e %10d\n", s.bits.max, s.bits.mean, s.bits.p99,
                        s.ulps.max, s.relativeMax, s.nonfinite)
            }
            out += String(
                format: "  bits lost: max %.2f, mean %.2f, samples worse by >1 bit %.1f%%; new non-finite %d\n",
                o.bitsLost.max, o.bitsLost.mean, 100 * o.bitsLost.shareOfSamplesWorseThan1Bit, o.newNonfinite)
            out +=
                "  semantic deviation: max \(formatNumber(o.semantic.maxULPs)) ulps over \(o.semantic.samplesCompared) samples\n"
            if let w = o.worst {
                out +=
                    "  worst: sample \(w.sample), element \(w.element): original \(HexFloat.format(w.original)), "
                    + "rewritten \(HexFloat.format(w.rewritten)), truth \(HexFloat.format(w.truth)) (\(CFormat.string("%.2f", w.bitsLost)) bits lost)\n"
            }
        }
        if !r.findings.isEmpty {
            out += "\nfindings:\n"
            for f in r.findings {
                out +=
                    "  \(f.severity) \(f.rule)" + (f.output.map { " [\($0)]" } ?? "") + ": \(f.message)"
                    + (f.waiver.map { " (\($0))" } ?? "") + "\n"
            }
        }
        if !r.waivers.isEmpty {
            out += "\nwaivers applied:\n"
            for w in r.waivers { out += "  \(w.rule)" + (w.output.map { " [\($0)]" } ?? "") + ": \(w.waiver)\n" }
        }
        out += "\nverdict: \(r.verdict.rawValue.uppercased())\n"
        out += "chain: prev \(r.prevHash), hash \(e.hash)\n"
        if let signer = r.signer {
            out += "signed by \(signer)\n"
        }
        if let report = r.report { out += "report: blob \(report) (`fpaudit log show \(e.id.prefix(13)) --report`)\n" }
        return out
    }

    static func formatNumber(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : CFormat.string("%.4g", x)
    }

    static func shellQuoted(_ s: String) -> String {
        let safe = CharacterSet(
            charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+@%")
        if !s.isEmpty, s.unicodeScalars.allSatisfy(safe.contains) { return s }
        return "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
