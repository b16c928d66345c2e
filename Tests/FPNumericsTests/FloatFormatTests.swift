import Foundation
import XCTest

@testable import FPNumerics

final class FloatFormatTests: XCTestCase {
    func testLayoutParameters() {
        let expected: [(FloatFormat, precision: Int, exponentBits: Int, bitWidth: Int, emin: Int, emax: Int)] = [
            (.f16, 11, 5, 16, -14, 15),
            (.bf16, 8, 8, 16, -126, 127),
            (.f32, 24, 8, 32, -126, 127),
            (.f64, 53, 11, 64, -1022, 1023),
        ]
        for (format, precision, exponentBits, bitWidth, emin, emax) in expected {
            XCTAssertEqual(format.precision, precision, "\(format)")
            XCTAssertEqual(format.exponentBits, exponentBits, "\(format)")
            XCTAssertEqual(format.bitWidth, bitWidth, "\(format)")
            XCTAssertEqual(format.fractionBits, precision - 1, "\(format)")
            XCTAssertEqual(format.emin, emin, "\(format)")
            XCTAssertEqual(format.emax, emax, "\(format)")
        }
    }

    func testExtremeValuesMatchTheStandardLibrary() {
        XCTAssertEqual(FloatFormat.f16.maxFinite, 65504)
        XCTAssertEqual(FloatFormat.f16.maxFinite, Double(Float16.greatestFiniteMagnitude))
        XCTAssertEqual(FloatFormat.f16.minNormal, Double(Float16.leastNormalMagnitude))
        XCTAssertEqual(FloatFormat.f16.minSubnormal, 5.9604644775390625e-08)  // 2^-24
        XCTAssertEqual(FloatFormat.f16.minSubnormal, Double(Float16.leastNonzeroMagnitude))

        // bf16: 0x7F7F = (2 - 2^-7) * 2^127.
        XCTAssertEqual(FloatFormat.bf16.maxFinite, 3.3895313892515355e38)
        XCTAssertEqual(FloatFormat.bf16.minNormal, Double(Float.leastNormalMagnitude))
        XCTAssertEqual(FloatFormat.bf16.minSubnormal, 0x1p-133)

        XCTAssertEqual(FloatFormat.f32.maxFinite, Double(Float.greatestFiniteMagnitude))
        XCTAssertEqual(FloatFormat.f32.minNormal, Double(Float.leastNormalMagnitude))
        XCTAssertEqual(FloatFormat.f32.minSubnormal, Double(Float.leastNonzeroMagnitude))

        XCTAssertEqual(FloatFormat.f64.maxFinite, Double.greatestFiniteMagnitude)
        XCTAssertEqual(FloatFormat.f64.minNormal, Double.leastNormalMagnitude)
        XCTAssertEqual(FloatFormat.f64.minSubnormal, Double.leastNonzeroMagnitude)
    }

    func testNamesShortLongAndCaseInsensitive() {
        let spellings: [(String, FloatFormat)] = [
            ("f16", .f16), ("float16", .f16), ("F16", .f16),
            ("bf16", .bf16), ("bfloat16", .bf16), (" BFloat16 ", .bf16),
            ("f32", .f32), ("float32", .f32),
            ("f64", .f64), ("Float64", .f64),
        ]
        for (name, format) in spellings {
            XCTAssertEqual(FloatFormat(name: name), format, name)
        }
        for bad in ["", "f8", "float", "double", "half", "f 16", "bf16x"] {
            XCTAssertNil(FloatFormat(name: bad), bad)
        }
    }

    func testCodableUsesTheShortName() throws {
        let data = try JSONEncoder().encode([FloatFormat.bf16, .f64])
        XCTAssertEqual(String(decoding: data, as: UTF8.self), #"["bf16","f64"]"#)
        XCTAssertEqual(try JSONDecoder().decode([FloatFormat].self, from: Data(#"["f16","f32"]"#.utf8)), [.f16, .f32])
        XCTAssertThrowsError(try JSONDecoder().decode([FloatFormat].self, from: Data(#"["float16"]"#.utf8)))
    }
}
