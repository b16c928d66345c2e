import FPGraph
import XCTest

@testable import FPPolicy
@testable import FPVerify

final class ExpressionTests: XCTestCase {
    private func holds(_ text: String, _ m: OutputMetrics = metrics(), _ s: SampleCounts = counts()) throws -> Bool {
        try expr(text).holds(output: m, samples: s)
    }

    func testArithmeticAndPrecedence() throws {
        XCTAssertTrue(try holds("1 + 2 * 3 == 7"))
        XCTAssertTrue(try holds("(1 + 2) * 3 == 9"))
        XCTAssertTrue(try holds("10 - 4 - 3 == 3"))
        XCTAssertTrue(try holds("12 / 3 / 2 == 2"))
        XCTAssertTrue(try holds("-2 * -3 == 6"))
        XCTAssertTrue(try holds("- (1 + 1) == -2"))
        XCTAssertTrue(try holds("1.5e1 == 15 and .5 == 0.5"))
    }

    func testComparisons() throws {
        XCTAssertTrue(try holds("1 < 2 and 2 <= 2 and 3 > 2 and 3 >= 3 and 1 == 1 and 1 != 2"))
        XCTAssertFalse(try holds("2 < 1"))
        XCTAssertFalse(try holds("1 != 1"))
    }

    func testBooleansAndLogic() throws {
        XCTAssertTrue(try holds("true"))
        XCTAssertFalse(try holds("false"))
        XCTAssertTrue(try holds("not false"))
        XCTAssertTrue(try holds("false or true and true"))  // and binds tighter
        XCTAssertFalse(try holds("(false or true) and false"))
        XCTAssertTrue(try holds("not 1 > 2"))  // not binds looser than comparisons
        XCTAssertTrue(try holds("true == true and false != true"))
    }

    func testFunctionsAndInfinity() throws {
        XCTAssertTrue(try holds("min(3, 1, 2) == 1"))
        XCTAssertTrue(try holds("max(3, 1, 2) == 3"))
        XCTAssertTrue(try holds("min(4) == 4"))
        XCTAssertTrue(try holds("abs(-2.5) == 2.5"))
        XCTAssertTrue(try holds("1e300 * 1e300 == inf"))
        XCTAssertTrue(try holds("-inf < 0"))
        XCTAssertTrue(try holds("1 / 0 == inf"))
    }

    func testMetricsPerOutput() throws {
        let m = metrics(
            bitsLostMax: 3, bitsLostMean: 0.25, worseShare: 0.1, semanticULPs: 1, newNonfinite: 2,
            originalBits: Summary(max: 2, mean: 0.5, p50: 0, p95: 1, p99: 1.5),
            rewrittenBits: Summary(max: 6, mean: 1, p50: 0.5, p95: 2, p99: 3.5),
            originalNonfinite: 1, rewrittenNonfinite: 3)
        XCTAssertTrue(try holds("bits_lost.max == 3 and bits_lost.mean == 0.25 and worse_share == 0.1", m))
        XCTAssertTrue(
            try holds("semantic.max_ulps == 1 and semantic.samples_differing == 3 and not semantic.equivalent", m))
        XCTAssertTrue(try holds("new_nonfinite == 2 and original.nonfinite == 1 and rewritten.nonfinite == 3", m))
        XCTAssertTrue(try holds("original.bits.max == 2 and original.bits.mean == 0.5 and original.bits.p50 == 0", m))
        XCTAssertTrue(try holds("original.bits.p95 == 1 and original.bits.p99 == 1.5", m))
        XCTAssertTrue(try holds("rewritten.bits.p99 <= original.bits.p99 + 2", m))
        XCTAssertFalse(try holds("rewritten.bits.max <= 4 * original.bits.max - 3", m))
        XCTAssertTrue(try holds("rewritten.ulps.p99 == 3 and original.ulps.max == 3 and original.ulps.p95 == 2", m))
        XCTAssertTrue(try holds("rewritten.relative.max == 1e-7 and original.relative.mean == 2e-8", m))
        XCTAssertTrue(try holds("rewritten.absolute.max == 0.25 and original.absolute.max == 0.25", m))
        XCTAssertTrue(try holds("semantic.equivalent", metrics()))
        XCTAssertTrue(try holds("semantic.equivalent == true", metrics()))
    }

    func testMetricsPerRun() throws {
        let s = counts(measured: 90, unstable: 4, rewrittenUnstable: 6, flips: 2)
        XCTAssertTrue(try holds("samples.measured == 90 and samples.reference_unstable == 10", metrics(), s))
        XCTAssertTrue(try holds("samples.original_unstable == 4 and samples.rewritten_unstable == 6", metrics(), s))
        XCTAssertTrue(try holds("samples.branch_flips == 2 and samples.requested == 100", metrics(), s))
        XCTAssertTrue(try expr("samples.measured > 0").isPerRun)
        XCTAssertFalse(try expr("samples.measured > 0 and bits_lost.max < 1").isPerRun)
    }

