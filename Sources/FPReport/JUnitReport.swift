import FPTrace
import FPVerify
import Foundation

/// JUnit XML reports of verification and trace results, for CI test views
/// (see docs/ci-formats.md).
///
/// One `<testsuite>` per verification (per step for a trace, plus one named
/// `end-to-end`), one `<testcase>` per evaluated rule check, named
/// `RULE [OUTPUT]`. A check that failed, is not waived, and whose severity is
/// at least `failOn` (never `info`) is a `<failure>` carrying the finding's
/// message; a waived failed check is `<skipped message="waived: ...">`; a
/// failed check below `failOn` passes and notes the finding in `<system-out>`.
/// This mirrors the verdict: a report has failures exactly when it fails.
public enum JUnitReport {
    /// Encodes one verification as a JUnit XML document with one test suite,
    /// named after the rewritten graph's path (also each case's `classname`).
    /// - Parameter failOn: the lowest severity that fails a test case (`.warning` for `--fail-on warning`).
    public static func encode(_ result: VerificationResult, failOn: Severity = .error) -> Data {
        let suite = Suite(name: result.rewritten.path, classname: result.rewritten.path, result: result, failOn: failOn)
        return document(name: "fpaudit verify", suites: [suite])
    }

    /// Encodes a trace as a JUnit XML document: one test suite per step, named
    /// by its pass (also each case's `classname`), then the `end-to-end` suite.
    /// Unchanged steps are empty suites; a step that could not be verified has
    /// one test case `verification` with an `<error>`.
    /// - Parameter failOn: the lowest severity that fails a test case (`.warning` for `--fail-on warning`).
    public static func encode(_ trace: TraceResult, failOn: Severity = .error) -> Data {
        let steps = trace.steps + [trace.endToEnd]
        let suites = steps.map { step -> Suite in
            switch step.outcome {
            case .verified(let r):
                return Suite(name: step.pass, classname: step.pass, result: r, failOn: failOn, file: step.to.path)
            case .unchanged:
                return Suite(name: step.pass, file: step.to.path, cases: [])
            case .error(let message):
                return Suite(
                    name: step.pass, file: step.to.path,
                    cases: [Case(name: "verification", classname: step.pass, outcome: .error(message))])
            }
        }
        return document(name: "fpaudit trace \(trace.module)", suites: suites)
    }

    /// Escapes text for an XML attribute value or element content: `& < > " '`,
    /// line breaks and tabs as character references (kept in attributes), and
    /// characters XML 1.0 forbids replaced with U+FFFD.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for s in text.unicodeScalars {
            switch s {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n": out += "&#10;"
            case "\r": out += "&#13;"
            case "\t": out += "&#9;"
            default:
                let v = s.value
                let allowed = (v >= 0x20 && v <= 0xD7FF) || (v >= 0xE000 && v <= 0xFFFD) || v >= 0x10000
                out.unicodeScalars.append(allowed ? s : "\u{FFFD}")
            }
        }
        return out
    }

    // MARK: - Model

    enum Outcome {
        case passed(note: String?)
        case failure(message: String, type: String, detail: String)
        case skipped(message: String)
        case error(String)
    }

    struct Case {
        let name: String
        let classname: String
        let outcome: Outcome
    }

    struct Suite {
        let name: String
        let file: String
        let cases: [Case]

        init(name: String, file: String, cases: [Case]) {
            self.name = name
            self.file = file
            self.cases = cases
        }

        init(name: String, classname: String, result r: VerificationResult, failOn: Severity, file: String? = nil) {
            self.name = name
            self.file = file ?? r.rewritten.path
            cases = r.checks.map { c in
                let name = c.output.map { "\(c.rule) [\($0)]" } ?? c.rule
                if c.held { return Case(name: name, classname: classname, outcome: .passed(note: nil)) }
                let finding = r.findings.first { $0.rule == c.rule && $0.output == c.output }
                let message = finding?.message ?? JUnitReport.describe(c)
                if let waiver = c.waiver ?? finding?.waiver {
                    return Case(name: name, classname: classname, outcome: .skipped(message: "waived: \(waiver)"))
                }
                if c.severity != .info && c.severity >= failOn {
                    return Case(
                        name: name, classname: classname,
                        outcome: .failure(
                            message: message, type: c.severity.rawValue,
                            detail: JUnitReport.detail(c, message: message)))
                }
                return Case(
                    name: name, classname: classname, outcome: .passed(note: "\(c.severity.rawValue): \(message)"))
            }
        }

        var failures: Int { cases.filter { if case .failure = $0.outcome { return true } else { return false } }.count }
        var skipped: Int { cases.filter { if case .skipped = $0.outcome { return true } else { return false } }.count }
        var errors: Int { cases.filter { if case .error = $0.outcome { return true } else { return false } }.count }
    }

    static func describe(_ c: RuleCheck) -> String {
        var text = "requires \(c.expression)"
        if let v = c.value {
            text += " (measured \(SARIFReport.number(v))"
            if let t = c.threshold { text += ", needs \(c.comparison ?? "vs") \(SARIFReport.number(t))" }
            text += ")"
        }
        return text
    }

    static func detail(_ c: RuleCheck, message: String) -> String {
        var lines = [message, "rule: \(c.rule)", "severity: \(c.severity.rawValue)", "require: \(c.expression)"]
        if let o = c.output { lines.append("output: \(o)") }
        if let v = c.value { lines.append("value: \(SARIFReport.number(v))") }
        if let t = c.threshold {
            lines.append("threshold: \(c.comparison.map { "\($0) " } ?? "")\(SARIFReport.number(t))")
        }
        return lines.joined(separator: "\n")
    }

    // MARK: - Writing

    static func document(name: String, suites: [Suite]) -> Data {
        let e = escape
        let tests = suites.reduce(0) { $0 + $1.cases.count }
        let failures = suites.reduce(0) { $0 + $1.failures }
        let errors = suites.reduce(0) { $0 + $1.errors }
        let skipped = suites.reduce(0) { $0 + $1.skipped }
        var x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        x +=
            "<testsuites name=\"\(e(name))\" tests=\"\(tests)\" failures=\"\(failures)\" errors=\"\(errors)\" skipped=\"\(skipped)\">\n"
        for (k, s) in suites.enumerated() {
            x += "  <testsuite name=\"\(e(s.name))\" id=\"\(k)\" tests=\"\(s.cases.count)\" failures=\"\(s.failures)\""
            x += " errors=\"\(s.errors)\" skipped=\"\(s.skipped)\" file=\"\(e(s.file))\">\n"
            for c in s.cases {
                let open = "    <testcase name=\"\(e(c.name))\" classname=\"\(e(c.classname))\""
                switch c.outcome {
                case .passed(nil):
                    x += open + "/>\n"
                case .passed(let note?):
                    x += open + ">\n      <system-out>\(e(note))</system-out>\n    </testcase>\n"
                case .failure(let message, let type, let detail):
                    x +=
                        open
                        + ">\n      <failure message=\"\(e(message))\" type=\"\(e(type))\">\(e(detail))</failure>\n    </testcase>\n"
                case .skipped(let message):
                    x += open + ">\n      <skipped message=\"\(e(message))\"/>\n    </testcase>\n"
                case .error(let message):
                    x +=
                        open
                        + ">\n      <error message=\"\(e(message))\" type=\"error\">\(e(message))</error>\n    </testcase>\n"
                }
            }
            x += "  </testsuite>\n"
        }
        x += "</testsuites>\n"
        return Data(x.utf8)
    }
}
