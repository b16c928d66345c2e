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

/// The SARIF 2.1.0 and JUnit XML writers on real verification and trace results.
final class SARIFJUnitTests: XCTestCase {
    // MARK: - Helpers

    /// Verifies a fixture pair in-process with 32 samples and judges it with `policy`.
    func verify(_ name: String, policy: Policy = PolicyLoader.builtinDefault) async throws -> VerificationResult {
        let dir = repoPath("Fixtures/json/\(name)")
        func subject(_ file: String) throws -> VerificationSubject {
            let path = "\(dir)/\(file)"
            return try VerificationSubject.read(data: Data(contentsOf: URL(fileURLWithPath: path)), path: path)
        }
        var result = try await Verifier(
            original: subject("original.json"), rewritten: subject("rewritten.json"),
            config: VerificationConfig(samples: 32)
        ).run()
        PolicyEvaluator(policy: policy).judge(&result)
        return result
    }

    func trace() async throws -> TraceResult {
        let snapshots = try TraceManifest.read(path: repoPath("Fixtures/trace/affine/trace.json"))
        var result = await TraceRunner(config: VerificationConfig(samples: 32)).run(
            module: "affine", snapshots: snapshots)
        let evaluator = PolicyEvaluator(policy: PolicyLoader.builtinDefault)
        result.judge { r, pass in evaluator.judge(&r, pass: pass) }
        return result
    }

    /// A policy whose only rule fails on log1p-naive, waived for output `y`.
    func waivingPolicy() throws -> Policy {
        try PolicyLoader.load(
            yaml: """
                name: waive-test
                version: "1"
                rules:
                  - id: bits-lost
                    description: the rewrite loses more than 2 bits
                    severity: error
                    require: bits_lost.max <= 2
                waivers:
                  - rule: bits-lost
                    match: {output: "y"}
                    reason: known & accepted <for now>
                    approved_by: alice
                    expires: 2999-12-31
                """, path: "inline-waiver.yaml")
    }

    func json(_ data: Data) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    func results(_ log: [String: Any]) -> [[String: Any]] {
        let runs = log["runs"] as? [[String: Any]] ?? []
        return runs.first?["results"] as? [[String: Any]] ?? []
    }

    /// Validates a SARIF log against ../shared/schemas/sarif-schema-2.1.0.json with
    /// Python's jsonschema; skips when the schema, python3 or jsonschema is missing.
    func validateSARIF(_ data: Data, expectValid: Bool = true, file: StaticString = #filePath, line: UInt = #line)
        throws
    {
        let root = repositoryRoot().standardizedFileURL
        let schema = root.deletingLastPathComponent().appendingPathComponent("shared/schemas/sarif-schema-2.1.0.json")
        guard FileManager.default.fileExists(atPath: schema.path) else {
            throw XCTSkip("SARIF schema not found at \(schema.path)")
        }
        let probe = try python(["-c", "import jsonschema"])
        guard probe.code == 0 else { throw XCTSkip("python3 with jsonschema is not available: \(probe.err)") }
        let directory = try TemporaryDirectory(prefix: "fpaudit-sarif")
        defer { directory.remove() }
        let log = directory.file("log.sarif")
        try data.write(to: log)
        let script = """
            import json, jsonschema, sys
            schema = json.load(open(sys.argv[1]))
            log = json.load(open(sys.argv[2]))
            errors = list(jsonschema.Draft4Validator(schema).iter_errors(log))
            for e in errors: print(list(e.absolute_path), e.message)
            sys.exit(1 if errors else 0)
            """
        let run = try python(["-c", script, schema.path, log.path])
        if expectValid {
            XCTAssertEqual(run.code, 0, "SARIF does not validate:\n\(run.out)\(run.err)", file: file, line: line)
        } else {
            XCTAssertEqual(run.code, 1, "an invalid log passed validation: \(run.err)", file: file, line: line)
        }
    }

    func python(_ arguments: [String]) throws -> (code: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        do { try process.run() } catch { throw XCTSkip("python3 cannot be run: \(error)") }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        if process.terminationStatus == 127 { throw XCTSkip("python3 is not installed") }
        return (
            process.terminationStatus, String(decoding: outData, as: UTF8.self),
            String(decoding: errData, as: UTF8.self)
        )
    }

    /// Elements of a JUnit document, counted and collected with XMLParser.
    final class JUnitCollector: NSObject, XMLParserDelegate {
        var counts: [String: Int] = [:]
        var attributes: [String: [[String: String]]] = [:]
        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            counts[name, default: 0] += 1
            self.attributes[name, default: []].append(attributes)
        }
    }

