import FPGraph
import FPNumerics
import XCTest

@testable import FPVerify

/// The worst-case search (`--search N`) after sampling.
final class WorstCaseSearchTests: XCTestCase {
    /// `(x − 1)(x + 1)` rewritten as `x·x − 1`: the rewrite cancels only near
    /// x = ±1, a region 64 samples of uniform(0, 100) do not reach.
    func pair() throws -> (VerificationSubject, VerificationSubject) {
        let original = try subject(
            """
            {"parameters": [{"name": "x", "dtype": "f32", "shape": [], "sample": "uniform(0,100)"}],
             "nodes": [{"name": "one", "op": "constant", "dtype": "f32", "value": 1},
                       {"name": "a", "op": "subtract", "operands": ["x", "one"]},
                       {"name": "b", "op": "add", "operands": ["x", "one"]},
                       {"name": "y", "op": "multiply", "operands": ["a", "b"]}],
             "outputs": ["y"]}
            """, path: "o.json")
        let rewritten = try subject(
            """
            {"parameters": [{"name": "x", "dtype": "f32", "shape": [], "sample": "uniform(0,100)"}],
             "nodes": [{"name": "one", "op": "constant", "dtype": "f32", "value": 1},
                       {"name": "s", "op": "multiply", "operands": ["x", "x"]},
                       {"name": "y", "op": "subtract", "operands": ["s", "one"]}],
             "outputs": ["y"]}
            """, path: "r.json")
        return (original, rewritten)
    }

    func run(search: Int, samples: Int = 64) async throws -> VerificationResult {
        let (a, b) = try pair()
        var config = VerificationConfig(samples: samples)
        config.search = search
        return try await Verifier(original: a, rewritten: b, config: config).run()
    }

    func testFindsTheNarrowBadRegionSamplingMisses() async throws {
        let result = try await run(search: 400)
        let s = try XCTUnwrap(result.search)
        XCTAssertTrue(s.foundWorse, "\(s)")
        XCTAssertGreaterThan(s.bitsLost, s.sampledBitsLost + 4, "\(s)")
        XCTAssertLessThanOrEqual(s.evaluations, 400)
        // The input stays in the parameter's support, and replays to what the search reported.
        let x = try XCTUnwrap(s.inputs?.tensors.first?.elements)
        guard case .floats(let v) = x, let value = v.first else { return XCTFail("\(x)") }
        XCTAssert((0...100).contains(value), "\(value)")
        XCTAssertEqual(value, 1, accuracy: 0.01, "the search moves toward x = 1")
        let (a, b) = try pair()
        let replay = try await Verifier(original: a, rewritten: b, config: VerificationConfig(samples: 1)).run(
            replay: [x])
        XCTAssertEqual(replay.outputs[0].bitsLost.max, s.bitsLost)
        // Deterministic for the seed.
        let again = try await run(search: 400).search
        XCTAssertEqual(again, s)
    }

    func testNeverReportsLessThanSampling() async throws {
        for budget in [1, 10, 50] {
            let result = try await run(search: budget)
            let s = try XCTUnwrap(result.search)
            XCTAssertGreaterThanOrEqual(s.bitsLost, s.sampledBitsLost)
            XCTAssertLessThanOrEqual(s.evaluations, budget)
            XCTAssertEqual(s.inputs == nil, !s.foundWorse)
        }
        // Two identical graphs lose nothing anywhere: nothing worse is found.
        let (a, _) = try pair()
        var config = VerificationConfig(samples: 16)
        config.search = 100
        let sameResult = try await Verifier(original: a, rewritten: a, config: config).run()
        let same = try XCTUnwrap(sameResult.search)
        XCTAssertFalse(same.foundWorse)
        XCTAssertNil(same.inputs)
        let none = try await run(search: 0)
        XCTAssertNil(none.search, "no search without --search")
    }

    /// `--max-work` counts the search's evaluations as samples.
    func testTheWorkEstimateCountsTheSearch() throws {
        let (a, b) = try pair()
        var config = VerificationConfig(samples: 64)
        let plain = try Verifier(original: a, rewritten: b, config: config).workEstimate()
        config.search = 192
        let searched = try Verifier(original: a, rewritten: b, config: config).workEstimate()
        XCTAssertEqual(searched.elementOps, plain.elementOps * 4)
        XCTAssert(searched.description.contains("64 samples + 192 search evaluations"), searched.description)
        XCTAssertEqual(
            try Verifier(original: a, rewritten: b, config: config).workEstimate(replay: true).searchEvaluations, 0)
    }

    func testMovesAndSpecialValuesStayInTheFormat() {
        for x in [1.5, -3.0, 0x1p-130] {
            for v in WorstCaseSearch.moves(x, .f32) + WorstCaseSearch.specialValues(near: x, .f32) {
                XCTAssertEqual(FloatFormat.f32.round(v).bitPattern, v.bitPattern, "\(v) near \(x)")
            }
        }
        let specials = WorstCaseSearch.specialValues(near: 1.0, .f32)
        XCTAssert(specials.contains(0) && specials.contains(FloatFormat.f32.minSubnormal))
        // bf16's tie above 1: halfway between 1 and 1 + 2^-7.
        XCTAssert(specials.contains(1 + 0x1p-8), "\(specials)")
    }

    func testSupportsFollowTheDistributions() {
        typealias S = WorstCaseSearch.Support
        XCTAssertEqual(S(.uniform(lo: -1, hi: 2)), .interval(-1, 2))
        XCTAssertTrue(S(.uniform(lo: -1, hi: 2))!.contains(2))
        XCTAssertFalse(S(.uniform(lo: -1, hi: 2))!.contains(2.0000001))
        XCTAssertFalse(S(.normal(mean: 0, std: 1))!.contains(.infinity))
        XCTAssertTrue(S(.ieee)!.contains(.nan))
        XCTAssertFalse(S(.logUniform(lo: 1e-3, hi: 1, symmetric: false))!.contains(-0.5))
        XCTAssertTrue(S(.logUniform(lo: 1e-3, hi: 1, symmetric: true))!.contains(-0.5))
        XCTAssertNil(S(.constant(3)))
        XCTAssertNil(S(.integers(lo: 0, hi: 3)))
    }
}