    func testCanonicalFormIgnoresSpacingAndRedundantParentheses() throws {
        let a = try expr("rewritten.bits.p99<=4*original.bits.p99+2")
        let b = try expr("  rewritten.bits.p99 <= ((4 * original.bits.p99) + 2) ")
        XCTAssertEqual(a.canonical, "rewritten.bits.p99 <= ((4 * original.bits.p99) + 2)")
        XCTAssertEqual(a, b)
        XCTAssertEqual(
            try expr("x_ok == 1 or not semantic.equivalent".replacingOccurrences(of: "x_ok", with: "new_nonfinite"))
                .canonical,
            "(new_nonfinite == 1) or not semantic.equivalent")
        XCTAssertEqual(try expr("bits_lost.max <= 2.50").canonical, "bits_lost.max <= 2.5")
        XCTAssertEqual(try expr("max(1,inf) > -3").canonical, "max(1, inf) > -3")
    }

    func testValueAndThresholdOfTheDecidingComparison() throws {
        let m = metrics(bitsLostMax: 3, semanticULPs: 2)
        let s = counts()
        var o = try expr("bits_lost.max <= 2").evaluate(output: m, samples: s)
        XCTAssertEqual([o.value, o.threshold], [3, 2])
        XCTAssertEqual(o.comparison, "<=")
        o = try expr("new_nonfinite == 0 and semantic.max_ulps <= 1").evaluate(output: m, samples: s)
        XCTAssertFalse(o.held)
        XCTAssertEqual([o.value, o.threshold], [2, 1])  // the conjunct that failed
        o = try expr("bits_lost.max <= 0.5 or bits_lost.max > 2").evaluate(output: m, samples: s)
        XCTAssertTrue(o.held)
        XCTAssertEqual([o.value, o.threshold], [3, 2])  // the disjunct that held
        o = try expr("semantic.equivalent").evaluate(output: m, samples: s)
        XCTAssertNil(o.value)
    }

    func testNaNComparesFalse() throws {
        let m = metrics(bitsLostMax: .nan)
        XCTAssertFalse(try holds("bits_lost.max <= 2", m))
        XCTAssertTrue(try holds("bits_lost.max != bits_lost.max", m))
        XCTAssertFalse(try holds("max(bits_lost.max, 1) < 5", m))
    }

    func testMetricCatalogue() {
        // Per side: bits and ulps summaries and 4 more; 8 pointwise and semantic; 8 comparison
        // figures and 5 excess statistics; 6 per run.
        XCTAssertEqual(PolicyExpression.metricPaths.count, 2 * (2 * 5 + 4) + 8 + 8 + 5 + 6)
        XCTAssertTrue(PolicyExpression.metricPaths.contains("rewritten.ulps.p50"))
        XCTAssertTrue(PolicyExpression.metricPaths.contains("excess_bits.p99"))
        XCTAssertTrue(PolicyExpression.metricPaths.contains("changed_points"))
    }

    func testGlob() {
        XCTAssertTrue(Glob.matches("*norm*", "layer_norm_out"))
        XCTAssertTrue(Glob.matches("x?", "x1"))
        XCTAssertFalse(Glob.matches("x?", "x12"))
        XCTAssertTrue(Glob.matches("*", ""))
        XCTAssertTrue(Glob.matches("a*b*c", "a--b--b--c"))
        XCTAssertFalse(Glob.matches("a*b*c", "a--b--b--"))
        XCTAssertTrue(Glob.matches("dir/*.json", "dir/sub/model.json"))
    }
}

/// Hostile nesting is a located syntax error, never a stack overflow.
final class ExpressionDepthTests: XCTestCase {
    private func depthError(_ text: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try PolicyExpression.parse(text), file: file, line: line) { error in
            guard case PolicyError.syntax(_, _, let message) = error else {
                return XCTFail("\(error)", file: file, line: line)
            }
            XCTAssert(message.contains("nests deeper than \(ExpressionParser.maxDepth) levels"), message)
        }
    }

    func testDeepNestingOfEveryKindIsRefused() {
        let n = 50_000
        depthError(String(repeating: "(", count: n) + "1 < 2" + String(repeating: ")", count: n))
        depthError(String(repeating: "not ", count: n) + "true")
        depthError(String(repeating: "-", count: n) + "1 < 2")
        depthError(Array(repeating: "1 < 2", count: n).joined(separator: " and "))
        depthError(Array(repeating: "1 < 2", count: n).joined(separator: " or "))
        depthError(Array(repeating: "1", count: n).joined(separator: " + ") + " > 0")
        depthError(String(repeating: "abs(", count: n) + "1" + String(repeating: ")", count: n) + " > 0")
    }

    func testNestingUpToTheLimitParsesAndEvaluates() throws {
        let d = ExpressionParser.maxDepth
        let chain = Array(repeating: "true", count: d).joined(separator: " and ")  // d - 1 levels of and
        XCTAssertTrue(try PolicyExpression.parse(chain).holds(output: metrics(), samples: counts()))
        let parens = String(repeating: "(", count: d - 1) + "1 < 2" + String(repeating: ")", count: d - 1)
        XCTAssertTrue(try PolicyExpression.parse(parens).holds(output: metrics(), samples: counts()))
        // one level more than allowed
        depthError(Array(repeating: "true", count: d + 2).joined(separator: " and "))
    }
}
