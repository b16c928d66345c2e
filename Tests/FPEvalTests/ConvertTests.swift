import FPGraph
import FPNumerics
import XCTest

@testable import FPEval

/// `convert` between every kind of dtype, and `reduce-precision`, in every evaluator.
final class ConvertTests: XCTestCase {
    private func convertGraph(_ from: DType, _ to: DType, count: Int) throws -> Graph {
        try buildGraph([N.parameter("x", 0, from, [count]), N.op("y", .convert, ["x"], dtype: to)])
    }

    // MARK: Float to float

    /// f32 -> bf16 -> f32 rounds in declared precision; double mode and MPFR
    /// compute the real function, where converts are the identity.
    func testRoundTripThroughBF16() throws {
        let graph = try buildGraph([
            N.parameter("x", 0, .f32), N.op("b", .convert, ["x"], dtype: .bf16),
            N.op("y", .convert, ["b"], dtype: .f32),
        ])
        let x = 1.0078125 + 0x1p-20
        assertFloats(try Evaluator.declared(graph, [.floats([x])])[0], [1.0078125], "declared")
        assertFloats(try Evaluator.double(graph, [.floats([x])])[0], [x], "double")
        assertFloats(try Evaluator.mpfr200(graph, [.floats([x])])[0], [x], "mpfr")
    }

    /// Narrowing rounds once, directly from the source value: rounding
    /// 1 + 2^-8 + 2^-30 (bf16) or 1 + 2^-11 + 2^-40 (f16) through binary32
    /// would make a tie (and give 1).
    func testNarrowingFromF64HasNoDoubleRounding() throws {
        let x: [Double] = [1 + 0x1p-8 + 0x1p-30, 1 + 0x1p-11 + 0x1p-40, -(1 + 0x1p-8 + 0x1p-30)]
        let bf16 = try Evaluator.declared(try convertGraph(.f64, .bf16, count: 3), [.floats(x)])
        assertFloats(bf16[0], [0x1.02p+0, 1, -0x1.02p+0], "f64 -> bf16")
        let f16 = try Evaluator.declared(try convertGraph(.f64, .f16, count: 3), [.floats(x)])
        assertFloats(f16[0], [0x1.01p+0, 0x1.004p+0, -0x1.01p+0], "f64 -> f16")
        // The MPFR truth is rounded the same way when an output is read.
        let truth = try evaluate(
            try buildGraph([N.parameter("x", 0, .f64, [3]), N.unary("y", .copy, "x")]),
            in: MPFRDomain(precision: 200), [.floats(x)])
        assertSameFloats(
            (0..<3).map { truth.output(0, $0, roundedTo: .bf16) }, [0x1.02p+0, 1, -0x1.02p+0], "mpfr read as bf16")
        assertSameFloats(
            (0..<3).map { truth.output(0, $0, roundedTo: .f16) }, [0x1.01p+0, 0x1.004p+0, -0x1.01p+0],
            "mpfr read as f16")
    }

    func testFloatConversionsInDeclaredMode() throws {
        let x: [Double] = [0.1, 70000, 0x1.fffffep127, -0.0, .nan, -.infinity, 0x1p-20 + 0x1p-30, 0x1p-25]
        let f32 = try Evaluator.declared(try convertGraph(.f64, .f32, count: x.count), [.floats(x)])
        assertFloats(
            f32[0], [Double(Float(0.1)), 70000, 0x1.fffffep127, -0.0, .nan, -.infinity, 0x1p-20 + 0x1p-30, 0x1p-25],
            "f64 -> f32")
        let f16 = try Evaluator.declared(try convertGraph(.f64, .f16, count: x.count), [.floats(x)])
        assertFloats(f16[0], [0x1.998p-4, .infinity, .infinity, -0.0, .nan, -.infinity, 0x1p-20, 0], "f64 -> f16")
        let bf16 = try Evaluator.declared(try convertGraph(.f64, .bf16, count: x.count), [.floats(x)])
        assertFloats(
            bf16[0], [0x1.9ap-4, 0x1.12p+16, .infinity, -0.0, .nan, -.infinity, 0x1p-20, 0x1p-25], "f64 -> bf16")
        // Widening is exact.
        let h: [Double] = [0x1p-24, 65504, -0x1.554p-2]
        let widened = try Evaluator.declared(try convertGraph(.f16, .f64, count: 3), [.floats(h)])
        assertFloats(widened[0], h, "f16 -> f64")
        let bf16ToF16 = try Evaluator.declared(
            try convertGraph(.bf16, .f16, count: 2), [.floats([0x1.fep+127, 0x1.02p+0])])
        assertFloats(bf16ToF16[0], [.infinity, 0x1.02p+0], "bf16 -> f16")
    }

