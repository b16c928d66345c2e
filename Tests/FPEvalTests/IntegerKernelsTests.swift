import FPGraph
import FPNumerics
import XCTest

@testable import FPEval

/// Integer and pred arithmetic: wrap-around, XLA's division by zero, and the
/// logical ops, through graphs in every evaluator and directly.
final class IntegerKernelsTests: XCTestCase {
    static let intMin = Int64(Int32.min), intMax = Int64(Int32.max)

    private func binary(_ op: BinaryOp, _ dtype: DType, _ a: [Int64], _ b: [Int64], _ evaluator: Evaluator) throws
        -> Tensor.Elements
    {
        let graph = try buildGraph([
            N.parameter("a", 0, dtype, [a.count]), N.parameter("b", 1, dtype, [b.count]),
            N.binary("y", op, "a", "b"),
        ])
        return try evaluator(graph, [.integers(a), .integers(b)])[0]
    }

    private func unary(_ op: UnaryOp, _ dtype: DType, _ x: [Int64], _ evaluator: Evaluator) throws -> Tensor.Elements {
        let graph = try buildGraph([N.parameter("x", 0, dtype, [x.count]), N.unary("y", op, "x")])
        return try evaluator(graph, [.integers(x)])[0]
    }

    func testS32WrapsOnAddSubtractAndMultiply() throws {
        for e in Evaluator.all {
            assertIntegers(
                try binary(.add, .s32, [Self.intMax, Self.intMin, 5], [1, -1, -7], e),
                [Self.intMin, Self.intMax, -2], "\(e) add")
            assertIntegers(
                try binary(.subtract, .s32, [Self.intMin, Self.intMax], [1, -1], e),
                [Self.intMax, Self.intMin], "\(e) subtract")
            assertIntegers(
                try binary(.multiply, .s32, [65536, 46341, -3, Self.intMin], [65536, 46341, 7, -1], e),
                [0, -2_147_479_015, -21, Self.intMin], "\(e) multiply")
        }
    }

    func testDivisionAndRemainderFollowXLA() throws {
        for e in Evaluator.all {
            assertIntegers(
                try binary(.divide, .s32, [7, -7, 7, -7, 7, Self.intMin, -7, 0], [2, 2, -2, -2, 0, -1, -1, 0], e),
                [3, -3, -3, 3, -1, Self.intMin, 7, -1], "\(e) s32 divide")
            assertIntegers(
                try binary(.remainder, .s32, [7, -7, 7, -7, 7, Self.intMin, -9], [2, 2, -2, -2, 0, -1, 0], e),
                [1, -1, 1, -1, 7, 0, -9], "\(e) s32 remainder")
            assertIntegers(try binary(.divide, .s64, [.min, 5], [-1, 0], e), [.min, -1], "\(e) s64 divide")
            assertIntegers(try binary(.remainder, .s64, [.min, 5], [-1, 0], e), [0, 5], "\(e) s64 remainder")
            assertIntegers(
                try binary(.divide, .u32, [4_294_967_295, 7], [2, 0], e), [2_147_483_647, 4_294_967_295],
                "\(e) u32 divide")
            assertIntegers(try binary(.divide, .u8, [200, 9], [0, 4], e), [255, 2], "\(e) u8 divide")
            assertIntegers(try binary(.remainder, .u8, [200, 9], [0, 4], e), [200, 1], "\(e) u8 remainder")
        }
    }

    func testU8AndU32Wrap() throws {
        for e in Evaluator.all {
            assertIntegers(try binary(.add, .u8, [250, 255], [10, 1], e), [4, 0], "\(e) u8 add")
            assertIntegers(try binary(.subtract, .u8, [3, 0], [5, 1], e), [254, 255], "\(e) u8 subtract")
            assertIntegers(try binary(.multiply, .u8, [16, 15], [17, 17], e), [16, 255], "\(e) u8 multiply")
            assertIntegers(try unary(.neg, .u8, [5, 0], e), [251, 0], "\(e) u8 neg")
            assertIntegers(try unary(.not, .u8, [5, 255], e), [250, 0], "\(e) u8 not")
            assertIntegers(try binary(.add, .u32, [4_294_967_295], [2], e), [1], "\(e) u32 add")
            assertIntegers(
                try binary(.maximum, .u32, [4_294_967_295, 3], [1, 4], e), [4_294_967_295, 4], "\(e) u32 maximum")
        }
    }