    func parseJUnit(_ data: Data, file: StaticString = #filePath, line: UInt = #line) -> JUnitCollector {
        let collector = JUnitCollector()
        let parser = XMLParser(data: data)
        parser.delegate = collector
        XCTAssertTrue(
            parser.parse(), "JUnit XML does not parse: \(String(describing: parser.parserError))",
            file: file, line: line)
        return collector
    }

    /// The count attributes of every suite and of the root agree with the elements.
    func checkCounts(_ doc: JUnitCollector, file: StaticString = #filePath, line: UInt = #line) {
        let suites = doc.attributes["testsuite"] ?? []
        func sum(_ key: String) -> Int { suites.reduce(0) { $0 + (Int($1[key] ?? "") ?? -1_000_000) } }
        XCTAssertEqual(sum("tests"), doc.counts["testcase"] ?? 0, "tests", file: file, line: line)
        XCTAssertEqual(sum("failures"), doc.counts["failure"] ?? 0, "failures", file: file, line: line)
        XCTAssertEqual(sum("skipped"), doc.counts["skipped"] ?? 0, "skipped", file: file, line: line)
        XCTAssertEqual(sum("errors"), doc.counts["error"] ?? 0, "errors", file: file, line: line)
        let root = doc.attributes["testsuites"]?.first ?? [:]
        XCTAssertEqual(root["tests"], String(doc.counts["testcase"] ?? 0), file: file, line: line)
        XCTAssertEqual(root["failures"], String(doc.counts["failure"] ?? 0), file: file, line: line)
        XCTAssertEqual(root["skipped"], String(doc.counts["skipped"] ?? 0), file: file, line: line)
    }

    // MARK: - SARIF

