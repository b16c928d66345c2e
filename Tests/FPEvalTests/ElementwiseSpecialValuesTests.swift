import FPGraph
import FPNumerics
import XCTest

@testable import FPEval

/// Hand-derived special cases, checked in every evaluator and every float dtype.
final class ElementwiseSpecialValuesTests: XCTestCase {
    static let floatDTypes: [DType] = [.f64, .f32, .f16, .bf16]

    private func binary(_ op: BinaryOp, _ dtype: DType, _ a: [Double], _ b: [Double], _ evaluator: Evaluator) throws
        -> Tensor.Elements
    {
        let graph = try buildGraph([
            N.parameter("a", 0, dtype, [a.count]), N.parameter("b", 1, dtype, [b.count]),
            N.binary("y", op, "a", "b"),
        ])
        return try evaluator(graph, [.floats(a), .floats(b)])[0]
    }

    private func unary(_ op: UnaryOp, _ dtype: DType, _ x: [Double], _ evaluator: Evaluator) throws -> Tensor.Elements {
        let graph = try buildGraph([N.parameter("x", 0, dtype, [x.count]), N.unary("y", op, "x")])
        return try evaluator(graph, [.floats(x)])[0]
    }

    func testMaximumAndMinimumPropagateNaNAndOrderSignedZeros() throws {
        let a: [Double] = [.nan, 1, -0.0, 0, .nan, -.infinity]
        let b: [Double] = [1, .nan, 0, -0.0, .nan, -1]
        for dtype in Self.floatDTypes {
            for evaluator in Evaluator.all {
                let context = "\(evaluator) \(dtype.rawValue)"
                assertFloats(
                    try binary(.maximum, dtype, a, b, evaluator), [.nan, .nan, 0, 0, .nan, -1], context + " max")
                assertFloats(
                    try binary(.minimum, dtype, a, b, evaluator), [.nan, .nan, -0.0, -0.0, .nan, -.infinity],
                    context + " min")
            }
        }
    }

    func testSignKeepsSignedZerosAndNaN() throws {
        for dtype in Self.floatDTypes {
            for evaluator in Evaluator.all {
                assertFloats(
                    try unary(.sign, dtype, [-0.0, 0, .nan, -3, 0.25, -.infinity], evaluator),
                    [-0.0, 0, .nan, -1, 1, -1], "\(evaluator) \(dtype.rawValue) sign")
            }
        }
    }

    func testRemainderTakesTheSignOfTheDividend() throws {
        for dtype in Self.floatDTypes {
            for evaluator in Evaluator.all {
                assertFloats(
                    try binary(
                        .remainder, dtype, [5.5, -5.5, 5.5, -5.5, -0.0, -4, 1], [2, 2, -2, -2, 1, 2, 0], evaluator),
                    [1.5, -1.5, 1.5, -1.5, -0.0, -0.0, .nan], "\(evaluator) \(dtype.rawValue) remainder")
            }
        }
    }

    func testPowerOfNegativeBaseWithIntegerExponent() throws {
        for dtype in Self.floatDTypes {
            for evaluator in Evaluator.all {
                assertFloats(
                    try binary(.power, dtype, [-2, -2, -2, -2], [3, 2, -1, 0.5], evaluator), [-8, 4, -0.5, .nan],
                    "\(evaluator) \(dtype.rawValue) power")
            }
        }
    }

    func testRoundNearestEvenBreaksTiesToEven() throws {
        for dtype in Self.floatDTypes {
            for evaluator in Evaluator.all {
                assertFloats(
                    try unary(.roundNearestEven, dtype, [2.5, -2.5, 3.5, 0.5, -0.5, 1.5, 2.25], evaluator),
                    [2, -2, 4, 0, -0.0, 2, 2], "\(evaluator) \(dtype.rawValue) round-nearest-even")
                assertFloats(
                    try unary(.floor, dtype, [-0.5, 2.5, -0.0], evaluator), [-1, 2, -0.0],
                    "\(evaluator) \(dtype.rawValue) floor")
                assertFloats(
                    try unary(.ceil, dtype, [-0.5, 2.5, -0.0], evaluator), [-0.0, 3, -0.0],
                    "\(evaluator) \(dtype.rawValue) ceil")
            }
        }
    }

    /// f16 overflows at 65520: 60000 * 2 is +inf in declared precision, but the
    /// value is kept by double mode and MPFR (it only overflows when rounded to f16).
    func testF16Overflow() throws {
        let a: [Double] = [60000, -60000, 65504, 65504]
        let b: [Double] = [2, 2, 1, 0.5]
        assertFloats(try binary(.multiply, .f16, a, b, .declared), [.infinity, -.infinity, 65504, 32752], "declared")
        for evaluator in [Evaluator.double, .mpfr200] {
            assertFloats(try binary(.multiply, .f16, a, b, evaluator), [120000, -120000, 65504, 32752], "\(evaluator)")
        }
        let sum = try binary(.add, .f16, [65504, 65504], [15, 16], .declared)
        assertFloats(sum, [65504, .infinity], "declared 65504 + 15 rounds down, + 16 is a tie that overflows")
    }

    /// f16 subnormals (spacing 2^-24 below 2^-14) with round-to-nearest-even at the bottom.
    func testF16SubnormalResults() throws {
        let a: [Double] = [0x1p-14, 0x1p-14, 0x1p-14, 0x1p-14, 0x1.8p-14, 0x1p-14]
        let b: [Double] = [0.5, 0x1p-10, 0x1p-11, 0x1.8p-11, 0x1p-10, 0x1.4p-9]
        assertFloats(
            try binary(.multiply, .f16, a, b, .declared),
            [0x1p-15, 0x1p-24, 0, 0x1p-24, 0x1p-23, 0x1p-23], "declared f16")
        assertFloats(
            try binary(.multiply, .f16, a, b, .mpfr200),
            [0x1p-15, 0x1p-24, 0x1p-25, 0x1.8p-25, 0x1.8p-24, 0x1.4p-23], "MPFR keeps the exact products")
        // The same products in f32 and bf16 are normal numbers.
        assertFloats(
            try binary(.multiply, .bf16, a, b, .declared),
            [0x1p-15, 0x1p-24, 0x1p-25, 0x1.8p-25, 0x1.8p-24, 0x1.4p-23], "declared bf16")
        let quotient = try binary(.divide, .f16, [0x1p-14, 1], [3, 0x1p+24], .declared)
        assertFloats(quotient, [0x1.55p-16, 0x1p-24], "declared f16 division into subnormals")
    }

    /// bf16 results are rounded once from the binary32 result (ties to even on
    /// the top 16 bits), so a tie after binary32 rounding goes to even.
    func testBF16RoundsBinary32ResultsToNearestEven() throws {
        // 1 + 2^-8 is a bf16 tie: rounds to 1; 1 + 3*2^-8 rounds up to 1 + 2^-6.
        assertFloats(
            try binary(.add, .bf16, [1, 1, 1, 256], [0x1p-8, 0x1.8p-7, 0x1.0p-7, 1], .declared),
            [1, 0x1.04p+0, 0x1.02p+0, 256], "bf16 add")
        // 1 + 2^-8 + 2^-9 is above the tie: rounds up.
        assertFloats(try binary(.add, .bf16, [1], [0x1.8p-8], .declared), [0x1.02p+0], "bf16 add above tie")
    }
}
