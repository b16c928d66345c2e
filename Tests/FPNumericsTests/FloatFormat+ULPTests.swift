import XCTest

@testable import FPNumerics

final class FloatFormatULPTests: XCTestCase {
    func testOrdinalsOfLandmarks() {
        let f16 = FloatFormat.f16
        XCTAssertEqual(f16.ordinal(0.0), 0)
        XCTAssertEqual(f16.ordinal(-0.0), 0)
        XCTAssertEqual(f16.ordinal(0x1p-24), 1)
        XCTAssertEqual(f16.ordinal(-0x1p-24), -1)
        XCTAssertEqual(f16.ordinal(0x1p-14), 1024)  // 1023 subnormals come first
        XCTAssertEqual(f16.ordinal(1.0), 15 * 1024)  // 0x3C00
        XCTAssertEqual(f16.ordinal(65504), 31743)  // 0x7BFF
        XCTAssertEqual(f16.ordinal(.infinity), 31744)  // ordinal(maxFinite) + 1
        XCTAssertEqual(f16.ordinal(-.infinity), -31744)
        XCTAssertNil(f16.ordinal(.nan))

        XCTAssertEqual(FloatFormat.bf16.ordinal(.infinity), 0x7F80)
        XCTAssertEqual(FloatFormat.f32.ordinal(-0x1p-149), -1)
        XCTAssertEqual(FloatFormat.f64.ordinal(.infinity), 0x7FF0_0000_0000_0000)
        XCTAssertEqual(FloatFormat.f64.ordinal(-Double.greatestFiniteMagnitude), -0x7FEF_FFFF_FFFF_FFFF)
        XCTAssertNil(FloatFormat.f64.ordinal(-.nan))
    }

    /// Sorting every f16 value independently must give consecutive ordinals.
    func testOrdinalIsConsecutiveOverAllF16Values() {
        let values = (UInt64(0)...0xFFFF)
            .map { FloatFormat.f16.value(bitPattern: $0) }
            .filter { !$0.isNaN && !($0 == 0 && $0.sign == .minus) }
            .sorted()
        XCTAssertEqual(values.count, 2 * 31744 + 1)
        for (i, value) in values.enumerated() {
            XCTAssertEqual(FloatFormat.f16.ordinal(value), Int64(i - 31744), "\(value)")
        }
    }

    func testDistancesAroundZeroAndSubnormals() {
        let f16 = FloatFormat.f16
        XCTAssertEqual(f16.ulpDistance(0.0, -0.0), 0)
        XCTAssertEqual(f16.ulpDistance(-0x1p-24, 0x1p-24), 2)
        XCTAssertEqual(f16.ulpDistance(0x1p-24, 0.0), 1)
        XCTAssertEqual(f16.ulpDistance(0x1p-14, 0x1p-14 - 0x1p-24), 1)  // min normal to max subnormal
        XCTAssertEqual(FloatFormat.f32.ulpDistance(-0x1p-149, 0x1p-149), 2)
        XCTAssertEqual(FloatFormat.f64.ulpDistance(-0x1p-1074, 0x1p-1074), 2)
    }

    func testDistancesOfOrdinaryValues() {
        XCTAssertEqual(FloatFormat.f32.ulpDistance(1.0, Double(Float(1).nextUp)), 1)
        XCTAssertEqual(FloatFormat.f32.ulpDistance(1.0, Double(Float(1).nextDown)), 1)
        XCTAssertEqual(FloatFormat.f16.ulpDistance(1.0, 2.0), 1024)
        XCTAssertEqual(FloatFormat.bf16.ulpDistance(-1.0, 1.0), 2 * 0x3F80)
        XCTAssertEqual(FloatFormat.f64.ulpDistance(1.0, 1.0.nextUp), 1)
        XCTAssertEqual(FloatFormat.f64.ulpDistance(2.0, 1.0), Double(1 << 52))
        // Symmetric.
        XCTAssertEqual(FloatFormat.f16.ulpDistance(2.0, -3.0), FloatFormat.f16.ulpDistance(-3.0, 2.0))
    }

