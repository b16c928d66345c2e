import FPGraph
import FPNumerics
import XCTest

@testable import FPEval

/// s8/s16/u16/u64 and the 8-bit floats in every evaluator: the integer ops are
/// exact and the same everywhere; the f8 formats round as XLA CPU does in the
/// declared evaluator, and the truth is rounded to them when read.
final class DTypeEvaluatorTests: XCTestCase {
    /// u64 elements are their bit patterns; divide, compare, max and shifts read them unsigned.
    func testU64IsUnsignedInEveryEvaluator() throws {
        let graph = try buildGraph(
            [
                N.parameter("a", 0, .u64, [3]), N.parameter("b", 1, .u64, [3]),
                N.binary("q", .divide, "a", "b"), N.binary("r", .remainder, "a", "b"),
                N.binary("m", .maximum, "a", "b"), N.compare("lt", .lt, "a", "b"),
                N.binary("s", .shiftRightLogical, "a", "b"), N.op("f", .convert, ["a"], dtype: .f32),
                N.op("d", .convert, ["a"], dtype: .f64),
            ], outputs: ["q", "r", "m", "lt", "s", "f", "d"])
        // 2^64 - 1, 2^63 + 2^39 + 1 (f32: 2^63 + 2^40, correctly rounded, not via a double), 7.
        let a: [Int64] = [-1, Int64(bitPattern: 0x8000_0080_0000_0001), 7]
        let b: [Int64] = [2, 1, 0]
        for evaluator in Evaluator.all {
            let out = try evaluator(graph, [.integers(a), .integers(b)])
            assertIntegers(out[0], [Int64(bitPattern: UInt64.max / 2), a[1], -1], "\(evaluator) divide")
            assertIntegers(out[1], [1, 0, 7], "\(evaluator) remainder")
            assertIntegers(out[2], [-1, a[1], 7], "\(evaluator) maximum")
            assertIntegers(out[3], [0, 0, 0], "\(evaluator) lt")
            assertIntegers(out[4], [Int64(bitPattern: UInt64.max >> 2), a[1] >> 1 & Int64.max, 7], "\(evaluator) srl")
            if evaluator.description.contains("declared") {
                assertFloats(out[5], [0x1p64, 0x1.000002p63, 7], "\(evaluator) u64 -> f32")
            }
        }
        // The truth of u64 -> f32 is the exact integer, rounded once to f32 when read.
        let truth = try evaluate(graph, in: MPFRDomain(precision: 200), [.integers(a), .integers(b)])
        XCTAssertEqual(truth.output(5, 1, roundedTo: .f32), 0x1.000002p63)
        XCTAssertEqual(truth.outputDouble(6, 0), 0x1p64)
    }

    /// Float to u64 saturates at 0 and 2^64 - 1 and maps NaN to 0; s8 saturates at its bounds.
    func testFloatToNarrowAndUnsignedIntegersSaturates() throws {
        let graph = try buildGraph(
            [
                N.parameter("x", 0, .f32, [6]), N.op("u", .convert, ["x"], dtype: .u64),
                N.op("s", .convert, ["x"], dtype: .s8), N.op("h", .convert, ["x"], dtype: .u16),
            ], outputs: ["u", "s", "h"])
        let x: [Double] = [.nan, 1e20, -3.7, 0x1p63, 200.9, -200]
        for evaluator in Evaluator.all {
            let out = try evaluator(graph, [.floats(x)])
            assertIntegers(out[0], [0, -1, 0, .min, 200, 0], "\(evaluator) -> u64")
            assertIntegers(out[1], [0, 127, -3, 127, 127, -128], "\(evaluator) -> s8")
            assertIntegers(out[2], [0, 65535, 0, 65535, 200, 0], "\(evaluator) -> u16")
        }
    }

    /// f8e4m3fn has no infinity: 448 + 448 overflows to NaN in the declared evaluator and
    /// in the truth read as f8e4m3fn; double mode keeps 896.
    func testF8ArithmeticOverflowsToNaN() throws {
        let graph = try buildGraph([N.parameter("x", 0, .f8e4m3fn, [2]), N.binary("y", .add, "x", "x")])
        let x: [Double] = [448, 0.1171875]
        assertFloats(try Evaluator.declared(graph, [.floats(x)])[0], [.nan, 0.234375], "declared")
        assertFloats(try Evaluator.double(graph, [.floats(x)])[0], [896, 0.234375], "double")
        let truth = try evaluate(graph, in: MPFRDomain(precision: 200), [.floats(x)])
        XCTAssertTrue(truth.output(0, 0, roundedTo: .f8e4m3fn).isNaN)
        XCTAssertEqual(truth.output(0, 1, roundedTo: .f8e4m3fn), 0.234375)
        guard case .floats(let read) = truth.outputValues()[0] else { return XCTFail("not floats") }
        XCTAssertTrue(read[0].isNaN)
        XCTAssertEqual(read[1], 0.234375)
    }

    /// A u64 start index of 2^63 or more is a huge unsigned number: it clamps to the top, not to 0.
    func testU64StartIndicesClampAsUnsigned() throws {
        let graph = try buildGraph([
            N.parameter("x", 0, .f32, [4]), N.parameter("i", 1, .u64),
            N.op("y", .dynamicSlice(sizes: [2]), ["x", "i"]),
        ])
        for e in Evaluator.all {
            assertFloats(try e(graph, [.floats([1, 2, 3, 4]), .integers([-1])])[0], [3, 4], "\(e) start 2^64 - 1")
            assertFloats(try e(graph, [.floats([1, 2, 3, 4]), .integers([1])])[0], [2, 3], "\(e) start 1")
        }
    }
}
