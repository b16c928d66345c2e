import FPNumerics
import FPPolicy
import FPVerify
import Foundation
import XCTest
import _TestSupport

@testable import FPReport
@testable import FPTrace

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The self-contained HTML report, parsed back as XML.
final class HTMLReportTests: XCTestCase {
    // MARK: - Helpers

    func verify(original: String? = nil, name: String = "log1p-naive", samples: Int = 32) async throws
        -> VerificationResult
    {
        let dir = repoPath("Fixtures/json/\(name)")
        func subject(_ path: String) throws -> VerificationSubject {
            try VerificationSubject.read(data: Data(contentsOf: URL(fileURLWithPath: path)), path: path)
        }
        var result = try await Verifier(
            original: subject(original ?? "\(dir)/original.json"),
            rewritten: subject("\(dir)/rewritten.json"),
            config: VerificationConfig(samples: samples)
        ).run()
        PolicyEvaluator(policy: PolicyLoader.builtinDefault).judge(&result)
        return result
    }

    func trace() async throws -> TraceResult {
        let snapshots = try TraceManifest.read(path: repoPath("Fixtures/trace/affine/trace.json"))
        var result = await TraceRunner(config: VerificationConfig(samples: 16)).run(
            module: "affine", snapshots: snapshots)
        let evaluator = PolicyEvaluator(policy: PolicyLoader.builtinDefault)
        result.judge { r, pass in evaluator.judge(&r, pass: pass) }
        return result
    }

    /// A trace built from `pattern`, one step per letter: `u` unchanged, `p` verified and
    /// passing, `f` verified and failing, `e` could not be verified. Step k's pass is
    /// `pass-k` and its snapshot a long XLA-dump-like path (`names` replaces pass names).
    func syntheticTrace(_ pattern: String, names: [String]? = nil) async throws -> TraceResult {
        var passing = try await verify(samples: 8)
        passing.verdict = .pass
        var failing = passing
        failing.verdict = .fail
        let snapshots = (0...pattern.count).map { k in
            TraceSnapshot(
                pass: k == 0 ? "input" : names?[k - 1] ?? "pass-\(k)",
                path: "/very/long/dump/directory/module_0000.jit_f.\(String(format: "%04d", k)).pipe.after_p\(k).txt")
        }
        let steps = pattern.enumerated().map { k, kind -> TraceStepResult in
            let outcome: TraceStepResult.Outcome
            switch kind {
            case "u": outcome = .unchanged
            case "p": outcome = .verified(passing)
            case "f": outcome = .verified(failing)
            default: outcome = .error("cannot read <snapshot> & more")
            }
            return TraceStepResult(
                pass: snapshots[k + 1].pass, from: snapshots[k], to: snapshots[k + 1], diff: nil, outcome: outcome)
        }
        let endToEnd = TraceStepResult(
            pass: "end-to-end", from: snapshots[0], to: snapshots[pattern.count], diff: nil,
            outcome: pattern.allSatisfy { $0 == "u" } ? .unchanged : .verified(failing))
        return TraceResult(module: "synthetic", steps: steps, endToEnd: endToEnd)
    }

    /// The step table (`table.trace-steps`) alone, parsed.
    func stepTable(_ html: String, file: StaticString = #filePath, line: UInt = #line) throws -> Collector {
        try fragment(html, from: "<table class=\"trace-steps\">", to: "</table>", file: file, line: line)
    }

    /// The part of `html` from the first `start` to the first `end` after it, parsed.
    func fragment(
        _ html: String, from start: String, to end: String, file: StaticString = #filePath, line: UInt = #line
    ) throws -> Collector {
        let lower = try XCTUnwrap(html.range(of: start), start, file: file, line: line)
        let upper = try XCTUnwrap(html[lower.upperBound...].range(of: end), end, file: file, line: line)
        return try parse(String(html[lower.lowerBound..<upper.upperBound]), file: file, line: line)
    }

