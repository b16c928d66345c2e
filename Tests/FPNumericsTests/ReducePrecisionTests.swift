import XCTest

@testable import FPNumerics

final class ReducePrecisionTests: XCTestCase {
    private func bf16(_ x: Double) -> Double { reducePrecision(x, exponentBits: 8, mantissaBits: 7) }
    private func f16(_ x: Double) -> Double { reducePrecision(x, exponentBits: 5, mantissaBits: 10) }

    func testMantissaRoundsToNearestEven() {
        XCTAssertIdentical(bf16(1.00390625), 1.0)  // tie, kept part even
        XCTAssertIdentical(bf16(1.01171875), 1.015625)  // tie, kept part odd: up
        XCTAssertIdentical(bf16(1.0 + 0x1p-8 + 0x1p-40), 1.0078125)
        XCTAssertIdentical(bf16(-1.00390625), -1.0)
        XCTAssertIdentical(bf16(1.9999999), 2.0)  // carry into the exponent
        XCTAssertIdentical(f16(65519), 65504)
    }

    /// For results in the normal range (and overflow), the (8, 7) reduction
    /// is exactly bf16 rounding, and (5, 10) is f16 rounding.
    func testMatchesFormatRoundingForNormalResults() {
        var rng = Xoshiro256StarStar(seed: 2024)
        var compared = 0
        for _ in 0..<20_000 {
            let raw = rng.next()
            let exponent = Int(raw % 300) - 150
            let x = Double(
                sign: raw & 1 == 0 ? .plus : .minus, exponent: exponent,
                significand: 1 + Double(raw >> 12) * 0x1p-52)
            for (format, e, m) in [(FloatFormat.bf16, 8, 7), (.f16, 5, 10)] {
                let expected = format.round(x)
                guard expected.isInfinite || expected.magnitude >= format.minNormal else { continue }
                XCTAssertIdentical(reducePrecision(x, exponentBits: e, mantissaBits: m), expected, "\(format) \(x)")
                compared += 1
            }
        }
        XCTAssertGreaterThan(compared, 10_000)
    }

    func testOverflowGivesSignedInfinity() {
        XCTAssertIdentical(f16(65520), .infinity)  // rounds up to 2^16, above emax
        XCTAssertIdentical(f16(-70000), -.infinity)
        XCTAssertIdentical(bf16(3.3962e38), .infinity)
        XCTAssertIdentical(bf16(3.3961e38), FloatFormat.bf16.maxFinite)
        XCTAssertIdentical(reducePrecision(1e300, exponentBits: 8, mantissaBits: 23), .infinity)
    }

    /// XLA has no subnormals in the reduced format: below its smallest
    /// normal the result is a zero of the same sign.
    func testUnderflowFlushesToSignedZero() {
        XCTAssertIdentical(f16(1e-6), 0.0)
        XCTAssertIdentical(f16(-1e-6), -0.0)
        XCTAssertNotEqual(FloatFormat.f16.round(1e-6), 0)  // unlike IEEE f16, which keeps a subnormal
        XCTAssertIdentical(f16(0x1p-15), 0.0)
        XCTAssertIdentical(f16(0x1p-14), 0x1p-14)  // smallest normal survives
        // Rounding happens first: just below 2^-14, the value rounds up to it.
        XCTAssertIdentical(f16(0x1p-14 * (1 - 0x1p-13)), 0x1p-14)
        XCTAssertIdentical(bf16(0x1p-130), 0.0)
        XCTAssertIdentical(bf16(-0x1p-127), -0.0)
    }

    func testZeroMantissaBitsRoundsOnTheExponentParity() {
        let e11m0 = { (x: Double) in reducePrecision(x, exponentBits: 11, mantissaBits: 0) }
        XCTAssertIdentical(e11m0(1.5), 2.0)  // biased exponent 1023 is odd: tie goes up
        XCTAssertIdentical(e11m0(3.0), 2.0)  // biased exponent 1024 is even: tie stays
        XCTAssertIdentical(e11m0(6.0), 8.0)
        XCTAssertIdentical(e11m0(1.25), 1.0)
        XCTAssertIdentical(e11m0(-1.75), -2.0)
    }

    func testSpecialValues() {
        XCTAssertTrue(bf16(.nan).isNaN)
        XCTAssertTrue(f16(-.nan).isNaN)
        // Without mantissa bits there is no NaN encoding: XLA returns +inf.
        XCTAssertIdentical(reducePrecision(.nan, exponentBits: 8, mantissaBits: 0), .infinity)
        XCTAssertIdentical(reducePrecision(-.nan, exponentBits: 8, mantissaBits: 0), .infinity)
        XCTAssertIdentical(bf16(.infinity), .infinity)
        XCTAssertIdentical(f16(-.infinity), -.infinity)
        XCTAssertIdentical(reducePrecision(.infinity, exponentBits: 11, mantissaBits: 0), .infinity)
        XCTAssertIdentical(f16(-0.0), -0.0)
        XCTAssertIdentical(bf16(0.0), 0.0)
    }

    func testFullWidthIsIdentityIncludingSubnormals() {
        var rng = Xoshiro256StarStar(seed: 77)
        for i in 0..<5_000 {
            var bits = rng.next()
            if i % 4 == 0 { bits &= 0x800F_FFFF_FFFF_FFFF }  // subnormals
            let x = Double(bitPattern: bits)
            if x.isNaN { continue }
            XCTAssertIdentical(reducePrecision(x, exponentBits: 11, mantissaBits: 52), x)
        }
    }

    /// With the full exponent range, source subnormals are rounded on their
    /// raw encoding.
    func testSourceSubnormalsRoundOnTheirBits() {
        let e11m23 = { (x: Double) in reducePrecision(x, exponentBits: 11, mantissaBits: 23) }
        XCTAssertIdentical(e11m23(0x1p-1045), 0x1p-1045)  // bit 29: the last kept bit
        XCTAssertIdentical(e11m23(0x1p-1074), 0.0)  // far below it
        XCTAssertIdentical(e11m23(0x1.8p-1045), 0x1p-1044)  // tie with odd kept part: up
        XCTAssertIdentical(e11m23(-0x1p-1046), -0.0)  // tie with even kept part (0)
    }
}