    func testPredLogic() throws {
        let a: [Int64] = [0, 0, 1, 1]
        let b: [Int64] = [0, 1, 0, 1]
        for e in Evaluator.all {
            assertIntegers(try binary(.and, .pred, a, b, e), [0, 0, 0, 1], "\(e) and")
            assertIntegers(try binary(.or, .pred, a, b, e), [0, 1, 1, 1], "\(e) or")
            assertIntegers(try binary(.xor, .pred, a, b, e), [0, 1, 1, 0], "\(e) xor")
            assertIntegers(try unary(.not, .pred, a, e), [1, 1, 0, 0], "\(e) not")
        }
    }

    func testBitwiseOpsOnS32() throws {
        for e in Evaluator.all {
            assertIntegers(try binary(.and, .s32, [12, -1], [10, 7], e), [8, 7], "\(e) and")
            assertIntegers(try binary(.or, .s32, [12, Self.intMin], [10, 1], e), [14, Self.intMin + 1], "\(e) or")
            assertIntegers(try binary(.xor, .s32, [12, -1], [10, Self.intMax], e), [6, Self.intMin], "\(e) xor")
            assertIntegers(try unary(.not, .s32, [12, 0, -1], e), [-13, -1, 0], "\(e) not")
        }
    }

    /// XLA's shifts and bit counts, against values computed with numpy and Python ints
    /// (an amount of at least the width, or negative, shifts everything out).
    func testShiftsAndBitCounts() throws {
        let a: [Int64] = [1, -1, 7, -8, 0x4000_0000, Self.intMin, 123_456_789, 5]
        let b: [Int64] = [1, 1, 3, 2, 2, 31, 40, -1]
        for e in Evaluator.all {
            assertIntegers(try binary(.shiftLeft, .s32, a, b, e), [2, -2, 56, -32, 0, 0, 0, 0], "\(e) shl")
            assertIntegers(
                try binary(.shiftRightLogical, .s32, a, b, e),
                [0, 2_147_483_647, 0, 1_073_741_822, 268_435_456, 1, 0, 0], "\(e) shrl")
            assertIntegers(
                try binary(.shiftRightArithmetic, .s32, a, b, e), [0, -1, 0, -2, 268_435_456, -1, 0, 0], "\(e) shra")
            let u: [Int64] = [0x8000_0000, 1, 0xffff_ffff, 3]
            let amounts: [Int64] = [31, 1, 4, 33]
            assertIntegers(
                try binary(.shiftRightArithmetic, .u32, u, amounts, e), [4_294_967_295, 0, 4_294_967_295, 0],
                "\(e) shra u32")
            assertIntegers(try binary(.shiftLeft, .u32, u, amounts, e), [0, 2, 4_294_967_280, 0], "\(e) shl u32")
            assertIntegers(try unary(.popcnt, .s32, a, e), [1, 32, 3, 29, 1, 1, 16, 2], "\(e) popcnt")
            assertIntegers(try unary(.clz, .s32, a, e), [31, 0, 29, 0, 1, 0, 5, 29], "\(e) clz")
            let bytes: [Int64] = [0, 1, 255, 128, 17, 64]
            assertIntegers(try unary(.popcnt, .u8, bytes, e), [0, 1, 8, 1, 2, 1], "\(e) popcnt u8")
            assertIntegers(try unary(.clz, .u8, bytes, e), [8, 7, 0, 0, 3, 1], "\(e) clz u8")
        }
    }

    func testShiftsAndBitCountsRefuseFloatsAndPred() {
        XCTAssertThrowsError(
            try buildGraph([
                N.parameter("a", 0, .f32, [2]), N.parameter("b", 1, .f32, [2]), N.binary("y", .shiftLeft, "a", "b"),
            ]))
        XCTAssertThrowsError(try buildGraph([N.parameter("x", 0, .pred, [2]), N.unary("y", .popcnt, "x")]))
    }

    func testUnaryOpsOnS32() throws {
        for e in Evaluator.all {
            assertIntegers(try unary(.neg, .s32, [5, Self.intMin, 0], e), [-5, Self.intMin, 0], "\(e) neg")
            assertIntegers(try unary(.abs, .s32, [-5, Self.intMin, 7], e), [5, Self.intMin, 7], "\(e) abs")
            assertIntegers(try unary(.sign, .s32, [-7, 0, 9], e), [-1, 0, 1], "\(e) sign")
        }
    }

