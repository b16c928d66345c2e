import XCTest
@testable import FPNumerics

final class FloatFormatRoundingTests: XCTestCase {
    func testBF16HandDerivedCases() {
        let bf16 = FloatFormat.bf16
        XCTAssertIdentical(bf16.round(1.00390625), 1.0)          // 1 + 2^-8: tie, to even
        XCTAssertIdentical(bf16.round(1.01171875), 1.015625)     // 1 + 3·2^-8: tie, to even (up)
        XCTAssertIdentical(bf16.round(1.0 + 0x1p-8 + 0x1p-40), 1.0078125)  // just above the tie
        XCTAssertIdentical(bf16.round(-1.00390625), -1.0)
        XCTAssertIdentical(bf16.round(3.3961e38), bf16.maxFinite)  // below maxFinite + half ulp
        XCTAssertIdentical(bf16.round(3.3962e38), .infinity)      // above 2^128 - 2^119
        XCTAssertIdentical(bf16.round(0x1p128 - 0x1p119), .infinity)  // exactly the tie: to even, inf
        XCTAssertIdentical(bf16.round(-3.4e38), -.infinity)
        XCTAssertIdentical(bf16.round(0x1p-133), 0x1p-133)        // smallest subnormal
        XCTAssertIdentical(bf16.round(0x1p-134), 0.0)             // half of it: tie to even zero
        XCTAssertIdentical(bf16.round(0x1.000001p-134), 0x1p-133)
        XCTAssertIdentical(bf16.round(-1e-45), -0.0)
    }

    /// The single-rounding trap: rounding via Float first would give 1.0.
    func testBF16RoundsOnceFromDouble() {
        let x = 1.0 + 0x1p-8 + 0x1p-40
        XCTAssertEqual(Float(x), 1.00390625)  // Float loses the 2^-40, leaving a tie
        XCTAssertIdentical(FloatFormat.bf16.round(x), 1.0078125)
        XCTAssertIdentical(FloatFormat.bf16.roundFromFloat(Float(x)), 1.0)
    }

    /// (input bits, bf16 result bits) computed with exact rational arithmetic
    /// (Python `fractions`), an algorithm independent of the implementation.
    func testBF16AgainstExactRationalReference() {
        let table: [(UInt64, UInt64)] = [
            (0x3FF0100000001000, 0x3FF0200000000000), (0x3FF0100000000000, 0x3FF0000000000000),
            (0x3FF0300000000000, 0x3FF0400000000000), (0xBFF0100000000000, 0xBFF0000000000000),
            (0x47EFEFD0380B51B7, 0x47EFE00000000000), (0x47EFDFECA7A63A17, 0x47EFE00000000000),
            (0x37A0000000000000, 0x37A0000000000000), (0x3790000000000000, 0x0000000000000000),
            (0x379000001AD7F29B, 0x37A0000000000000), (0x37A16C262777579C, 0x37A0000000000000),
            (0xB76BE03D0BF225C7, 0x8000000000000000), (0x380FF00000000000, 0x3810000000000000),
            (0x0000000000000001, 0x0000000000000000), (0x01A56E1FC2F8F359, 0x0000000000000000),
            (0xF2A74DE452E6B438, 0xFFF0000000000000), (0x6513270E269E0D37, 0x7FF0000000000000),
            (0x3D9C172411E20B8F, 0x3D9C200000000000), (0x8D116ECE1738F7D9, 0x8000000000000000),
            (0x39004FBB5953F48C, 0x3900400000000000), (0x43B3BD04D2BCC158, 0x43B3C00000000000),
            (0xBE3CD3875830A12A, 0xBE3CE00000000000), (0xBB6D04CA138BF348, 0xBB6D000000000000),
            (0xBBAAEE15394B34DC, 0xBBAAE00000000000), (0x40C4D4C7C789E870, 0x40C4E00000000000),
            (0x3CBEDA0AB43B6A00, 0x3CBEE00000000000), (0xBD2967890358E204, 0xBD29600000000000),
            (0xB9105546FE70ECA4, 0xB910600000000000), (0x3D907A70C1E840B0, 0x3D90800000000000),
            (0xC45D5F5947453B00, 0xC45D600000000000), (0x4601BE1DC2835F96, 0x4601C00000000000),
            (0x4585E761DD8CD4F0, 0x4585E00000000000), (0xBF01B7AB5B342788, 0xBF01C00000000000),
            (0x3EE2D71D0970298C, 0x3EE2E00000000000), (0xC0BAC2E33367948C, 0xC0BAC00000000000),
        ]
        for (input, expected) in table {
            XCTAssertIdentical(FloatFormat.bf16.round(Double(bitPattern: input)), Double(bitPattern: expected),
                               "input \(String(input, radix: 16))")
        }
    }

