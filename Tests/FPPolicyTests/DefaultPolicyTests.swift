import FPGraph
import XCTest

@testable import FPPolicy
@testable import FPVerify

/// The built-in default policy (`Policies/default.yaml`) on hand-made
/// measurements of each rewrite class it must tell apart.
final class DefaultPolicyTests: XCTestCase {
    /// One output: bits-of-error summaries of both graphs, point counts over
    /// 1000 points, the reduction depth and the pointwise figures.
    private func output(
        original: Summary, rewritten: Summary, changed: Int, worse: Int, better: Int, depth: Int = 0,
        points: Int = 1000,
        lostMax: Double? = nil, newNonfinite: Int = 0, semanticULPs: Double = 0,
        originalULPsMax: Double = 1
    ) -> OutputMetrics {
        func side(_ bits: Summary, ulpsMax: Double) -> SideMetrics {
            SideMetrics(
                bits: bits, ulps: Summary(max: ulpsMax, mean: 0, p50: 0, p95: 0, p99: 0), relativeMax: 0,
                relativeMean: 0, absoluteMax: 0, nonfinite: 0)
        }
        return OutputMetrics(
            name: "y", type: ArrayType(.f32, [16]), original: side(original, ulpsMax: originalULPsMax),
            rewritten: side(rewritten, ulpsMax: 0),
            bitsLost: BitsLost(
                max: lostMax ?? max(0, rewritten.max - original.max), mean: 0,
                shareOfSamplesWorseThan1Bit: 0),
            newNonfinite: newNonfinite,
            semantic: SemanticDeviation(
                maxULPs: semanticULPs, samplesCompared: 100,
                samplesDiffering: semanticULPs > 0 ? 50 : 0),
            worst: nil,
            comparison: ErrorComparison(
                points: points, changedPoints: changed, worsePoints: worse,
                betterPoints: better, reductionDepth: depth,
                signTestZ: signTestZ(worse: worse, better: better)))
    }

    /// The sign test when every differing point is in a sample of its own.
    private func signTestZ(worse: Int, better: Int) -> Double {
        ErrorComparison.signTestZ(
            perSampleDifferences: Array(repeating: 1, count: worse) + Array(repeating: -1, count: better))
    }

    private func s(_ p50: Double, _ p95: Double, _ p99: Double, max: Double, mean: Double) -> Summary {
        Summary(max: max, mean: mean, p50: p50, p95: p95, p99: p99)
    }

    private func judged(_ o: OutputMetrics) -> VerificationResult { result([o]) }

    private func rules(_ r: VerificationResult) -> [String] { r.findings.map { "\($0.severity.rawValue):\($0.rule)" } }

    func testBitIdenticalOutputsNeverWarnEvenWhenTheRealFunctionMoved() {
        // Constant folding: the exact function moved 35 ulps at a near-zero output, the f32 results did not change.
        let bits = s(0, 1, 2, max: 6, mean: 0.3)
        let r = judged(
            output(
                original: bits, rewritten: bits, changed: 0, worse: 0, better: 0, semanticULPs: 35,
                originalULPsMax: 3))
        XCTAssertEqual(r.verdict, .pass, "\(rules(r))")
        XCTAssertEqual(rules(r), [])
    }

    func testReciprocalMultiplyWarns() {
        // x/y -> x*(1/y): 1 ulp on a quarter of the points, never better.
        let r = judged(
            output(
                original: s(0, 0, 0, max: 0, mean: 0), rewritten: s(0, 1, 1, max: 1, mean: 0.27),
                changed: 270, worse: 270, better: 0))
        XCTAssertEqual(r.verdict, .warn)
        XCTAssertEqual(rules(r), ["warning:accuracy-loss", "info:pointwise-loss"])
    }

    func testOneUlpEitherWayAtSomePointsIsInfo() {
        // Reassociation: worse and better about equally often, quantiles one ulp apart.
        let r = judged(
            output(
                original: s(1, 1.58, 2, max: 3, mean: 0.9), rewritten: s(1, 2, 2, max: 3.17, mean: 0.91),
                changed: 400, worse: 200, better: 195, lostMax: 1))
        XCTAssertEqual(r.verdict, .pass)
        XCTAssertEqual(rules(r), ["info:pointwise-loss"])
    }

    func testSystematicLossesWithinTheReductionBudgetWarnButDoNotFail() {
        // An exactly rounded length-16 sum (depth 15) replaced by an f32 tree: up to 7 ulps, within 7.5.
        let r = judged(
            output(
                original: s(0, 0, 0, max: 0, mean: 0), rewritten: s(1, 2.58, 3, max: 3, mean: 1.2),
                changed: 900, worse: 900, better: 0, depth: 15))
        XCTAssertEqual(rules(r), ["warning:accuracy-loss", "info:pointwise-loss"])
        // Reordering the same sum: worse and better equally often, within the budget.
        let noise = judged(
            output(
                original: s(1, 2.32, 2.58, max: 3, mean: 1.1), rewritten: s(1, 2.58, 3, max: 3, mean: 1.1),
                changed: 900, worse: 440, better: 450, depth: 15, lostMax: 1.58))
        XCTAssertEqual(noise.verdict, .pass, "\(rules(noise))")
        // The same losses on an elementwise output are a regression.
        let e = judged(
            output(
                original: s(0, 0, 0, max: 0, mean: 0), rewritten: s(1, 2.58, 3, max: 3, mean: 1.2),
                changed: 900, worse: 900, better: 0))
        XCTAssertEqual(e.verdict, .fail)
    }

