import FPGraph
import XCTest

@testable import FPEval

/// `bitcast-convert` against numpy's `view` (values computed with numpy).
final class BitcastConvertTests: XCTestCase {
    func run(_ from: DType, _ to: DType, _ x: Tensor.Elements, _ e: Evaluator) throws -> Tensor.Elements {
        let g = try buildGraph([
            N.parameter("x", 0, from, [x.count]), N.op("y", .bitcastConvert, ["x"], dtype: to),
        ])
        return try e.run(g, [x], .sequential)[0]
    }

    func testFloatBitsAsIntegersAndBack() throws {
        let floats: [Double] = [1, -0.0, Double(Float(0.1)), .infinity, .nan, 0x1p-149, -2.5]
        for e in Evaluator.all {
            XCTAssertEqual(
                try run(.f32, .s32, .floats(floats), e),
                .integers([
                    1_065_353_216, -2_147_483_648, 1_036_831_949, 2_139_095_040, 2_143_289_344, 1, -1_071_644_672,
                ]),
                "\(e)")
            XCTAssertEqual(
                try run(.f32, .u32, .floats(floats), e),
                .integers([1_065_353_216, 2_147_483_648, 1_036_831_949, 2_139_095_040, 2_143_289_344, 1, 3_223_322_624]
                ),
                "\(e)")
            XCTAssertEqual(
                try run(.f64, .s64, .floats([1, -2]), e),
                .integers([4_607_182_418_800_017_408, -4_611_686_018_427_387_904]), "\(e)")
            XCTAssertEqual(try run(.s32, .u32, .integers([-1, 5]), e), .integers([4_294_967_295, 5]), "\(e)")
            guard
                case .floats(let back) = try run(.u32, .f32, .integers([0x3f80_0000, 0x8000_0000, 0x7f80_0000, 1]), e)
            else { return XCTFail("\(e): floats expected") }
            XCTAssertEqual(back.map(\.bitPattern), [1, -0.0, .infinity, 0x1p-149].map(\.bitPattern), "\(e)")
        }
    }

    /// Between widths the minor dimension of the wider side holds width ratio elements
    /// (XLA): f32[2] -> s64 needs f32[..., 2] and gives s64[]; pred is never accepted.
    func testWidthChangesUseTheMinorDimension() throws {
        XCTAssertThrowsError(
            try buildGraph([N.parameter("x", 0, .f32, [3]), N.op("y", .bitcastConvert, ["x"], dtype: .s64)])
        ) { error in
            XCTAssertTrue("\(error)".contains("needs a minor dimension of 2"), "\(error)")
        }
        XCTAssertThrowsError(
            try buildGraph([N.parameter("x", 0, .pred, [2]), N.op("y", .bitcastConvert, ["x"], dtype: .u8)])
        ) { error in
            XCTAssertTrue("\(error)".contains("bitcast-convert from pred to u8 is not supported"), "\(error)")
        }
        let widen = try buildGraph([N.parameter("x", 0, .u32, [2, 2]), N.op("y", .bitcastConvert, ["x"], dtype: .u64)])
        let narrow = try buildGraph([N.parameter("x", 0, .u64, [1]), N.op("y", .bitcastConvert, ["x"], dtype: .u16)])
        let half = try buildGraph([N.parameter("x", 0, .u16, [2]), N.op("y", .bitcastConvert, ["x"], dtype: .f32)])
        for e in Evaluator.all {
            XCTAssertEqual(
                try e(widen, [.integers([1, 2, 0xffff_ffff, 0xffff_ffff])]),
                [.integers([0x2_0000_0001, -1])], "\(e): little-endian, first element low")
            XCTAssertEqual(
                try e(narrow, [.integers([0x0004_0003_0002_0001])]), [.integers([1, 2, 3, 4])], "\(e)")
            XCTAssertEqual(try e(half, [.integers([0, 0x3f80])]), [.floats([1])], "\(e)")
        }
    }
}