    func testF16HandDerivedCases() {
        let f16 = FloatFormat.f16
        XCTAssertIdentical(f16.round(65504), 65504)
        XCTAssertIdentical(f16.round(65519.99), 65504)
        XCTAssertIdentical(f16.round(65520), .infinity)   // 65504 + half ulp (16): tie to even, inf
        XCTAssertIdentical(f16.round(-65520), -.infinity)
        XCTAssertIdentical(f16.round(0x1p-24), 0x1p-24)
        XCTAssertIdentical(f16.round(0x1p-25), 0.0)        // tie between 0 and 2^-24: even is 0
        XCTAssertIdentical(f16.round(0x1.0000000000001p-25), 0x1p-24)
        XCTAssertIdentical(f16.round(1e-6), 17 * 0x1p-24)  // 1e-6 / 2^-24 = 16.78
        XCTAssertIdentical(f16.round(0.1), 0.0999755859375)
        // The double-rounding trap for f16: via Float this would be a tie, giving 1.0.
        XCTAssertIdentical(f16.round(1.0 + 0x1p-11 + 0x1p-40), 1.0 + 0x1p-10)
    }

    func testF32HandDerivedCases() {
        let f32 = FloatFormat.f32
        XCTAssertIdentical(f32.round(0x1p-150), 0.0)
        XCTAssertIdentical(f32.round(0x1.0000000000001p-150), 0x1p-149)
        XCTAssertIdentical(f32.round(-0x1p-150), -0.0)
        XCTAssertIdentical(f32.round(0.1), 0.100000001490116119384765625)
        XCTAssertIdentical(f32.round(0x1.fffffefffffffp127), Double(Float.greatestFiniteMagnitude))
        XCTAssertIdentical(f32.round(0x1.ffffffp127), .infinity)
    }

    func testSpecialValuesPassThroughEveryFormat() {
        for format in FloatFormat.allCases {
            XCTAssertIdentical(format.round(0.0), 0.0, "\(format)")
            XCTAssertIdentical(format.round(-0.0), -0.0, "\(format)")
            XCTAssertIdentical(format.round(.infinity), .infinity, "\(format)")
            XCTAssertIdentical(format.round(-.infinity), -.infinity, "\(format)")
            XCTAssertTrue(format.round(.nan).isNaN, "\(format)")
            XCTAssertTrue(format.roundFromFloat(.nan).isNaN, "\(format)")
            let tinySubnormal = -Double(bitPattern: 2024)  // about -1e-320
            XCTAssertIdentical(format.round(tinySubnormal), format == .f64 ? tinySubnormal : -0.0, "\(format)")
        }
    }

    func testF64IsIdentity() {
        var rng = Xoshiro256StarStar(seed: 5)
        for _ in 0..<1000 {
            let x = Double(bitPattern: rng.next())
            if x.isNaN { continue }
            XCTAssertIdentical(FloatFormat.f64.round(x), x)
        }
    }

    /// The exact bit-level rounding and the hardware conversions are
    /// independent implementations; they must agree everywhere, including
    /// ties, subnormals and overflow.
    func testExactRoundingAgreesWithHardwareConversions() {
        var rng = Xoshiro256StarStar(seed: 99)
        for _ in 0..<50_000 {
            let raw = rng.next()
            // Exponents spread over the interesting range of each format.
            for (format, exponentRange) in [(FloatFormat.f16, -27...17), (.f32, -152...129)] {
                let span = UInt64(exponentRange.count)
                let exponent = exponentRange.lowerBound + Int(raw % span)
                // Sometimes make an exact tie of the target format.
                var significand = 1 + Double(raw >> 12) * 0x1p-52
                if raw & 0x800 != 0 {
                    let scale = Double(sign: .plus, exponent: format.fractionBits, significand: 1)
                    significand = (significand * scale).rounded(.down) / scale + 0.5 / scale
                }
                let x = Double(sign: raw & 0x400 != 0 ? .minus : .plus, exponent: exponent, significand: significand)
                let hardware = format.round(x)
                XCTAssertIdentical(format.roundedExactly(x), hardware, "\(format) x=\(hexBits(x))")
            }
        }
    }

    func testRoundFromFloat() {
        XCTAssertIdentical(FloatFormat.bf16.roundFromFloat(1.01171875), 1.015625)
        XCTAssertIdentical(FloatFormat.bf16.roundFromFloat(Float.greatestFiniteMagnitude), .infinity)
        XCTAssertIdentical(FloatFormat.f16.roundFromFloat(65520), .infinity)
        XCTAssertIdentical(FloatFormat.f16.roundFromFloat(65519), 65504)
        XCTAssertIdentical(FloatFormat.f32.roundFromFloat(0.1), Double(Float(0.1)))
        XCTAssertIdentical(FloatFormat.f64.roundFromFloat(-0.0), -0.0)
    }
}
