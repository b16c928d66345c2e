import FPTrace
import FPVerify
import XCTest
import _TestSupport

final class TraceRunnerTests: XCTestCase {
    /// input → rename (same graph) → algsimp (x/4 → x*0.25, exact) → bf16 round trip (fails).
    func testTheAffineTraceNamesTheFailingPass() async throws {
        let steps = try TraceManifest.read(path: fixtureURL("Fixtures/trace/affine/trace.json").path)
        let runner = TraceRunner(config: VerificationConfig(samples: 128))
        let result = await runner.run(module: "affine", snapshots: steps)
        XCTAssertEqual(result.steps.count, 3)
        guard case .unchanged = result.steps[0].outcome else { return XCTFail("rename must be unchanged") }
        XCTAssertEqual(result.steps[1].verdict, .pass)
        if case .verified(let r) = result.steps[1].outcome {
            XCTAssertEqual(r.outputs[0].bitsLost.max, 0, "a multiply by 0.25 is exact")
            XCTAssertTrue(r.outputs[0].semantic.equivalent)
        }
        XCTAssertEqual(result.steps[2].verdict, .fail)
        XCTAssertEqual(result.firstFailure, 2)
        XCTAssertEqual(result.endToEnd.verdict, .fail)
        // The first snapshot's distributions are used throughout: x ~ uniform(-2,2), b ~ uniform(4,8),
        // so the bf16 round trip of x costs about 8 bits of x, well under 16 bits of y.
        if case .verified(let r) = result.steps[2].outcome {
            XCTAssertEqual(r.distributions.map(\.distribution), ["uniform(-2, 2)", "uniform(0.5, 1)", "uniform(4, 8)"])
            XCTAssertLessThan(r.outputs[0].bitsLost.max, 17)
        }
    }
}