    func testPowerMaximumMinimum() throws {
        for e in Evaluator.all {
            assertIntegers(
                try binary(.power, .s32, [2, 3, -1, 1, 2, -2, 0], [10, -1, -3, -5, 31, 3, 0], e),
                [1024, 0, -1, 1, Self.intMin, -8, 1], "\(e) power")
            assertIntegers(try binary(.maximum, .s32, [-3, 5], [2, -9], e), [2, 5], "\(e) maximum")
            assertIntegers(try binary(.minimum, .s32, [-3, 5], [2, -9], e), [-3, -9], "\(e) minimum")
        }
    }

    func testCompareSelectAndClampOnIntegers() throws {
        let graph = try buildGraph(
            [
                N.parameter("a", 0, .u32, [3]), N.parameter("b", 1, .u32, [3]),
                N.compare("lt", .lt, "a", "b"), N.compare("eq", .eq, "a", "b"),
                N.op("sel", .select, ["lt", "a", "b"]),
                N.constant("lo", .u32, integers: [2]), N.constant("hi", .u32, integers: [10]),
                N.op("c", .clamp, ["lo", "a", "hi"]),
            ], outputs: ["lt", "eq", "sel", "c"])
        for e in Evaluator.all {
            let out = try e(graph, [.integers([4_294_967_295, 1, 5]), .integers([1, 3, 5])])
            assertIntegers(out[0], [0, 1, 0], "\(e) lt")
            assertIntegers(out[1], [0, 0, 1], "\(e) eq")
            assertIntegers(out[2], [1, 1, 5], "\(e) select(a < b, a, b)")
            assertIntegers(out[3], [10, 2, 5], "\(e) clamp(2, a, 10)")
        }
        // Integer comparisons are exact everywhere: they are not branch records.
        let interpreter = try evaluate(
            graph, in: IEEEDomain(mode: .declared), [.integers([1, 2, 3]), .integers([3, 2, 1])])
        XCTAssertEqual(interpreter.comparisonCount, 0)
    }

    /// Integer inputs wrap to the parameter's dtype on the way in.
    func testInputsWrapToTheParameterDType() throws {
        let graph = try buildGraph([N.parameter("x", 0, .u8, [3]), N.unary("y", .copy, "x")])
        for e in Evaluator.all {
            assertIntegers(try e(graph, [.integers([256, -1, 300])])[0], [0, 255, 44], "\(e)")
        }
    }

    func testKernelsDirectly() {
        XCTAssertEqual(IntegerKernels.apply(.divide, 5, 0, dtype: .s32), -1)
        XCTAssertEqual(IntegerKernels.apply(.divide, 5, 0, dtype: .u8), 255)
        XCTAssertEqual(IntegerKernels.apply(.remainder, -5, 0, dtype: .s32), -5)
        XCTAssertEqual(IntegerKernels.apply(.divide, Self.intMin, -1, dtype: .s32), Self.intMin)
        XCTAssertEqual(IntegerKernels.apply(.multiply, Self.intMax, 2, dtype: .s32), -2)
        XCTAssertEqual(IntegerKernels.apply(.xor, 1, 1, dtype: .pred), 0)
        XCTAssertEqual(IntegerKernels.power(-1, -4), 1)
        XCTAssertEqual(IntegerKernels.power(3, 4), 81)
        XCTAssertEqual(IntegerKernels.power(2, 64), 0, "wraps")
        var y = [Int64](repeating: 9, count: 3)
        IntegerKernels.unary(.not, [0, 1, 1], into: &y, dtype: .pred)
        XCTAssertEqual(y, [1, 0, 0])
        IntegerKernels.binary(.add, [250, 3], 1, [10], 0, into: &y, count: 2, dtype: .u8)
        XCTAssertEqual(Array(y.prefix(2)), [4, 13], "stride 0 broadcasts the scalar operand")
        XCTAssertTrue(IntegerKernels.compare(.ge, 3, 3, dtype: .s32))
        XCTAssertFalse(IntegerKernels.compare(.ne, 3, 3, dtype: .s32))
    }
}