    func testSARIFOfAFailingRewriteValidatesAndLocatesTheWorstNode() async throws {
        let r = try await verify("log1p-naive")
        XCTAssertEqual(r.verdict, .fail)
        let data = try SARIFReport.encode(r)
        let log = try json(data)
        XCTAssertEqual(log["version"] as? String, "2.1.0")
        XCTAssertEqual(log["$schema"] as? String, SARIFReport.schemaURI)
        let run = try XCTUnwrap((log["runs"] as? [[String: Any]])?.first)
        let driver = try XCTUnwrap((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        XCTAssertEqual(driver["name"] as? String, "fpaudit")
        let ruleIDs = (driver["rules"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        XCTAssertEqual(Set(ruleIDs), Set(r.checks.map(\.rule)))
        XCTAssertEqual(ruleIDs.count, Set(ruleIDs).count, "one rule per id")

        let all = results(log)
        XCTAssertEqual(all.count, r.findings.count)
        let bits = try XCTUnwrap(all.first { $0["ruleId"] as? String == "accuracy-regression" })
        XCTAssertEqual(bits["level"] as? String, "error")
        let ruleIndex = try XCTUnwrap(bits["ruleIndex"] as? Int)
        XCTAssertEqual(ruleIDs[ruleIndex], "accuracy-regression")
        let finding = try XCTUnwrap(r.findings.first { $0.rule == "accuracy-regression" })
        let text = try XCTUnwrap((bits["message"] as? [String: Any])?["text"] as? String)
        XCTAssertTrue(text.contains("measured"), text)
        let properties = try XCTUnwrap(bits["properties"] as? [String: Any])
        XCTAssertEqual(try XCTUnwrap(properties["value"] as? Double), try XCTUnwrap(finding.value), accuracy: 1e-9)
        XCTAssertEqual(
            try XCTUnwrap(properties["threshold"] as? Double), try XCTUnwrap(finding.threshold), accuracy: 1e-9)
        XCTAssertEqual(properties["output"] as? String, "y")
        XCTAssertEqual(properties["waived"] as? Bool, false)
        XCTAssertNil(bits["suppressions"])

        let physical = try XCTUnwrap(
            ((bits["locations"] as? [[String: Any]])?.first)?["physicalLocation"] as? [String: Any])
        XCTAssertEqual((physical["artifactLocation"] as? [String: Any])?["uri"] as? String, r.rewritten.path)
        let hotspot = try XCTUnwrap(r.hotspots?.rewritten.first?.location)
        let region = try XCTUnwrap(physical["region"] as? [String: Any])
        XCTAssertEqual(region["startLine"] as? Int, hotspot.line)
        XCTAssertEqual(region["startColumn"] as? Int, hotspot.column)

        try validateSARIF(data)
    }

    func testWithoutLocalisationAResultPointsAtTheOutputsRootNode() async throws {
        var result = try await verify("reciprocal-multiply")
        XCTAssertEqual(result.rewrittenRoots.map(\.node), ["z"])
        result.hotspots = nil
        let log = try json(try SARIFReport.encode(result))
        let located = try XCTUnwrap(results(log).first?["locations"] as? [[String: Any]]).first
        let region = try XCTUnwrap((located?["physicalLocation"] as? [String: Any])?["region"] as? [String: Any])
        // Fixtures/json/reciprocal-multiply/rewritten.json: node "z" is on line 11.
        XCTAssertEqual(region["startLine"] as? Int, 11)
        XCTAssertEqual((located?["logicalLocations"] as? [[String: Any]])?.first?["name"] as? String, "z")
        try validateSARIF(try SARIFReport.encode(result))
    }

    func testSARIFOfAWarningUsesLevelWarning() async throws {
        let r = try await verify("reciprocal-multiply")
        XCTAssertEqual(r.verdict, .warn)
        let data = try SARIFReport.encode(r)
        let all = results(try json(data))
        XCTAssertFalse(all.isEmpty)
        // The warning, and the pointwise loss as a note (info).
        XCTAssertEqual(all.compactMap { $0["level"] as? String }, ["warning", "note"])
        try validateSARIF(data)
    }

    func testWaivedFindingIsSuppressedExternally() async throws {
        let r = try await verify("log1p-naive", policy: waivingPolicy())
        XCTAssertEqual(r.verdict, .pass)
        let data = try SARIFReport.encode(r)
        let result = try XCTUnwrap(results(try json(data)).first { $0["ruleId"] as? String == "bits-lost" })
        let suppressions = try XCTUnwrap(result["suppressions"] as? [[String: Any]])
        XCTAssertEqual(suppressions.count, 1)
        XCTAssertEqual(suppressions[0]["kind"] as? String, "external")
        let justification = try XCTUnwrap(suppressions[0]["justification"] as? String)
        XCTAssertTrue(justification.contains("alice"), justification)
        XCTAssertEqual((result["properties"] as? [String: Any])?["waived"] as? Bool, true)
        try validateSARIF(data)
    }

    func testSARIFOfATraceHasResultsPerVerifiedStepAtTheirSnapshots() async throws {
        let t = try await trace()
        let data = try SARIFReport.encode(t)
        let all = results(try json(data))
        var expected: [(pass: String, path: String)] = []
        for s in t.steps + [t.endToEnd] {
            if case .verified(let r) = s.outcome { expected += r.findings.map { _ in (s.pass, s.to.path) } }
        }
        XCTAssertFalse(expected.isEmpty, "the affine trace has findings")
        XCTAssertEqual(all.count, expected.count)
        for (result, e) in zip(all, expected) {
            XCTAssertEqual((result["properties"] as? [String: Any])?["pass"] as? String, e.pass)
            let location = (result["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any]
            XCTAssertEqual((location?["artifactLocation"] as? [String: Any])?["uri"] as? String, e.path)
        }
        try validateSARIF(data)
    }

    func testValidationRejectsAnInvalidLog() throws {
        let bad = #"{"version": "2.1.0", "runs": [{"tool": {"driver": {}}, "results": [{"level": "fatal"}]}]}"#
        try validateSARIF(Data(bad.utf8), expectValid: false)
    }

    // MARK: - JUnit

    func testJUnitOfAFailingRewrite() async throws {
        let r = try await verify("log1p-naive")
        let doc = parseJUnit(JUnitReport.encode(r))
        XCTAssertEqual(doc.counts["testsuite"], 1)
        XCTAssertEqual(doc.counts["testcase"], r.checks.count)
        let failing = r.checks.filter { !$0.held && $0.waiver == nil && $0.severity == .error }
        XCTAssertGreaterThan(failing.count, 0)
        XCTAssertEqual(doc.counts["failure"] ?? 0, failing.count)
        XCTAssertNil(doc.counts["skipped"])
        let names = (doc.attributes["testcase"] ?? []).compactMap { $0["name"] }
        XCTAssertTrue(names.contains("accuracy-regression [y]"), "\(names)")
        XCTAssertTrue((doc.attributes["testcase"] ?? []).allSatisfy { $0["classname"] == r.rewritten.path })
        let failure = try XCTUnwrap(doc.attributes["failure"]?.first)
        XCTAssertEqual(failure["type"], "error")
        XCTAssertTrue(failure["message"]?.contains("measured") ?? false, "\(failure)")
        checkCounts(doc)
    }

    func testJUnitWarningsFailOnlyWithFailOnWarning() async throws {
        let r = try await verify("reciprocal-multiply")
        let warnings = r.checks.filter { !$0.held && $0.severity == .warning }.count
        XCTAssertGreaterThan(warnings, 0)
        let relaxed = parseJUnit(JUnitReport.encode(r))
        XCTAssertNil(relaxed.counts["failure"])
        // Every failed check that does not fail the run (the warning and the info) is reported as output.
        XCTAssertEqual(relaxed.counts["system-out"], r.checks.filter { !$0.held && $0.severity != .error }.count)
        checkCounts(relaxed)
        let strict = parseJUnit(JUnitReport.encode(r, failOn: .warning))
        XCTAssertEqual(strict.counts["failure"], warnings)
        XCTAssertTrue((strict.attributes["failure"] ?? []).allSatisfy { $0["type"] == "warning" })
        checkCounts(strict)
    }

    func testJUnitWaivedCheckIsSkipped() async throws {
        let r = try await verify("log1p-naive", policy: waivingPolicy())
        let doc = parseJUnit(JUnitReport.encode(r))
        XCTAssertEqual(doc.counts["skipped"], 1)
        XCTAssertNil(doc.counts["failure"])
        let message = try XCTUnwrap(doc.attributes["skipped"]?.first?["message"])
        XCTAssertTrue(message.hasPrefix("waived: "), message)
        XCTAssertTrue(message.contains("known & accepted <for now>"), message)
        checkCounts(doc)
    }

    func testJUnitOfATraceHasASuitePerStep() async throws {
        let t = try await trace()
        let doc = parseJUnit(JUnitReport.encode(t))
        let suites = doc.attributes["testsuite"] ?? []
        XCTAssertEqual(suites.map { $0["name"] ?? "" }, t.steps.map(\.pass) + ["end-to-end"])
        var checks = 0
        for s in t.steps + [t.endToEnd] { if case .verified(let r) = s.outcome { checks += r.checks.count } }
        XCTAssertEqual(doc.counts["testcase"] ?? 0, checks)
        let classnames = Set((doc.attributes["testcase"] ?? []).compactMap { $0["classname"] })
        XCTAssertTrue(classnames.isSubset(of: Set(t.steps.map(\.pass) + ["end-to-end"])))
        checkCounts(doc)
    }

    func testXMLEscaping() {
        XCTAssertEqual(JUnitReport.escape(#"a&b<c>d"e'f"#), "a&amp;b&lt;c&gt;d&quot;e&apos;f")
        XCTAssertEqual(JUnitReport.escape("x\ny\u{1}"), "x&#10;y\u{FFFD}")
    }
}
