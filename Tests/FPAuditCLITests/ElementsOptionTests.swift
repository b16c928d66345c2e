import Foundation
import XCTest
import _TestSupport

/// `verify --elements` as a user meets it: the report says what was measured,
/// bad counts are refused, and `auto` leaves small graphs whole.
final class ElementsOptionTests: XCTestCase {
    let pair = (
        repoPath("Fixtures/json/softmax-naive/original.json"), repoPath("Fixtures/json/softmax-naive/rewritten.json")
    )

    func testTheReportSaysWhichElementsWereMeasured() async throws {
        let run = await fpaudit(["verify", pair.0, pair.1, "--samples", "32", "--elements", "3", "--no-log"])
        XCTAssertTrue([0, 1].contains(run.code), run.err)
        XCTAssertTrue(run.out.contains("measured on 3 of 8 elements per sample"), run.out)
        let json = await fpaudit([
            "verify", pair.0, pair.1, "--samples", "32", "--elements", "3", "--no-log", "--format", "json",
        ])
        let config = try XCTUnwrap(json.json["config"] as? [String: Any])
        XCTAssertEqual(config["elements"] as? Int, 3)
        let outputs = try XCTUnwrap(json.json["outputs"] as? [[String: Any]])
        XCTAssertEqual(outputs[0]["elements_per_sample"] as? Int, 3)
    }

    func testAutoMeasuresSmallGraphsWhole() async throws {
        let json = await fpaudit(["verify", pair.0, pair.1, "--samples", "16", "--no-log", "--format", "json"])
        let config = try XCTUnwrap(json.json["config"] as? [String: Any])
        XCTAssertNil(config["elements"])
        let outputs = try XCTUnwrap(json.json["outputs"] as? [[String: Any]])
        XCTAssertNil(outputs[0]["elements_per_sample"])
    }

    func testBadCountsAreRefused() async {
        for bad in ["0", "-3", "some"] {
            let run = await fpaudit(["verify", pair.0, pair.1, "--elements", bad, "--no-log"])
            XCTAssertEqual(run.code, 2, bad)
            XCTAssertTrue(run.err.contains("--elements"), run.err)
        }
    }
}
