import Foundation
import XCTest
import _TestSupport

/// `verify --search N` from the command line.
final class SearchOptionTests: XCTestCase {
    /// `log(1 + x)` for `log1p(x)` loses most near the small end of its
    /// loguniform range; the search reports, and `--save-worst` saves, what it found.
    func testSearchIsReportedAndItsInputSaved() async throws {
        try await withTemporaryDirectory { dir in
            let worst = dir.file("worst.json").path
            let args = [
                "verify", repoPath("Fixtures/json/log1p-naive/original.json"),
                repoPath("Fixtures/json/log1p-naive/rewritten.json"), "--no-log", "--samples", "32", "--search", "200",
            ]
            let text = await fpaudit(args + ["--save-worst", worst])
            XCTAssertEqual(text.code, 1, text.err)
            XCTAssert(text.out.contains("search: "), text.out)
            let json = await fpaudit(args + ["--format", "json"])
            let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])
            let search = try XCTUnwrap(report["search"] as? [String: Any], json.out)
            let found = try XCTUnwrap(search["bits_lost"] as? Double)
            let sampled = try XCTUnwrap(search["sampled_bits_lost"] as? Double)
            XCTAssertGreaterThanOrEqual(found, sampled)
            XCTAssertLessThanOrEqual(try XCTUnwrap(search["evaluations"] as? Int), 200)
            if search["found_worse"] as? Bool == true {
                XCTAssertNotNil(search["inputs"])
                // The saved values replay to the search's figure.
                let replay = await fpaudit(
                    Array(args.prefix(3)) + ["--no-log", "--replay", worst, "--format", "json"])
                let replayed = try XCTUnwrap(
                    JSONSerialization.jsonObject(with: Data(replay.out.utf8)) as? [String: Any])
                let outputs = try XCTUnwrap(replayed["outputs"] as? [[String: Any]])
                let lost = try XCTUnwrap((outputs.first?["bits_lost"] as? [String: Any])?["max"] as? Double)
                XCTAssertEqual(lost, found, accuracy: 1e-9)
            }
        }
    }

    func testANegativeBudgetIsRefused() async {
        let run = await fpaudit([
            "verify", repoPath("Fixtures/json/log1p-naive/original.json"),
            repoPath("Fixtures/json/log1p-naive/rewritten.json"), "--no-log", "--search=-3",
        ])
        XCTAssertEqual(run.code, 2)
        XCTAssert(run.err.contains("--search must be 0 or more"), run.err)
    }
}
