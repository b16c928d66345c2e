import FPGraph
@testable import FPVerify
import XCTest

final class DefaultRulesTests: XCTestCase {
    func output(lost: Double, semantic: Double = 0, newNonfinite: Int = 0) -> OutputMetrics {
        let side = SideMetrics(bits: .empty, ulps: .empty, relativeMax: 0, relativeMean: 0, absoluteMax: 0, nonfinite: 0)
        return OutputMetrics(name: "y", type: ArrayType(.f32, [2]), original: side, rewritten: side,
                             bitsLost: BitsLost(max: lost, mean: lost, shareOfSamplesWorseThan1Bit: 0),
                             newNonfinite: newNonfinite,
                             semantic: SemanticDeviation(maxULPs: semantic, samplesCompared: 1, samplesDiffering: semantic > 0 ? 1 : 0),
                             worst: nil)
    }

    let counts = SampleCounts(requested: 1, measured: 1, referenceUnstable: 0, rewrittenReferenceUnstable: 0,
                              branchFlips: 0, maxPrecisionUsed: 256)

    func testThresholds() {
        XCTAssertEqual(DefaultRules.evaluate(outputs: [output(lost: 0)], samples: counts).verdict, .pass)
        XCTAssertEqual(DefaultRules.evaluate(outputs: [output(lost: 0.5)], samples: counts).verdict, .pass)
        XCTAssertEqual(DefaultRules.evaluate(outputs: [output(lost: 1)], samples: counts).verdict, .warn)
        XCTAssertEqual(DefaultRules.evaluate(outputs: [output(lost: 2)], samples: counts).verdict, .warn)
        XCTAssertEqual(DefaultRules.evaluate(outputs: [output(lost: 2.01)], samples: counts).verdict, .fail)
        XCTAssertEqual(DefaultRules.evaluate(outputs: [output(lost: 0, semantic: 1)], samples: counts).verdict, .warn)
        XCTAssertEqual(DefaultRules.evaluate(outputs: [output(lost: 0, semantic: 2)], samples: counts).verdict, .fail)
        XCTAssertEqual(DefaultRules.evaluate(outputs: [output(lost: 0, newNonfinite: 1)], samples: counts).verdict, .fail)
    }

    func testUnstableReferenceWarnsAndNothingMeasuredFails() {
        var c = counts
        c.referenceUnstable = 1
        XCTAssertEqual(DefaultRules.evaluate(outputs: [output(lost: 0)], samples: c).verdict, .warn)
        c.measured = 0
        XCTAssertEqual(DefaultRules.evaluate(outputs: [output(lost: 0)], samples: c).verdict, .fail)
    }

    func testSummaryPercentilesAreNearestRank() {
        var values = (1...100).map(Double.init).shuffled()
        let s = Summary(sorting: &values)
        XCTAssertEqual(s.max, 100)
        XCTAssertEqual(s.p50, 50)
        XCTAssertEqual(s.p95, 95)
        XCTAssertEqual(s.p99, 99)
        XCTAssertEqual(s.mean, 50.5)
    }
}
