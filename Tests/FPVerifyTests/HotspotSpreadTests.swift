import FPGraph
import XCTest

@testable import FPVerify

/// Local errors over several samples (``NodeError/spread``).
final class HotspotSpreadTests: XCTestCase {
    func error(_ node: String, _ bits: Double) -> NodeError {
        NodeError(node: node, op: "add", location: nil, sourceName: nil, sourceLine: nil, bits: bits, ulps: bits)
    }

    func testEachNodeKeepsItsWorstSampleAndMean() {
        let spread = Verifier.spread([
            (sample: 7, errors: [error("a", 1), error("b", 4)]),
            (sample: 0, errors: [error("a", 5), error("b", 0)]),
            (sample: 16, errors: [error("a", 0), error("b", 2)]),
        ])
        XCTAssertEqual(spread.map(\.node), ["a", "b"], "worst first by the largest over the samples")
        XCTAssertEqual(spread[0].spread, LocalErrorSpread(samples: 3, maxBits: 5, meanBits: 2, worstSample: 0))
        XCTAssertEqual(spread[1].spread, LocalErrorSpread(samples: 3, maxBits: 4, meanBits: 2, worstSample: 7))
        XCTAssertEqual(spread[0].bits, 5)
    }

    func testTiesGoByTheMeanThenTheName() {
        let spread = Verifier.spread([
            (sample: 0, errors: [error("b", 3), error("a", 3), error("c", 3)]),
            (sample: 1, errors: [error("b", 0), error("a", 0), error("c", 1)]),
        ])
        XCTAssertEqual(spread.map(\.node), ["c", "a", "b"])
    }

    func testOneSampleInSixtyFourIsLocalizedUpToThirtyTwo() {
        XCTAssertEqual(Verifier.localizedSamples(total: 8, worst: 3), [])
        XCTAssertEqual(Verifier.localizedSamples(total: 127, worst: 3), [])
        XCTAssertEqual(Verifier.localizedSamples(total: 128, worst: 5), [0])
        XCTAssertEqual(Verifier.localizedSamples(total: 128, worst: 0), [64])
        let many = Verifier.localizedSamples(total: 1024, worst: 100)
        XCTAssertEqual(many, (0..<15).map { $0 * 64 })
        let most = Verifier.localizedSamples(total: 4096, worst: 128)
        XCTAssertEqual(most.count, 31)
        XCTAssertFalse(most.contains(128))
        XCTAssertEqual(Set(most).count, most.count)
        XCTAssertEqual(Verifier.localizedSamples(total: 1 << 20, worst: 0).count, 31)
    }

    /// A verification localises the worst sample and more: the nodes carry spreads over 16 samples.
    func testVerificationLocalizesOverSamples() async throws {
        let original = try subject(Self.sumGraph(rewritten: false), path: "o.json")
        let rewritten = try subject(Self.sumGraph(rewritten: true), path: "r.json")
        let result = try await Verifier(
            original: original, rewritten: rewritten, config: VerificationConfig(samples: 1024)
        ).run()
        let hotspots = try XCTUnwrap(result.hotspots)
        XCTAssertEqual(hotspots.samplesLocalized, 16)
        let worst = try XCTUnwrap(hotspots.rewritten.first)
        XCTAssertEqual(worst.spread?.samples, 16)
        XCTAssertGreaterThanOrEqual(worst.maxBits, worst.meanBits)
        XCTAssertNotNil(worst.cause)
        XCTAssertTrue(hotspots.scope.contains("over 16 samples"), hotspots.scope)
    }

    /// `(x + 1e4) - 1e4` against `x`: the rewritten side cancels.
    static func sumGraph(rewritten: Bool) -> String {
        rewritten
            ? """
            {"parameters": [{"name": "x", "dtype": "f32", "shape": [4]}],
             "nodes": [{"name": "c", "op": "constant", "dtype": "f32", "value": 10000},
                       {"name": "cb", "op": "broadcast", "operands": ["c"], "shape": [4], "dimensions": []},
                       {"name": "s", "op": "add", "operands": ["x", "cb"]},
                       {"name": "y", "op": "subtract", "operands": ["s", "cb"]}],
             "outputs": ["y"]}
            """
            : """
            {"parameters": [{"name": "x", "dtype": "f32", "shape": [4]}],
             "nodes": [{"name": "y", "op": "copy", "operands": ["x"]}],
             "outputs": ["y"]}
            """
    }
}
