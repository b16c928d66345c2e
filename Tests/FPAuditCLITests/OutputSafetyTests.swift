import Foundation
import XCTest
import _TestSupport

/// No output option ever replaces a file the command reads, or another output:
/// such a run is refused with exit 2 before any work, and every file is left as it was.
final class OutputSafetyTests: XCTestCase {
    /// Copies the div-by-four pair into `dir` as a.json and b.json.
    func pair(in dir: TemporaryDirectory) throws -> (a: URL, b: URL) {
        let a = dir.file("a.json")
        let b = dir.file("b.json")
        try FileManager.default.copyItem(at: fixtureURL("Fixtures/json/div-by-four/original.json"), to: a)
        try FileManager.default.copyItem(at: fixtureURL("Fixtures/json/div-by-four/rewritten.json"), to: b)
        return (a, b)
    }

    func assertRefused(
        _ run: CLIResult, _ fragment: String, keeping files: [URL: Data], file: StaticString = #filePath,
        line: UInt = #line
    ) {
        XCTAssertEqual(run.code, 2, run.err, file: file, line: line)
        XCTAssert(run.err.contains(fragment), run.err, file: file, line: line)
        XCTAssertEqual(run.out, "", file: file, line: line)
        for (url, bytes) in files {
            XCTAssertEqual(try? Data(contentsOf: url), bytes, url.lastPathComponent, file: file, line: line)
        }
    }

    func testEveryReportOptionPointedAtAGraphIsRefused() async throws {
        try await withTemporaryDirectory { dir in
            let (a, b) = try pair(in: dir)
            let before = [a: try Data(contentsOf: a), b: try Data(contentsOf: b)]
            for option in ["--output", "--sarif", "--html", "--junit", "--save-worst"] {
                for (target, role) in [(a, "the ORIGINAL graph"), (b, "the REWRITTEN graph")] {
                    let run = await fpaudit(
                        ["verify", a.path, b.path, "--samples", "4", "--no-log", option, target.path])
                    assertRefused(run, "\(option) would overwrite \(role)", keeping: before)
                }
            }
        }
    }

    func testLinksToAnInputAreTheInput() async throws {
        try await withTemporaryDirectory { dir in
            let (a, b) = try pair(in: dir)
            let before = [a: try Data(contentsOf: a)]
            try FileManager.default.createSymbolicLink(at: dir.file("soft.json"), withDestinationURL: a)
            try FileManager.default.linkItem(at: a, to: dir.file("hard.json"))
            for link in ["soft.json", "hard.json"] {
                let run = await fpaudit(
                    ["verify", a.path, b.path, "--samples", "4", "--no-log", "--output", dir.file(link).path])
                assertRefused(run, "--output would overwrite the ORIGINAL graph", keeping: before)
            }
            // the same file through a path with `..` in it
            let roundabout = dir.url.appendingPathComponent("x/../a.json").path
            try FileManager.default.createDirectory(at: dir.file("x"), withIntermediateDirectories: false)
            let run = await fpaudit(["verify", a.path, b.path, "--no-log", "--html", roundabout])
            assertRefused(run, "--html would overwrite the ORIGINAL graph", keeping: before)
        }
    }

    func testTheLogThePolicyAndTheReplayFileAreProtected() async throws {
        try await withTemporaryDirectory { dir in
            let (a, b) = try pair(in: dir)
            let log = dir.file("audit.db").path
            let first = await fpaudit(["verify", a.path, b.path, "--samples", "4", "--log", log])
            XCTAssertEqual(first.code, 0, first.err)
            let logBytes = try Data(contentsOf: URL(fileURLWithPath: log))
            let run = await fpaudit(["verify", a.path, b.path, "--samples", "4", "--log", log, "--sarif", log])
            assertRefused(run, "--sarif would overwrite the audit log", keeping: [URL(fileURLWithPath: log): logBytes])

            let policy = try dir.write("name: p\nversion: '1'\nsettings: {samples: 4}\n", to: "p.yaml")
            let policyBytes = try Data(contentsOf: policy)
            let run2 = await fpaudit(
                ["verify", a.path, b.path, "--no-log", "--policy", policy.path, "--junit", policy.path])
            assertRefused(run2, "--junit would overwrite the policy", keeping: [policy: policyBytes])

            let values = try dir.write(#"{"x": {"dtype": "f32", "shape": [4], "data": [1, 2, 3, 4]}}"#, to: "v.json")
            let valuesBytes = try Data(contentsOf: values)
            let run3 = await fpaudit(
                ["verify", a.path, b.path, "--no-log", "--replay", values.path, "--save-worst", values.path])
            assertRefused(run3, "--save-worst would overwrite the --replay file", keeping: [values: valuesBytes])

            // opening the log may checkpoint SQLite's write-ahead log into it, so check its chain, not its bytes
            let export = await fpaudit(["log", "export", "--log", log, "-o", log])
            assertRefused(export, "--output would overwrite the audit log", keeping: [:])
            let verified = await fpaudit(["log", "verify", "--log", log])
            XCTAssertEqual(verified.code, 0, verified.out + verified.err)
        }
    }

    func testTwoOutputsNamingOneFileAreRefused() async throws {
        try await withTemporaryDirectory { dir in
            let (a, b) = try pair(in: dir)
            let out = dir.file("report").path
            let run = await fpaudit(
                ["verify", a.path, b.path, "--no-log", "--samples", "4", "--sarif", out, "--html", out])
            XCTAssertEqual(run.code, 2)
            XCTAssert(run.err.contains("--sarif and --html name the same file"), run.err)
            XCTAssertFalse(FileManager.default.fileExists(atPath: out))
        }
    }

    func testAMissingOutputDirectoryIsRefusedBeforeTheRun() async throws {
        try await withTemporaryDirectory { dir in
            let (a, b) = try pair(in: dir)
            let run = await fpaudit(
                ["verify", a.path, b.path, "--no-log", "--output", dir.file("missing/report.txt").path])
            XCTAssertEqual(run.code, 2)
            XCTAssert(run.err.contains("does not exist; nothing was run or written"), run.err)
        }
    }

    func testATraceSnapshotIsProtected() async throws {
        try await withTemporaryDirectory { dir in
            let dump = dir.file("dump")
            try FileManager.default.copyItem(at: fixtureURL("Fixtures/xla/divide_by_16/dump"), to: dump)
            let snapshot = try FileManager.default.contentsOfDirectory(atPath: dump.path).sorted()[3]
            let target = dump.appendingPathComponent(snapshot)
            let bytes = try Data(contentsOf: target)
            let run = await fpaudit(["trace", dump.path, "--no-log", "--samples", "2", "--output", target.path])
            assertRefused(run, "--output would overwrite a snapshot of the trace", keeping: [target: bytes])
        }
    }

    func testReportsAreWrittenWhole() async throws {
        try await withTemporaryDirectory { dir in
            let (a, b) = try pair(in: dir)
            let out = dir.file("r.json")
            try Data("old".utf8).write(to: out)
            let run = await fpaudit(
                ["verify", a.path, b.path, "--no-log", "--samples", "4", "--format", "json", "--output", out.path])
            XCTAssertEqual(run.code, 0, run.err)
            let written = try JSONSerialization.jsonObject(with: Data(contentsOf: out)) as? [String: Any]
            XCTAssertEqual(written?["schema"] as? String, "fpaudit.report/v1")
            // nothing but the report is left in the directory (no temporary files)
            XCTAssertEqual(
                try FileManager.default.contentsOfDirectory(atPath: dir.url.path).sorted(),
                ["a.json", "b.json", "r.json"])
        }
    }
}
