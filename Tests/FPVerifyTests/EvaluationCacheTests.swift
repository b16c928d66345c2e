import FPGraph
import XCTest
import _TestSupport

@testable import FPVerify

/// A trace's shared evaluations change nothing: a verification that takes
/// every graph evaluation from the cache gives the same result as one that
/// made them, and the cache is only used for the same graph on the same inputs.
final class EvaluationCacheTests: XCTestCase {
    let reciprocal = """
        {"parameters": [{"name": "x", "dtype": "f32", "shape": [8], "sample": "uniform(1,2)"},
                        {"name": "y", "dtype": "f32", "shape": [8], "sample": "uniform(0.5,4)"}],
         "nodes": [{"name": "one", "op": "constant", "dtype": "f32", "value": 1},
                   {"name": "r", "op": "divide", "operands": ["one", "y"]},
                   {"name": "z", "op": "multiply", "operands": ["x", "r"]}],
         "outputs": ["z"]}
        """
    let division = """
        {"parameters": [{"name": "x", "dtype": "f32", "shape": [8], "sample": "uniform(1,2)"},
                        {"name": "y", "dtype": "f32", "shape": [8], "sample": "uniform(0.5,4)"}],
         "nodes": [{"name": "z", "op": "divide", "operands": ["x", "y"]}],
         "outputs": ["z"]}
        """

    func testCachedEvaluationsGiveTheSameResult() async throws {
        let (a, b) = (try subject(division), try subject(reciprocal))
        let config = VerificationConfig(samples: 96)
        let fresh = try await Verifier(original: a, rewritten: b, config: config).run()
        var cached = try Verifier(original: a, rewritten: b, config: config)
        let cache = EvaluationCache()
        cached.evaluationCache = cache
        let first = try await cached.run()
        XCTAssertEqual(cache.hits, 0)
        let second = try await cached.run()
        XCTAssertEqual(cache.hits, 2 * 96, "every evaluation of both graphs comes from the cache")
        XCTAssertEqual(first.outputs, fresh.outputs)
        XCTAssertEqual(second.outputs, fresh.outputs)
        XCTAssertEqual(second.samples, fresh.samples)

        // The reversed pair shares both graphs' evaluations (same graphs, same inputs).
        var reversed = try Verifier(original: b, rewritten: a, config: config)
        reversed.evaluationCache = cache
        let swapped = try await reversed.run()
        XCTAssertEqual(cache.hits, 4 * 96)
        let direct = try await Verifier(original: b, rewritten: a, config: config).run()
        XCTAssertEqual(swapped.outputs, direct.outputs)
    }

    func testOtherInputsOrASmallBudgetAreNotServedFromTheCache() async throws {
        let (a, b) = (try subject(division), try subject(reciprocal))
        let cache = EvaluationCache()
        var first = try Verifier(original: a, rewritten: b, config: VerificationConfig(samples: 32, seed: 1))
        first.evaluationCache = cache
        _ = try await first.run()
        var other = try Verifier(original: a, rewritten: b, config: VerificationConfig(samples: 32, seed: 2))
        other.evaluationCache = cache
        let result = try await other.run()
        XCTAssertEqual(cache.hits, 0, "another seed samples other inputs")
        let direct = try await Verifier(original: a, rewritten: b, config: VerificationConfig(samples: 32, seed: 2))
            .run()
        XCTAssertEqual(result.outputs, direct.outputs)

        let tiny = EvaluationCache(maxBytesPerGraph: 0)
        var bounded = try Verifier(original: a, rewritten: b, config: VerificationConfig(samples: 32))
        bounded.evaluationCache = tiny
        _ = try await bounded.run()
        _ = try await bounded.run()
        XCTAssertEqual(tiny.hits, 0, "nothing is stored past the budget")
    }
}