    func testFloatConversionsAreTheIdentityInDoubleModeAndMPFR() throws {
        let x: [Double] = [0.1, 70000, 0x1p-30, -0.0]
        for evaluator in [Evaluator.double, .mpfr200] {
            for target in [DType.f32, .f16, .bf16] {
                let out = try evaluator(try convertGraph(.f64, target, count: x.count), [.floats(x)])
                assertFloats(out[0], x, "\(evaluator) f64 -> \(target.rawValue)")
            }
        }
    }

    // MARK: reduce-precision

    func testReducePrecisionRoundsLikeBF16OnNormalsInDeclaredMode() throws {
        let x: [Double] = [
            0x1.018p+0, 0x1.01p+0, 0x1.03p+0, 0x1.921fb54442d18p+1, -0x1.5555555555555p-100,
            0x1.ffp+127, 0x1p-127, -0x1.ffp-127, .nan, -.infinity, -0.0,
        ]
        let graph = try buildGraph(
            [
                N.parameter("x", 0, .f64, [x.count]),
                N.op("y", .reducePrecision(exponentBits: 8, mantissaBits: 7), ["x"]),
                N.op("b", .convert, ["x"], dtype: .bf16),
            ], outputs: ["y", "b"])
        let out = try Evaluator.declared(graph, [.floats(x)])
        // Normal results: identical to bf16 rounding. Below 2^-126 reduce-precision
        // flushes to zero (no subnormals) where bf16 keeps a subnormal; 0x1.ffp-127
        // rounds up to the smallest normal and survives.
        assertFloats(
            out[0],
            [
                0x1.02p+0, 1, 0x1.04p+0, 0x1.92p+1, -0x1.56p-100, .infinity, 0, -0x1p-126,
                .nan, -.infinity, -0.0,
            ], "reduce-precision(8, 7)")
        assertFloats(
            out[1],
            [
                0x1.02p+0, 1, 0x1.04p+0, 0x1.92p+1, -0x1.56p-100, .infinity, 0x1p-127, -0x1p-126,
                .nan, -.infinity, -0.0,
            ], "convert to bf16")
        for evaluator in [Evaluator.double, .mpfr200] {
            let identity = try evaluator(graph, [.floats(x)])
            assertFloats(identity[0], x, "\(evaluator) reduce-precision is the identity")
        }
    }

    func testReducePrecisionToHalfRange() throws {
        let x: [Double] = [65519, 65520, 1 + 0x1p-11, 1 + 0x1.8p-11, 0x1p-15]
        let graph = try buildGraph([
            N.parameter("x", 0, .f64, [x.count]),
            N.op("y", .reducePrecision(exponentBits: 5, mantissaBits: 10), ["x"]),
        ])
        assertFloats(
            try Evaluator.declared(graph, [.floats(x)])[0], [65504, .infinity, 1, 1 + 0x1p-10, 0],
            "reduce-precision(5, 10)")
    }

    // MARK: Float to integer

    func testFloatToIntegerTruncatesSaturatesAndMapsNaNToZero() throws {
        let x: [Double] = [2.75, -2.75, -0.5, 3e9, -3e9, .nan, .infinity, -.infinity, 2_147_483_520]
        let toS32 = try convertGraph(.f32, .s32, count: x.count)
        let u: [Double] = [255.75, 256, -1, 1.5, .nan, 4294967295.5, 5e9]
        let toU8 = try convertGraph(.f64, .u8, count: u.count)
        let toU32 = try convertGraph(.f64, .u32, count: u.count)
        let s: [Double] = [9.3e18, -9.3e18, 1e19, 0x1p62, -0x1p63, -1.5]
        let toS64 = try convertGraph(.f64, .s64, count: s.count)
        let p: [Double] = [0, -0.0, 0.5, .nan, -.infinity, 1e-300]
        let toPred = try convertGraph(.f64, .pred, count: p.count)
        for evaluator in Evaluator.all {
            assertIntegers(
                try evaluator(toS32, [.floats(x.map { Double(Float($0)) })])[0],
                [2, -2, 0, 2_147_483_647, -2_147_483_648, 0, 2_147_483_647, -2_147_483_648, 2_147_483_520],
                "\(evaluator) -> s32")
            assertIntegers(try evaluator(toU8, [.floats(u)])[0], [255, 255, 0, 1, 0, 255, 255], "\(evaluator) -> u8")
            assertIntegers(
                try evaluator(toU32, [.floats(u)])[0], [255, 256, 0, 1, 0, 4_294_967_295, 4_294_967_295],
                "\(evaluator) -> u32")
            assertIntegers(
                try evaluator(toS64, [.floats(s)])[0], [.max, .min, .max, 1 << 62, .min, -1], "\(evaluator) -> s64")
            assertIntegers(try evaluator(toPred, [.floats(p)])[0], [0, 0, 1, 1, 1, 1], "\(evaluator) -> pred")
        }
    }

    // MARK: Integer to float

