import FPAuditLog
import Foundation
import XCTest
import _TestSupport

/// Pins what fpaudit writes, byte for byte, with golden files in
/// `Tests/Golden/`: the JSON and text reports of `verify`, the JSON and text
/// reports of `trace`, and an audit log entry's record. A change to any of
/// them (a refactor of the result model, say) shows up here as a diff.
///
/// Only machine-independent arithmetic is involved (+ − × ÷, converts, MPFR):
/// no libm call, so the figures are the same on every machine. Paths are
/// written relative to the repository; in the log entry the fields that
/// name the run (ids, time, user, host, git state, hashes over paths) are
/// masked.
///
/// Regenerate after an intended change: `FPAUDIT_UPDATE_GOLDEN=1 swift test
/// --filter GoldenReportTests`, then review the diff.
final class GoldenReportTests: XCTestCase {
    let pair = "Fixtures/json/reciprocal-multiply"
    var root: String { repositoryRoot().path + "/" }

    func verifyArguments() -> [String] {
        [
            "verify", repoPath("\(pair)/original.json"), repoPath("\(pair)/rewritten.json"), "--samples", "64",
            "--seed", "3", "--quiet", "--no-log",
        ]
    }

    func testVerifyJSONReport() async throws {
        let run = await fpaudit(verifyArguments() + ["--format", "json"])
        XCTAssertEqual(run.code, 0, run.err)
        try assertGolden(run.out, "verify-reciprocal-multiply.json")
    }

    func testVerifyTextReport() async throws {
        let run = await fpaudit(verifyArguments())
        XCTAssertEqual(run.code, 0, run.err)
        try assertGolden(run.out, "verify-reciprocal-multiply.txt")
    }

    func testTraceReports() async throws {
        let arguments = [
            "trace", repoPath("Fixtures/trace/affine/trace.json"), "--samples", "32", "--seed", "5",
            "--quiet", "--no-log",
        ]
        let json = await fpaudit(arguments + ["--format", "json"])
        XCTAssertEqual(json.code, 1, json.err)
        try assertGolden(json.out, "trace-affine.json")
        let text = await fpaudit(arguments)
        try assertGolden(text.out, "trace-affine.txt")
    }

    func testLogEntryRecord() async throws {
        try await withTemporaryDirectory { dir in
            let log = dir.file("audit.db").path
            var arguments = verifyArguments().filter { $0 != "--no-log" }
            arguments += ["--log", log, "--pass", "algsimp"]
            let run = await fpaudit(arguments)
            XCTAssertEqual(run.code, 0, run.err)
            let record = try AuditLog(path: log, create: false).entry("1").record
            var object = try XCTUnwrap(try JSONSerialization.jsonObject(with: record.canonicalData()) as? [String: Any])
            for key in ["id", "timestamp", "log_id", "prev_hash", "run", "context", "report"] where object[key] != nil {
                object[key] = "<masked>"
            }
            if var config = object["config"] as? [String: Any] {
                config["waivers_as_of"] = "<masked>"
                object["config"] = config
            }
            if var policy = object["policy"] as? [String: Any] {
                policy["path"] = "<masked>"
                object["policy"] = policy
            }
            let text =
                String(
                    decoding: try JSONSerialization.data(
                        withJSONObject: object,
                        options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]),
                    as: UTF8.self) + "\n"
            try assertGolden(text, "log-entry-verify.json")
        }
    }

    /// A log written by fpaudit before the result model was unified
    /// (`Tests/Golden/log-v1/`, every entry `fpaudit.log-entry/v1`, made by its
    /// `make-log.sh`) still verifies and every entry replays bit for bit.
    func testLogWrittenBeforeTheChangeStillReplays() async throws {
        try await withTemporaryDirectory { dir in
            let log = dir.file("audit.db")
            try FileManager.default.copyItem(at: fixtureURL("Tests/Golden/log-v1/audit.db"), to: log)
            let verify = await fpaudit(["log", "verify", "--log", log.path])
            XCTAssertEqual(verify.code, 0, verify.out + verify.err)
            let replay = await fpaudit(["log", "replay"] + (1...12).map(String.init) + ["--log", log.path])
            XCTAssertEqual(replay.code, 0, replay.out + replay.err)
            XCTAssertTrue(replay.out.contains("12 of 12 entries reproduced"), replay.out)
        }
    }

    /// Compares `text` (with the repository root removed from paths) with the golden file, or writes it
    /// when `FPAUDIT_UPDATE_GOLDEN` is set.
    func assertGolden(_ text: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let normalized = text.replacingOccurrences(of: root, with: "")
        let url = fixtureURL("Tests/Golden/\(name)")
        if ProcessInfo.processInfo.environment["FPAUDIT_UPDATE_GOLDEN"] != nil {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(normalized.utf8).write(to: url)
            return
        }
        let golden = try String(contentsOf: url, encoding: .utf8)
        if golden == normalized { return }
        let a = golden.split(separator: "\n", omittingEmptySubsequences: false)
        let b = normalized.split(separator: "\n", omittingEmptySubsequences: false)
        let first = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
        XCTFail(
            "\(name) differs from its golden file at line \(first + 1):\n  golden: \(first < a.count ? String(a[first]) : "<end>")\n  now:    \(first < b.count ? String(b[first]) : "<end>")",
            file: file, line: line)
    }
}