    func testLargestDistanceDoesNotOverflow() {
        let max = Double.greatestFiniteMagnitude
        let expected = Double(UInt64(0x7FEF_FFFF_FFFF_FFFF) * 2)
        XCTAssertEqual(FloatFormat.f64.ulpDistance(-max, max), expected)
        XCTAssertEqual(FloatFormat.f16.ulpDistance(-65504, 65504), 2 * 31743)
    }

    func testInfinitiesAndNaN() {
        for format in FloatFormat.allCases where format.hasInfinities {
            let maximal = format.maximalULPs
            // By ordinal, maxFinite and infinity are neighbours ...
            XCTAssertEqual(format.ordinal(.infinity)! - format.ordinal(format.maxFinite)!, 1, "\(format)")
            // ... but a finite/infinite disagreement is a maximal error.
            XCTAssertEqual(format.ulpDistance(format.maxFinite, .infinity), maximal, "\(format)")
            XCTAssertEqual(format.ulpDistance(-.infinity, 0), maximal, "\(format)")
            XCTAssertEqual(format.ulpDistance(.infinity, .infinity), 0, "\(format)")
            XCTAssertEqual(format.ulpDistance(-.infinity, -.infinity), 0, "\(format)")
            XCTAssertEqual(format.ulpDistance(-.infinity, .infinity), maximal, "\(format)")
            XCTAssertEqual(format.ulpDistance(.nan, .nan), 0, "\(format)")
            XCTAssertEqual(format.ulpDistance(.nan, 1), maximal, "\(format)")
            XCTAssertEqual(format.ulpDistance(0, -.nan), maximal, "\(format)")
            XCTAssertEqual(format.ulpDistance(.nan, .infinity), maximal, "\(format)")
        }
        XCTAssertEqual(FloatFormat.f16.maximalULPs, 65535)
        XCTAssertEqual(FloatFormat.bf16.maximalULPs, 65535)
        XCTAssertEqual(FloatFormat.f32.maximalULPs, 4_294_967_295)
        XCTAssertEqual(FloatFormat.f64.maximalULPs, 0x1p64)
    }

    func testUnrepresentableInputsAreRoundedFirst() {
        // 1.0004 rounds to 1.0 in f16 (ulp 2^-10 ≈ 0.00098).
        XCTAssertEqual(FloatFormat.f16.ulpDistance(1.0004, 1.0), 0)
        XCTAssertEqual(FloatFormat.f16.ordinal(1.0004), FloatFormat.f16.ordinal(1.0))
    }

    func testBitsOfError() {
        for format in FloatFormat.allCases {
            XCTAssertEqual(format.bitsOfError(ulps: 0), 0, "\(format)")
            XCTAssertEqual(format.bitsOfError(ulps: 1), 1, "\(format)")
            XCTAssertEqual(format.bitsOfError(ulps: 3), 2, "\(format)")
            XCTAssertEqual(format.bitsOfError(ulps: format.maximalULPs), Double(format.bitWidth), "\(format)")
        }
        XCTAssertEqual(FloatFormat.f64.bitsOfError(ulps: 1023), 10)
    }

    /// The f32 and f64 distances read off the encodings are the definition's
    /// (the format's rounding, then ordinals), bit for bit: random doubles
    /// over the whole range (beyond f32's, below its subnormals), both
    /// zeros, infinities, NaNs of either sign, neighbours and far pairs.
    func testEncodingDistancesAreTheOrdinalDefinition() {
        var g = SplitMix64(seed: 42)
        func random() -> Double {
            switch g.next() % 10 {
            case 0:
                return [0.0, -0.0, .infinity, -.infinity, .nan, -.nan, 0x1p-149, 0x1p128, 0x1.fffffep127].randomElement(
                    using: &g)!
            case 1: return Double(bitPattern: g.next() | 0x7FF0_0000_0000_0000)  // infinities and NaN payloads
            default: return Double(bitPattern: g.next())
            }
        }
        for _ in 0..<200_000 {
            let a = random()
            let b = Bool.random(using: &g) ? random() : a.nextUp
            for format in [FloatFormat.f32, .f64] {
                XCTAssertEqual(
                    format.ulpDistance(a, b).bitPattern, format.ulpDistanceOfOrdinals(a, b).bitPattern,
                    "\(format) \(hexBits(a)) \(hexBits(b))")
            }
        }
    }
}
