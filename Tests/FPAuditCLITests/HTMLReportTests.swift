import FPNumerics
import FPPolicy
import FPReport
import FPTrace
import FPVerify
import Foundation
import XCTest
import _TestSupport

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
}
