import Foundation
import XCTest
import _TestSupport

final class EvalCommandTests: XCTestCase {
    /// log(1 + 2^-30) in f32: 1 + 2^-30 rounds to 1, so declared gives 0,
    /// while the truth is 2^-30 - 2^-61 + ... which rounds to 0x1p-30 in f32.
    func testDeclaredAndMPFRDisagreeOnLogOnePlusTinyX() async throws {
        try await withTemporaryDirectory { dir in
            let inputs = try dir.write(
                """
                {"x": {"dtype": "f32", "shape": [16], "data": ["0x1p-30", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]}}
                """, to: "in.json")
            let graph = repoPath("Fixtures/json/log1p-naive/rewritten.json")
            let declared = await fpaudit(["eval", graph, "--inputs", inputs.path, "--format", "json"])
            XCTAssertEqual(declared.code, 0, declared.err)
            let mpfr = await fpaudit(["eval", graph, "--inputs", inputs.path, "--exec", "mpfr", "--format", "json"])
            XCTAssertEqual(mpfr.code, 0, mpfr.err)
            let d = ((declared.json.values.first as? [String: Any])?["data"] as? [String])?.first
            let m = ((mpfr.json.values.first as? [String: Any])?["data"] as? [String])?.first
            XCTAssertEqual(d, "0x0p+0")
            XCTAssertEqual(m, "0x1p-30")
        }
    }

    func testMissingInputIsAnError() async throws {
        try await withTemporaryDirectory { dir in
            let inputs = try dir.write("{}", to: "empty.json")
            let run = await fpaudit([
                "eval", repoPath("Fixtures/json/log1p-naive/original.json"), "--inputs", inputs.path,
            ])
            XCTAssertEqual(run.code, 2)
            XCTAssert(run.err.contains("x"), run.err)
        }
    }
}
