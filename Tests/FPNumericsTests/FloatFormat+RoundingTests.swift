import XCTest

@testable import FPNumerics

final class FloatFormatRoundingTests: XCTestCase {
    func testBF16HandDerivedCases() {
        let bf16 = FloatFormat.bf16
        XCTAssertIdentical(bf16.round(1.00390625), 1.0)  // 1 + 2^-8: tie, to even
        XCTAssertIdentical(bf16.round(1.01171875), 1.015625)  // 1 + 3·2^-8: tie, to even (up)
        XCTAssertIdentical(bf16.round(1.0 + 0x1p-8 + 0x1p-40), 1.0078125)  // just above the tie
        XCTAssertIdentical(bf16.round(-1.00390625), -1.0)
        XCTAssertIdentical(bf16.round(3.3961e38), bf16.maxFinite)  // below maxFinite + half ulp
        XCTAssertIdentical(bf16.round(3.3962e38), .infinity)  // above 2^128 - 2^119
        XCTAssertIdentical(bf16.round(0x1p128 - 0x1p119), .infinity)  // exactly the tie: to even, inf
        XCTAssertIdentical(bf16.round(-3.4e38), -.infinity)
        XCTAssertIdentical(bf16.round(0x1p-133), 0x1p-133)  // smallest subnormal
        XCTAssertIdentical(bf16.round(0x1p-134), 0.0)  // half of it: tie to even zero
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
            (0x3FF0_1000_0000_1000, 0x3FF0_2000_0000_0000), (0x3FF0_1000_0000_0000, 0x3FF0_0000_0000_0000),
            (0x3FF0_3000_0000_0000, 0x3FF0_4000_0000_0000), (0xBFF0_1000_0000_0000, 0xBFF0_0000_0000_0000),
            (0x47EF_EFD0_380B_51B7, 0x47EF_E000_0000_0000), (0x47EF_DFEC_A7A6_3A17, 0x47EF_E000_0000_0000),
            (0x37A0_0000_0000_0000, 0x37A0_0000_0000_0000), (0x3790_0000_0000_0000, 0x0000_0000_0000_0000),
            (0x3790_0000_1AD7_F29B, 0x37A0_0000_0000_0000), (0x37A1_6C26_2777_579C, 0x37A0_0000_0000_0000),
            (0xB76B_E03D_0BF2_25C7, 0x8000_0000_0000_0000), (0x380F_F000_0000_0000, 0x3810_0000_0000_0000),
            (0x0000_0000_0000_0001, 0x0000_0000_0000_0000), (0x01A5_6E1F_C2F8_F359, 0x0000_0000_0000_0000),
            (0xF2A7_4DE4_52E6_B438, 0xFFF0_0000_0000_0000), (0x6513_270E_269E_0D37, 0x7FF0_0000_0000_0000),
            (0x3D9C_1724_11E2_0B8F, 0x3D9C_2000_0000_0000), (0x8D11_6ECE_1738_F7D9, 0x8000_0000_0000_0000),
            (0x3900_4FBB_5953_F48C, 0x3900_4000_0000_0000), (0x43B3_BD04_D2BC_C158, 0x43B3_C000_0000_0000),
            (0xBE3C_D387_5830_A12A, 0xBE3C_E000_0000_0000), (0xBB6D_04CA_138B_F348, 0xBB6D_0000_0000_0000),
            (0xBBAA_EE15_394B_34DC, 0xBBAA_E000_0000_0000), (0x40C4_D4C7_C789_E870, 0x40C4_E000_0000_0000),
            (0x3CBE_DA0A_B43B_6A00, 0x3CBE_E000_0000_0000), (0xBD29_6789_0358_E204, 0xBD29_6000_0000_0000),
            (0xB910_5546_FE70_ECA4, 0xB910_6000_0000_0000), (0x3D90_7A70_C1E8_40B0, 0x3D90_8000_0000_0000),
            (0xC45D_5F59_4745_3B00, 0xC45D_6000_0000_0000), (0x4601_BE1D_C283_5F96, 0x4601_C000_0000_0000),
            (0x4585_E761_DD8C_D4F0, 0x4585_E000_0000_0000), (0xBF01_B7AB_5B34_2788, 0xBF01_C000_0000_0000),
            (0x3EE2_D71D_0970_298C, 0x3EE2_E000_0000_0000), (0xC0BA_C2E3_3367_948C, 0xC0BA_C000_0000_0000),
        ]
        for (input, expected) in table {
            XCTAssertIdentical(
                FloatFormat.bf16.round(Double(bitPattern: input)), Double(bitPattern: expected),
                "input \(String(input, radix: 16))")
        }
    }

    func testF16HandDerivedCases() {
        let f16 = FloatFormat.f16
        XCTAssertIdentical(f16.round(65504), 65504)
        XCTAssertIdentical(f16.round(65519.99), 65504)
        XCTAssertIdentical(f16.round(65520), .infinity)  // 65504 + half ulp (16): tie to even, inf
        XCTAssertIdentical(f16.round(-65520), -.infinity)
        XCTAssertIdentical(f16.round(0x1p-24), 0x1p-24)
        XCTAssertIdentical(f16.round(0x1p-25), 0.0)  // tie between 0 and 2^-24: even is 0
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
            let negativeZero = format.hasNegativeZero ? -0.0 : 0.0
            XCTAssertIdentical(format.round(0.0), 0.0, "\(format)")
            XCTAssertIdentical(format.round(-0.0), negativeZero, "\(format)")
            if format.hasInfinities {
                XCTAssertIdentical(format.round(.infinity), .infinity, "\(format)")
                XCTAssertIdentical(format.round(-.infinity), -.infinity, "\(format)")
            } else {
                XCTAssertTrue(format.round(.infinity).isNaN, "\(format)")
                XCTAssertTrue(format.round(-.infinity).isNaN, "\(format)")
            }
            XCTAssertTrue(format.round(.nan).isNaN, "\(format)")
            XCTAssertTrue(format.roundFromFloat(.nan).isNaN, "\(format)")
            let tinySubnormal = -Double(bitPattern: 2024)  // about -1e-320
            XCTAssertIdentical(format.round(tinySubnormal), format == .f64 ? tinySubnormal : negativeZero, "\(format)")
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
