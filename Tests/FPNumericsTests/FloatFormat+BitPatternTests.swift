import XCTest

@testable import FPNumerics

final class FloatFormatBitPatternTests: XCTestCase {
    func testKnownEncodings() {
        let cases: [(FloatFormat, Double, UInt64)] = [
            (.f16, 1.0, 0x3C00), (.f16, -2.0, 0xC000), (.f16, 65504, 0x7BFF), (.f16, .infinity, 0x7C00),
            (.f16, 0x1p-24, 0x0001), (.f16, 0x1p-14, 0x0400), (.f16, -0.0, 0x8000), (.f16, 0.0, 0x0000),
            (.bf16, 1.0, 0x3F80), (.bf16, -2.0, 0xC000), (.bf16, FloatFormat.bf16.maxFinite, 0x7F7F),
            (.bf16, -.infinity, 0xFF80), (.bf16, 0x1p-133, 0x0001), (.bf16, 1.015625, 0x3F82),
            (.f32, 1.0, 0x3F80_0000), (.f32, 0x1p-149, 0x0000_0001), (.f32, -.infinity, 0xFF80_0000),
            (.f64, 1.0, 0x3FF0_0000_0000_0000), (.f64, -0.0, 0x8000_0000_0000_0000),
            (.f64, 0x1p-1074, 0x1),
        ]
        for (format, value, bits) in cases {
            XCTAssertEqual(format.bitPattern(value), bits, "\(format) \(value)")
            XCTAssertIdentical(format.value(bitPattern: bits), value, "\(format) \(String(bits, radix: 16))")
        }
    }

    func testNaNEncodesAsTheDefaultQuietNaN() {
        XCTAssertEqual(FloatFormat.f16.bitPattern(.nan), 0x7E00)
        XCTAssertEqual(FloatFormat.bf16.bitPattern(.nan), 0x7FC0)
        XCTAssertEqual(FloatFormat.f32.bitPattern(.nan), 0x7FC0_0000)
        XCTAssertEqual(FloatFormat.f64.bitPattern(.nan), 0x7FF8_0000_0000_0000)
        XCTAssertEqual(FloatFormat.bf16.bitPattern(-Double.nan), 0xFFC0)
        // A signalling-style payload in the low bits must not turn into an infinity.
        XCTAssertEqual(FloatFormat.bf16.bitPattern(Double(bitPattern: 0x7FF0_0000_0000_0001)), 0x7FC0)
    }

    func testHighBitsOfThePatternAreIgnored() {
        XCTAssertIdentical(FloatFormat.f16.value(bitPattern: 0xFFFF_0000_0000_3C00), 1.0)
        XCTAssertIdentical(FloatFormat.bf16.value(bitPattern: 0x1_3F80), 1.0)
        XCTAssertIdentical(FloatFormat.f32.value(bitPattern: 0x1_3F80_0000), 1.0)
    }

    /// Every 16-bit pattern decodes to a value that encodes back to itself.
    func testExhaustiveRoundTripOfSixteenBitFormats() {
        for format in [FloatFormat.f16, .bf16] {
            var nanCount = 0
            for bits in UInt64(0)...0xFFFF {
                let value = format.value(bitPattern: bits)
                if value.isNaN {
                    nanCount += 1
                    continue
                }
                XCTAssertTrue(format.isRepresentable(value), "\(format) \(bits)")
                XCTAssertEqual(format.bitPattern(value), bits, "\(format) \(String(bits, radix: 16))")
            }
            // 2 signs × (2^fractionBits - 1) NaN payloads.
            XCTAssertEqual(nanCount, 2 * ((1 << format.fractionBits) - 1), "\(format)")
        }
    }

    func testIsRepresentable() {
        XCTAssertTrue(FloatFormat.f16.isRepresentable(65504))
        XCTAssertFalse(FloatFormat.f16.isRepresentable(65505))
        XCTAssertFalse(FloatFormat.f16.isRepresentable(65536))
        XCTAssertTrue(FloatFormat.f16.isRepresentable(0x1p-24))
        XCTAssertFalse(FloatFormat.f16.isRepresentable(0x1p-25))
        XCTAssertFalse(FloatFormat.f16.isRepresentable(0x1.8p-24))  // between subnormals
        XCTAssertTrue(FloatFormat.bf16.isRepresentable(1.0078125))
        XCTAssertFalse(FloatFormat.bf16.isRepresentable(1.00390625))
        XCTAssertFalse(FloatFormat.f32.isRepresentable(0.1))
        XCTAssertTrue(FloatFormat.f32.isRepresentable(0.5))
        XCTAssertTrue(FloatFormat.f64.isRepresentable(0.1))
        for format in FloatFormat.allCases {
            XCTAssertTrue(format.isRepresentable(.nan), "\(format)")
            XCTAssertEqual(format.isRepresentable(-.infinity), format.hasInfinities, "\(format)")
            XCTAssertTrue(format.isRepresentable(-0.0), "\(format)")  // the fnuz formats round it to +0 == -0
        }
    }
}
