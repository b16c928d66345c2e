import FPGraph
import FPNumerics
import XCTest

@testable import FPEval

/// `rng-bit-generator` is an exact integer op: every evaluator gives FPNumerics'
/// generator's state and bits (checked against XLA CPU in `Fixtures/ops/rng_*`).
final class RandomBitGeneratorEvaluatorTests: XCTestCase {
    func testEveryEvaluatorGivesTheGeneratorsBits() throws {
        for algorithm in RandomBitAlgorithm.allCases {
            for dtype in [DType.u32, .u64, .u8, .f32] {
                let output = ArrayType(dtype, [2, 3])
                let graph = try buildGraph(
                    [
                        N.parameter("s", 0, .u64, [2]),
                        N.op("r", .rngBitGenerator(algorithm: algorithm, output: output), ["s"]),
                        N.op("state", .getTupleElement(index: 0), ["r"]),
                        N.op("bits", .getTupleElement(index: 1), ["r"]),
                    ], outputs: ["state", "bits"])
                let state: [UInt64] = [0x1234_5678_9abc_def0, UInt64.max]
                let want = try RandomBitGenerator.generate(
                    algorithm, state: state, bitWidth: dtype.bitWidth, shape: [2, 3])
                for e in Evaluator.all {
                    let out = try e(graph, [.integers(state.map { Int64(bitPattern: $0) })])
                    XCTAssertEqual(out[0], .integers(want.state.map { Int64(bitPattern: $0) }), "\(e) \(algorithm)")
                    if dtype.isFloatingPoint {
                        guard case .floats(let got) = out[1] else { return XCTFail("floats expected") }
                        let expected = want.bits.map { FloatFormat.f32.value(bitPattern: $0) }
                        for (g, w) in zip(got, expected) where !(g.isNaN && w.isNaN) {
                            XCTAssertEqual(g.bitPattern, w.bitPattern, "\(e) \(algorithm) \(dtype)")
                        }
                    } else {
                        XCTAssertEqual(
                            out[1], .integers(want.bits.map { dtype.wrap(Int64(bitPattern: $0)) }),
                            "\(e) \(algorithm) \(dtype)")
                    }
                }
            }
        }
    }
}
