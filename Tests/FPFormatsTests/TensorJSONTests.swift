import FPFormats
import FPGraph
import FPNumerics
import XCTest
import _TestSupport

/// Constant values: layouts (scalar, splat, flat, nested), rounding to the dtype, integer and pred forms.
final class TensorJSONTests: XCTestCase {
    func testLayouts() throws {
        let flat = try constant(#""dtype": "f32", "shape": [2, 3], "value": [1, 2, 3, 4, 5, 6]"#)
        let nested = try constant(#""dtype": "f32", "shape": [2, 3], "value": [[1, 2, 3], [4, 5, 6]]"#)
        let inferred = try constant(#""dtype": "f32", "value": [[1, 2, 3], [4, 5, 6]]"#)
        XCTAssertEqual(flat, nested)
        XCTAssertEqual(flat, inferred)
        XCTAssertEqual(flat.type, ArrayType(.f32, [2, 3]))
        XCTAssertEqual(flat.elements, .floats([1, 2, 3, 4, 5, 6]))
        XCTAssertEqual(try constant(#""dtype": "f32", "value": [7, 8]"#).type, ArrayType(.f32, [2]))
        XCTAssertEqual(try constant(#""dtype": "f32", "value": 7"#).type, ArrayType(.f32, []))
        XCTAssertEqual(try constant(#""dtype": "f32", "shape": [], "value": [7]"#).elements, .floats([7]))
        let splat = try constant(#""dtype": "s32", "shape": [2, 2], "value": -3"#)
        XCTAssertEqual(splat.elements, .integers([-3, -3, -3, -3]))
        XCTAssertEqual(try constant(#""dtype": "f64", "shape": [0, 3], "value": []"#).type, ArrayType(.f64, [0, 3]))
        XCTAssertEqual(try constant(#""dtype": "f64", "value": [[], []]"#).type, ArrayType(.f64, [2, 0]))
    }

    func testFloatTextRoundsToTheDType() throws {
        let f32 = try constant(
            #""dtype": "f32", "value": [0.1, "0.1", "0x1.99999ap-4", "-0", "inf", "-inf", "nan", 1e-50, "0x1p-149"]"#)
        guard case .floats(let v) = f32.elements else { return XCTFail("not floats") }
        XCTAssertEqual(v[0], Double(Float(0.1)))
        XCTAssertEqual(v[1], Double(Float(0.1)))
        XCTAssertEqual(v[2], Double(Float(0.1)))
        XCTAssertEqual(v[3].bitPattern, (-0.0).bitPattern)
        XCTAssertEqual(v[4], .infinity)
        XCTAssertEqual(v[5], -.infinity)
        XCTAssertTrue(v[6].isNaN)
        XCTAssertEqual(v[7].bitPattern, (0.0).bitPattern, "underflow rounds to +0")
        XCTAssertEqual(v[8], 0x1p-149)

        let f16 = try constant(#""dtype": "f16", "value": [65504, 65519, 0.1, "0x1p-24"]"#)
        XCTAssertEqual(f16.elements, .floats([65504, 65504, Double(Float16(0.1)), 0x1p-24]))
        // bf16 rounds once from the double (1 + 2^-8 + 2^-30 is above the tie, so it rounds up).
        let bf16 = try constant(#""dtype": "bf16", "value": ["0x1.01000004p+0", "0x1.01p+0"]"#)
        XCTAssertEqual(bf16.elements, .floats([0x1.02p+0, 0x1p+0]))
        // f64 keeps the nearest double.
        XCTAssertEqual(try constant(#""dtype": "f64", "value": 0.1"#).elements, .floats([0.1]))
    }

    func testIntegerAndPredForms() throws {
        XCTAssertEqual(
            try constant(#""dtype": "s32", "value": [1, "2", 3.0, 4e1, "-2147483648"]"#).elements,
            .integers([1, 2, 3, 40, -2_147_483_648]))
        XCTAssertEqual(try constant(#""dtype": "u32", "value": 4294967295"#).elements, .integers([4_294_967_295]))
        XCTAssertEqual(
            try constant(#""dtype": "s64", "value": [-9223372036854775808, 9223372036854775807]"#).elements,
            .integers([.min, .max]))
        XCTAssertEqual(try constant(#""dtype": "u8", "value": [0, 255]"#).elements, .integers([0, 255]))
        XCTAssertEqual(
            try constant(#""dtype": "pred", "value": [true, false, 1, 0, "true", "false"]"#).elements,
            .integers([1, 0, 1, 0, 1, 0]))
        XCTAssertNotNil(thrownError { _ = try constant(#""dtype": "u8", "value": -1"#) })
        XCTAssertNotNil(thrownError { _ = try constant(#""dtype": "u32", "value": 4294967296"#) })
        XCTAssertNotNil(thrownError { _ = try constant(#""dtype": "s32", "value": 2147483648"#) })
        XCTAssertNotNil(thrownError { _ = try constant(#""dtype": "s32", "value": "inf"#) })
        XCTAssertNotNil(thrownError { _ = try constant(#""dtype": "s64", "value": true"#) })
    }
}