    /// The class of each row of a parsed step table (`-` for none), in order.
    func rowClasses(_ table: Collector) -> [String] {
        table.elements.filter { $0.name == "tr" && $0.ancestors.contains("tbody") }.map {
            $0.attributes["class"] ?? "-"
        }
    }

    /// The text of every `summary` element, in document order.
    func summaries(_ html: String) throws -> [String] {
        let parts = html.components(separatedBy: "<summary>").dropFirst()
        return try parts.map { part in
            let raw = try XCTUnwrap(part.components(separatedBy: "</summary>").first)
            return try parse("<summary>\(raw)</summary>").text
        }
    }

    /// What the parser saw: every element with its attributes, and all text.
    final class Collector: NSObject, XMLParserDelegate {
        struct Element {
            var name: String
            var attributes: [String: String]
            var ancestors: [String]
        }
        var elements: [Element] = []
        var stack: [String] = []
        var svgClasses: [String] = []
        var text = ""
        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            if name == "svg" { svgClasses.append(attributes["class"] ?? "") }
            elements.append(Element(name: name, attributes: attributes, ancestors: stack))
            stack.append(name == "svg" ? "svg:" + (attributes["class"] ?? "") : name)
        }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            stack.removeLast()
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

        /// `rect`s with class `bar ...` inside an svg whose class contains `svgClass`.
        func bars(in svgClass: String) -> [Element] {
            elements.filter { e in
                e.name == "rect" && (e.attributes["class"] ?? "").hasPrefix("bar ")
                    && e.ancestors.contains { $0.hasPrefix("svg:") && $0.contains(svgClass) }
            }
        }
    }

    func parse(_ html: String, file: StaticString = #filePath, line: UInt = #line) throws -> Collector {
        let parser = XMLParser(data: Data(html.utf8))
        let collector = Collector()
        parser.delegate = collector
        let ok = parser.parse()
        XCTAssertTrue(
            ok, "not well-formed: \(parser.parserError.map { "\($0)" } ?? "?") at line \(parser.lineNumber)",
            file: file, line: line)
        return collector
    }

    /// Every `http` occurrence is the SVG namespace.
    func assertNoNetwork(_ html: String, file: StaticString = #filePath, line: UInt = #line) {
        let allowed = "http://www.w3.org/2000/svg"
        var rest = Substring(html)
        while let r = rest.range(of: "http") {
            XCTAssertTrue(
                rest[r.lowerBound...].hasPrefix(allowed), "unexpected URL near \(rest[r.lowerBound...].prefix(60))",
                file: file, line: line)
            rest = rest[r.upperBound...]
        }
        XCTAssertFalse(html.contains("<script"), file: file, line: line)
        XCTAssertFalse(html.contains("<link"), file: file, line: line)
    }

    /// With `FPAUDIT_HTML_OUT=DIR` in the environment, keeps the rendered document (scripts/render-html.sh uses it).
    func keep(_ html: String, as name: String) throws {
        guard let dir = ProcessInfo.processInfo.environment["FPAUDIT_HTML_OUT"], !dir.isEmpty else { return }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try html.write(toFile: "\(dir)/\(name)", atomically: true, encoding: .utf8)
    }

    // MARK: - Tests

    func testSingleResultIsWellFormedAndComplete() async throws {
        let r = try await verify()
        let html = HTMLReport.render(r)
        try keep(html, as: "verify-log1p-naive.html")
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
        let doc = try parse(html)
        XCTAssertTrue(doc.text.contains("verdict: \(r.verdict.rawValue.uppercased())"))
        XCTAssertTrue(html.contains("verdict-\(r.verdict.rawValue)"))
        XCTAssertFalse(r.outputs.isEmpty)
        for o in r.outputs { XCTAssertTrue(doc.text.contains("Output \(o.name)"), o.name) }
        // One percentile profile per output, 4 percentiles x 2 graphs.
        XCTAssertEqual(doc.svgClasses.filter { $0.contains("percentile-profile") }.count, r.outputs.count)
        XCTAssertEqual(doc.bars(in: "percentile-profile").count, 8 * r.outputs.count)
        XCTAssertEqual(
            doc.bars(in: "percentile-profile").filter { $0.attributes["class"] == "bar bar-rewritten" }.count,
            4 * r.outputs.count)
        XCTAssertTrue(doc.text.contains("Built from the summary percentiles"))
        XCTAssertTrue(doc.text.contains("bits of error"))
        // Worst input (hex), hotspots, findings, checks, policy, hashes.
        let w = try XCTUnwrap(r.outputs.first?.worst)
        XCTAssertTrue(doc.text.contains(HexFloat.format(w.rewritten)))
        XCTAssertTrue(doc.text.contains(HexFloat.format(w.truth)))
        XCTAssertTrue(doc.text.contains("Where the accuracy goes"))
        XCTAssertTrue(doc.text.contains(r.original.canonicalHash))
        XCTAssertTrue(doc.text.contains(r.rewritten.fileSHA256))
        if let p = r.policy { XCTAssertTrue(doc.text.contains(p.name)) }
        for f in r.findings { XCTAssertTrue(doc.text.contains(f.message), f.message) }
        if !r.checks.isEmpty { XCTAssertTrue(doc.text.contains("Rule checks")) }
        assertNoNetwork(html)
    }

    func testGraphPathIsEscaped() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("html-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("a<b&c.json").path
        try FileManager.default.copyItem(atPath: repoPath("Fixtures/json/log1p-naive/original.json"), toPath: path)
        let r = try await verify(original: path, samples: 8)
        XCTAssertEqual(r.original.path, path)
        let html = HTMLReport.render(r)
        XCTAssertFalse(html.contains("a<b&c.json"))
        XCTAssertTrue(html.contains("a&lt;b&amp;c.json"))
        let doc = try parse(html)
        XCTAssertTrue(doc.text.contains(path))
        XCTAssertEqual(
            HTMLReport.escape("<a href=\"x\">'&'</a>"), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
    }

    func testTraceReport() async throws {
        let t = try await trace()
        let html = HTMLReport.render(t)
        try keep(html, as: "trace-affine.html")
        let doc = try parse(html)
        assertNoNetwork(html)
        XCTAssertTrue(doc.text.contains("Trace affine"))
        for s in t.steps { XCTAssertTrue(doc.text.contains(s.pass), s.pass) }
        let verified = t.steps.filter { $0.verdict != nil }
        XCTAssertFalse(verified.isEmpty)
        // One bar per verified step along the pipeline.
        let bars = doc.bars(in: "trace-bits-lost")
        XCTAssertEqual(bars.count, verified.count)
        for s in t.steps { if let d = s.diff { XCTAssertTrue(doc.text.contains(d.summary), d.summary) } }
        // The step table: a row per changed step, one per run of unchanged steps, and the end-to-end row.
        XCTAssertEqual(rowClasses(try stepTable(html)).count, HTMLReport.traceRows(t.steps).count + 1)
        // Every verified step (and end-to-end) gets its own section with its percentile charts.
        let outputs = verified.map { step -> Int in
            if case .verified(let r) = step.outcome { return r.outputs.count }
            return 0
        }.reduce(0, +)
        let endToEnd: Int
        if case .verified(let r) = t.endToEnd.outcome { endToEnd = r.outputs.count } else { endToEnd = 0 }
        XCTAssertEqual(doc.svgClasses.filter { $0.contains("percentile-profile") }.count, outputs + endToEnd)
        let firstFailRows = doc.elements.filter { $0.name == "tr" && $0.attributes["class"] == "first-fail" }
        if let f = t.firstFailure {
            XCTAssertEqual(firstFailRows.count, 1)
            XCTAssertEqual(bars.filter { $0.attributes["class"] == "bar bar-fail" }.count, 1)
            XCTAssertTrue(doc.text.contains("first failure"))
            XCTAssertTrue(doc.text.contains("First failing step: \(f + 1)"))
            XCTAssertTrue(html.contains("verdict verdict-fail"))
        } else {
            XCTAssertTrue(firstFailRows.isEmpty)
            XCTAssertTrue(doc.text.contains("No step fails."))
        }
    }

    func testTraceRowsFoldEachRunOfUnchangedSteps() async throws {
        let cases: [(pattern: String, rows: [HTMLReport.TraceRow])] = [
            ("", []),
            ("pfe", [.step(0), .step(1), .step(2)]),
            ("uuuu", [.unchanged(0...3)]),
            ("puuup", [.step(0), .unchanged(1...3), .step(4)]),
            ("uupuuuefu", [.unchanged(0...1), .step(2), .unchanged(3...5), .step(6), .step(7), .unchanged(8...8)]),
        ]
        for c in cases {
            let t = try await syntheticTrace(c.pattern)
            XCTAssertEqual(HTMLReport.traceRows(t.steps), c.rows, c.pattern)
        }
    }

    func testTracePageLeadsWithTheChartAndFoldsUnchangedRuns() async throws {
        let t = try await syntheticTrace("uupuuuuefu")
        let html = HTMLReport.render(t)
        try keep(html, as: "trace-synthetic.html")
        let doc = try parse(html)
        assertNoNetwork(html)
        // Summary, first failure and chart come before the step table, the table before the step sections.
        let order = try [
            "10 steps: 2 changed the graph (1 fail, 1 pass), 1 could not be verified, 7 left it unchanged.",
            "First failing step: ", "class=\"chart trace-bits-lost\"", "<table class=\"trace-steps\">",
            "id=\"step3\"", "id=\"step8\"", "id=\"step9\"", "id=\"end-to-end\"",
        ].map { try XCTUnwrap(html.range(of: $0)?.lowerBound, $0) }
        XCTAssertEqual(order, order.sorted())
        XCTAssertTrue(doc.text.contains("First failing step: 9, pass pass-9."))
        // One row per changed step, one per run of unchanged steps, in pipeline order, failing rows marked.
        let table = try stepTable(html)
        XCTAssertEqual(
            rowClasses(table), ["unchanged-run", "-", "unchanged-run", "error", "first-fail", "unchanged-run", "fail"])
        XCTAssertEqual(
            try summaries(html),
            [
                "steps 1–2: 2 passes left the graph unchanged: pass-1, pass-2",
                "steps 4–7: 4 passes left the graph unchanged: pass-4, pass-5, pass-6, …",
                "step 10: 1 pass left the graph unchanged: pass-10",
            ])
        XCTAssertEqual(table.elements.filter { $0.name == "details" }.count, 3)
        XCTAssertEqual(table.elements.filter { $0.name == "ol" }.map { $0.attributes["start"] }, ["1", "4", "10"])
        XCTAssertEqual(table.elements.filter { $0.name == "li" }.count, 7)
        XCTAssertTrue(table.text.contains("pass-7 — 0007.pipe.after_p7"), table.text)
        // Short names in the rows, the full path only in their title attribute.
        let hidden = t.steps[4].to.path
        XCTAssertFalse(doc.text.contains(hidden))
        XCTAssertTrue(table.elements.contains { $0.attributes["title"] == hidden })
        // Each changed step's number links to its section.
        let targets = Set(doc.elements.compactMap { $0.attributes["id"] })
        let links = table.elements.compactMap { $0.name == "a" ? $0.attributes["href"] : nil }
        XCTAssertEqual(links, ["#step3", "#step8", "#step9", "#end-to-end"])
        for link in links { XCTAssertTrue(targets.contains(String(link.dropFirst())), link) }
        XCTAssertTrue(doc.text.contains("Could not verify: cannot read <snapshot> & more"))
        // The chart draws the changed steps only: a bar per verified one (the failing one red), the error named.
        let chart = try fragment(
            html, from: "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart trace-bits-lost\"", to: "</svg>")
        XCTAssertEqual(
            chart.bars(in: "trace-bits-lost").map { $0.attributes["class"] }, ["bar bar-step", "bar bar-fail"])
        XCTAssertTrue(chart.text.contains("3. pass-3"))
        XCTAssertTrue(chart.text.contains("8. pass-8\ncould not be verified"), chart.text)
        XCTAssertTrue(chart.text.contains("9. pass-9"))
        XCTAssertTrue(chart.text.contains("first failure"))
        XCTAssertFalse(chart.text.contains("pass-4"))
        XCTAssertTrue(doc.text.contains("the 7 steps that left the graph unchanged are not drawn"))
    }

    func testTraceChartTicksAreRoundNumbers() {
        let tops: [Double] = [1, 2, 6, 10, 15, 20, 40, 70]
        XCTAssertEqual(tops.map(HTMLReport.tickCount), [4, 4, 3, 5, 5, 4, 4, 5])
    }

    func testTracePageWithoutUnchangedStepsOrWithOnlyUnchangedSteps() async throws {
        let changed = try stepTable(HTMLReport.render(try await syntheticTrace("pfp")))
        XCTAssertEqual(rowClasses(changed), ["-", "first-fail", "-", "fail"])
        XCTAssertFalse(changed.elements.contains { $0.name == "details" })

        let html = HTMLReport.render(try await syntheticTrace("uuuuu"))
        let unchanged = try stepTable(html)
        XCTAssertEqual(rowClasses(unchanged), ["unchanged-run", "-"])
        XCTAssertEqual(
            try summaries(html), ["steps 1–5: 5 passes left the graph unchanged: pass-1, pass-2, pass-3, …"])
        XCTAssertTrue(try parse(html).text.contains("5 steps: 0 changed the graph, 5 left it unchanged."))
        XCTAssertTrue(html.contains("No step fails."))
        XCTAssertFalse(html.contains("<section"))
    }

    func testFoldedRowsEscapePassNamesAndPaths() async throws {
        let names = ["<script>x</script>", "a&b", "q\"uote's", "ok"]
        var t = try await syntheticTrace("uuup", names: names)
        let path = "/tmp/d&r/a<b>&c\".txt"
        t.steps[1].to.path = path
        t.steps[2].from.path = path
        let html = HTMLReport.render(t)
        let doc = try parse(html)
        XCTAssertFalse(html.contains("<script>"))
        XCTAssertFalse(html.contains("a&b,"))
        XCTAssertFalse(html.contains("a<b>"))
        XCTAssertTrue(html.contains("&lt;script&gt;x&lt;/script&gt;, a&amp;b, q&quot;uote&#39;s"))
        XCTAssertEqual(
            try summaries(html),
            ["steps 1–3: 3 passes left the graph unchanged: \(names[0...2].joined(separator: ", "))"])
        let table = try stepTable(html)
        XCTAssertTrue(table.elements.contains { $0.attributes["title"] == path })
        XCTAssertTrue(table.text.contains("a<b>&c\""))
        XCTAssertFalse(doc.text.contains(path))
        assertNoNetwork(html)
    }

    func testShortNamesDropTheSharedStartAndEnd() {
        let xla = [
            "/d/module_0000.jit_f.before_optimizations.txt",
            "/d/module_0000.jit_f.0003.simplification.after_algsimp.before_dce.txt",
            "/d/module_0000.jit_f.cpu_after_optimizations.txt",
        ]
        XCTAssertEqual(
            HTMLReport.shortNames(xla),
            [
                xla[0]: "before_optimizations", xla[1]: "0003.simplification.after_algsimp.before_dce",
                xla[2]: "cpu_after_optimizations",
            ])
        let manifest = ["/m/step0-input.json", "/m/step1-rename.json", "/m/x.step1-rename.json"]
        XCTAssertEqual(
            HTMLReport.shortNames(manifest),
            [manifest[0]: "step0-input", manifest[1]: "step1-rename", manifest[2]: "x.step1-rename"])
        XCTAssertEqual(
            HTMLReport.shortNames(["/a/g.json", "/b/g.json"]), ["/a/g.json": "g.json", "/b/g.json": "g.json"])
        XCTAssertEqual(HTMLReport.shortNames(["/a/one", "/a/two.json"]), ["/a/one": "one", "/a/two.json": "two.json"])
    }
}