    /// An extra rounding where the original is already a few ulps off (x/s -> x*(1/s)
    /// in a softmax): no quantile moves, but the rewrite is worse at clearly more
    /// points than better and the mean error grows.
    func testASmallOneSidedShiftWarnsWhenItIsBeyondChance() {
        let bits = s(0, 1, 1.58, max: 2.32, mean: 0.4)
        let shifted = judged(
            output(
                original: bits, rewritten: s(0, 1, 1.58, max: 2.32, mean: 0.43),
                changed: 300, worse: 80, better: 25, points: 2000))
        XCTAssertEqual(rules(shifted), ["warning:accuracy-loss"], "z = 55 / sqrt(105) = 5.4, net 2.75 %")
        // The same imbalance over a few points is within chance (z = 9 / sqrt(15) = 2.3).
        let few = judged(
            output(
                original: bits, rewritten: s(0, 1, 1.58, max: 2.32, mean: 0.43),
                changed: 20, worse: 12, better: 3, points: 600))
        XCTAssertEqual(few.verdict, .pass, "\(rules(few))")
        XCTAssertEqual(signTestZ(worse: 12, better: 3), 9 / 15.0.squareRoot(), accuracy: 1e-12)
        // Points of one sample move together: four samples each 3 points worse count as four.
        XCTAssertEqual(
            ErrorComparison.signTestZ(perSampleDifferences: [3, 3, 3, 3, 0, -1]), 11 / 37.0.squareRoot(),
            accuracy: 1e-12)
        XCTAssertEqual(ErrorComparison.signTestZ(perSampleDifferences: [0, 0]), 0)
    }

    func testImprovementsPass() {
        // The original overflows at some points (32 bits), the rewrite is within an ulp, once 1 ulp worse.
        let r = judged(
            output(
                original: s(0, 32, 32, max: 32, mean: 17), rewritten: s(0, 1, 1, max: 1, mean: 0.2),
                changed: 600, worse: 1, better: 560, lostMax: 1))
        XCTAssertEqual(r.verdict, .pass)
    }

    func testRegressionsFail() {
        let quantile = judged(
            output(
                original: s(0, 1, 1, max: 2, mean: 0.3), rewritten: s(0, 4, 4, max: 5, mean: 0.9),
                changed: 300, worse: 300, better: 0))
        XCTAssertTrue(rules(quantile).contains("error:accuracy-regression"), "\(rules(quantile))")
        let mean = judged(
            output(
                original: s(0, 1, 1, max: 2, mean: 0.3), rewritten: s(2.5, 2.9, 3, max: 3, mean: 2.5),
                changed: 900, worse: 900, better: 0))
        XCTAssertTrue(rules(mean).contains("error:mean-regression"), "\(rules(mean))")
        // A loss confined to a few points (log(1+x) at tiny x): only the tail shows it.
        let tail = judged(
            output(
                original: s(0, 0, 1, max: 1, mean: 0.1), rewritten: s(0, 0, 1, max: 20, mean: 0.12),
                changed: 5, worse: 5, better: 0))
        XCTAssertEqual(tail.verdict, .fail)
        XCTAssertEqual(rules(tail), ["error:tail-regression", "warning:tail-loss", "info:pointwise-loss"])
        let nonfinite = judged(
            output(
                original: s(0, 0, 0, max: 0, mean: 0), rewritten: s(0, 0, 0, max: 0, mean: 0),
                changed: 3, worse: 3, better: 0, newNonfinite: 3))
        XCTAssertEqual(nonfinite.verdict, .fail)
    }

    func testModerateTailLossWarns() {
        let r = judged(
            output(
                original: s(0, 1, 1, max: 2, mean: 0.3), rewritten: s(0, 1, 1, max: 5.5, mean: 0.3),
                changed: 10, worse: 5, better: 5))
        XCTAssertEqual(r.verdict, .warn)
        XCTAssertEqual(rules(r), ["warning:tail-loss", "info:pointwise-loss"])
    }

    func testSemanticChangeBeyondTheOriginalsErrorWarns() {
        let bits = s(0, 1, 1, max: 2, mean: 0.3)
        let r = judged(
            output(
                original: bits, rewritten: bits, changed: 10, worse: 5, better: 5, semanticULPs: 40,
                originalULPsMax: 3))
        XCTAssertEqual(rules(r), ["warning:semantic-change"])
        let within = judged(
            output(
                original: bits, rewritten: bits, changed: 10, worse: 5, better: 5, semanticULPs: 3,
                originalULPsMax: 3))
        XCTAssertEqual(within.verdict, .pass)
    }

    func testRecordsWithoutAComparisonReadNaN() {
        var o = output(original: .empty, rewritten: .empty, changed: 0, worse: 0, better: 0)
        o.comparison = nil
        XCTAssertTrue(Metric.all["changed_points"]!.read(o, counts()).number.isNaN)
        XCTAssertTrue(Metric.all["excess_bits.p99"]!.read(o, counts()).number.isNaN)
    }
}