    func testIntegerToNarrowFloatRoundsToNearestEven() throws {
        let v: [Int64] = [2049, 2051, 4097, 65519, 65520, -2049, 70000, 2048]
        let out = try Evaluator.declared(try convertGraph(.s32, .f16, count: v.count), [.integers(v)])
        assertFloats(out[0], [2048, 2052, 4096, 65504, .infinity, -2048, .infinity, 2048], "declared s32 -> f16")
        let b: [Int64] = [257, 259, 16_777_217, -257, 255]
        let bf16 = try Evaluator.declared(try convertGraph(.s32, .bf16, count: b.count), [.integers(b)])
        assertFloats(bf16[0], [256, 260, 16_777_216, -256, 255], "declared s32 -> bf16")
        let f: [Int64] = [16_777_217, 16_777_219, -16_777_217, Int64(Int32.max)]
        let f32 = try Evaluator.declared(try convertGraph(.s32, .f32, count: f.count), [.integers(f)])
        assertFloats(f32[0], [16_777_216, 16_777_220, -16_777_216, 2_147_483_648], "declared s32 -> f32")
        // Double mode and MPFR keep the integer.
        for evaluator in [Evaluator.double, .mpfr200] {
            let kept = try evaluator(try convertGraph(.s32, .f16, count: v.count), [.integers(v)])
            assertFloats(kept[0], v.map(Double.init), "\(evaluator) s32 -> f16 keeps the integer")
        }
    }

    /// Large s64 values round once to the narrow format (not through binary64,
    /// which would turn 2^60 + 2^36 + 1 into the tie 2^60 + 2^36).
    func testS64ToNarrowFloatRoundsOnce() throws {
        let v: [Int64] = [
            (1 << 60) + (1 << 36) + 1, (1 << 62) + (1 << 54) + 1, (1 << 53) + 1, -((1 << 60) + (1 << 36) + 1),
            .max, .min,
        ]
        let f32 = try Evaluator.declared(try convertGraph(.s64, .f32, count: v.count), [.integers(v)])
        assertFloats(f32[0], [0x1.000002p+60, 0x1.01p+62, 0x1p+53, -0x1.000002p+60, 0x1p+63, -0x1p+63], "s64 -> f32")
        let bf16 = try Evaluator.declared(try convertGraph(.s64, .bf16, count: v.count), [.integers(v)])
        assertFloats(bf16[0], [0x1p+60, 0x1.02p+62, 0x1p+53, -0x1p+60, 0x1p+63, -0x1p+63], "s64 -> bf16")
        let f64 = try Evaluator.declared(try convertGraph(.s64, .f64, count: v.count), [.integers(v)])
        assertFloats(f64[0], [0x1.000001p+60, 0x1.01p+62, 0x1p+53, -0x1.000001p+60, 0x1p+63, -0x1p+63], "s64 -> f64")
        let truth = try evaluate(
            try convertGraph(.s64, .f32, count: v.count), in: MPFRDomain(precision: 200), [.integers(v)])
        assertFloats(
            truth.outputValues()[0], [0x1.000002p+60, 0x1.01p+62, 0x1p+53, -0x1.000002p+60, 0x1p+63, -0x1p+63],
            "mpfr s64 read as f32")
    }

    // MARK: Integer to integer and pred

    func testIntegerConversionsWrap() throws {
        for evaluator in Evaluator.all {
            assertIntegers(
                try evaluator(try convertGraph(.s32, .u8, count: 4), [.integers([300, -1, 255, -256])])[0],
                [44, 255, 255, 0], "\(evaluator) s32 -> u8")
            assertIntegers(
                try evaluator(try convertGraph(.u32, .s32, count: 2), [.integers([4_294_967_295, 2_147_483_648])])[0],
                [-1, -2_147_483_648], "\(evaluator) u32 -> s32")
            assertIntegers(
                try evaluator(try convertGraph(.s64, .s32, count: 2), [.integers([(1 << 32) + 5, -(1 << 31) - 1])])[0],
                [5, 2_147_483_647], "\(evaluator) s64 -> s32")
            assertIntegers(
                try evaluator(try convertGraph(.s32, .pred, count: 3), [.integers([0, -7, 1])])[0],
                [0, 1, 1], "\(evaluator) s32 -> pred")
            assertIntegers(
                try evaluator(try convertGraph(.pred, .s32, count: 2), [.integers([1, 0])])[0],
                [1, 0], "\(evaluator) pred -> s32")
            assertFloats(
                try evaluator(try convertGraph(.pred, .f32, count: 2), [.integers([1, 0])])[0],
                [1, 0], "\(evaluator) pred -> f32")
            assertFloats(
                try evaluator(try convertGraph(.u8, .f16, count: 2), [.integers([255, 7])])[0],
                [255, 7], "\(evaluator) u8 -> f16")
        }
    }
}
