import CMPFRShims
import FPEval
import FPGraph
import FPNumerics
import XCTest
import _TestSupport

@testable import FPVerify

final class VerifierTests: XCTestCase {
    let division = """
        {"parameters": [{"name": "x", "dtype": "f32", "shape": [8], "sample": "uniform(1,2)"},
                        {"name": "y", "dtype": "f32", "shape": [8], "sample": "uniform(1,2)"}],
         "nodes": [{"name": "z", "op": "divide", "operands": ["x", "y"]}],
         "outputs": ["z"]}
        """

    func testIdenticalGraphsLoseNothing() async throws {
        let a = try subject(division)
        let result = try await Verifier(original: a, rewritten: a, config: VerificationConfig(samples: 64)).run()
        XCTAssertEqual(result.outputs[0].comparison?.changedPoints, 0)
        XCTAssertEqual(result.outputs[0].bitsLost.max, 0)
        XCTAssertEqual(result.outputs[0].original.bits.max, 0, "f32 division is correctly rounded")
        XCTAssertTrue(result.outputs[0].semantic.equivalent)
        XCTAssertEqual(result.samples.measured, 64)
        XCTAssertEqual(result.distributions.map(\.distribution), ["uniform(1, 2)", "uniform(1, 2)"])
    }

    func testAWrongConstantIsASemanticDeviation() async throws {
        let wrong = division.replacingOccurrences(
            of: """
                "nodes": [{"name": "z", "op": "divide", "operands": ["x", "y"]}]
                """,
            with: """
                "nodes": [{"name": "q", "op": "divide", "operands": ["x", "y"]},
                          {"name": "k", "op": "constant", "dtype": "f32", "value": 1.0078125},
                          {"name": "z", "op": "multiply", "operands": ["q", "k"]}]
                """)
        XCTAssertNotEqual(wrong, division)
        let result = try await Verifier(
            original: try subject(division), rewritten: try subject(wrong),
            config: VerificationConfig(samples: 32)
        ).run()
        // q * (1 + 2^-7) moves the result by about 2^16 f32 ulps.
        XCTAssertGreaterThan(result.outputs[0].semantic.maxULPs, 30_000)
        // Measured against the original's truth, every result is about 2^16 ulps off.
        let excess = try XCTUnwrap(result.outputs[0].excessBits)
        XCTAssertGreaterThan(excess.p50, 14)
        XCTAssertEqual(result.outputs[0].comparison?.changedPoints, result.outputs[0].comparison?.points)
    }

    func testMismatchedParametersAreRefused() throws {
        let other = division.replacingOccurrences(of: "[8]", with: "[4]")
        XCTAssertThrowsError(
            try Verifier(
                original: subject(division), rewritten: subject(other),
                config: VerificationConfig())
        ) { error in
            guard case VerifyError.parameterMismatch = error else { return XCTFail("\(error)") }
        }
    }

    func testSamplingIsDeterministicAndIndependentOfOrder() throws {
        let s = try Verifier(
            original: subject(division), rewritten: subject(division),
            config: VerificationConfig(seed: 42)
        ).sampler()
        let forward = (0..<10).map { s.inputs(forSample: $0) }
        let backward = (0..<10).reversed().map { s.inputs(forSample: $0) }.reversed()
        XCTAssertEqual(forward, Array(backward))
        XCTAssertNotEqual(forward[0], forward[1])
        for case .floats(let v) in forward.flatMap({ $0 }) {
            XCTAssert(v.allSatisfy { $0 >= 1 && $0 <= 2 && Double(Float($0)) == $0 })
        }
    }

    /// Repeated verifications do not grow MPFR's live allocations: every
    /// buffer made by a verification is freed with it. (Counted through GMP's
    /// memory functions, which MPFRBuffer and MPFR itself allocate through.)
    func testVerificationLeaksNoMPFRMemory() async throws {
        fpa_install_counting_allocator()
        let a = try subject(division)
        let verifier = try Verifier(original: a, rewritten: a, config: VerificationConfig(samples: 16))
        for _ in 0..<3 { _ = try await verifier.run() }  // warm per-thread caches
        let before = fpa_live_blocks()
        let allocationsBefore = fpa_total_allocations()
        for _ in 0..<5 { _ = try await verifier.run() }
        XCTAssertGreaterThan(
            fpa_total_allocations(), allocationsBefore, "the counter must see the verification's buffers")
        XCTAssertLessThanOrEqual(fpa_live_blocks(), before)
    }
}
