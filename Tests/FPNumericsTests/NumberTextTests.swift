import XCTest

@testable import FPNumerics

final class NumberTextTests: XCTestCase {
    func testDecimal() {
        let cases: [(String, Double)] = [
            ("1.5", 1.5), ("-2e-3", -0.002), ("+1E10", 1e10), (".5", 0.5), ("7.", 7),
            ("  2.5\t", 2.5), ("0", 0), ("0.1", 0.1), ("1e400", .infinity), ("-1e400", -.infinity),
            ("4.9406564584124654e-324", 0x1p-1074), ("2.4703282292062328e-324", 0x1p-1074),
            ("1e-400", 0),
        ]
        for (text, value) in cases {
            XCTAssertIdentical(NumberText.parse(text) ?? .nan, value, text)
        }
        XCTAssertIdentical(NumberText.parse("-0") ?? .nan, -0.0)
        XCTAssertIdentical(NumberText.parse("-1e-400") ?? .nan, -0.0)
    }

    func testHexFloats() {
        let cases: [(String, Double)] = [
            ("0x1.8p+1", 3), ("-0X1P-3", -0.125), ("0x.8p1", 1), ("0x10", 16), ("0XaBp0", 171),
            ("0x1p-1074", 0x1p-1074), ("0x1.p1", 2), ("0x0p0", 0), ("0x0000000000000000000001p0", 1),
            ("0x0.00000000000000000001p80", 1),
        ]
        for (text, value) in cases {
            XCTAssertIdentical(NumberText.parse(text) ?? .nan, value, text)
        }
        XCTAssertIdentical(NumberText.parse("-0x0p+0") ?? .nan, -0.0)
    }

    /// Expected values from Python's `float.fromhex`, an independent
    /// correctly rounded parser.
    func testHexRoundingMatchesAnIndependentParser() {
        let cases: [(String, Double)] = [
            ("0x123456789abcdef0123p0", 0x1.23456789abcdfp+72),  // more than 15 digits
            ("0x1.fffffffffffff7ffp+1023", Double.greatestFiniteMagnitude),
            ("0x1.fffffffffffff8p+1023", .infinity),  // tie at the top: up to 2^1024
            ("0x1.00000000000008p+0", 1.0),  // tie, even
            ("0x1.00000000000018p+0", 0x1.0000000000002p+0),  // tie, odd: up
            ("0x1.000000000000080000000000001p0", 0x1.0000000000001p+0),  // sticky far away
            ("0x0.0000000000000800000001p-1022", 0x1p-1074),
            ("0xabcdef.123456789p-10", 0x1.579bde2468acfp+13),
            ("0x1.8p-1074", 0x1p-1073),  // subnormal tie: to even
            ("0x1.7ffffffffffffp-1074", 0x1p-1074),
            ("0x3p-1076", 0x1p-1074),
            ("0x1p-1075", 0),  // half the smallest: to even 0
            ("0x1.0000000000001p-1075", 0x1p-1074),
            ("0x1p-99999999999999", 0), ("0x1p+99999999999999", .infinity),
        ]
        for (text, value) in cases {
            XCTAssertIdentical(NumberText.parse(text) ?? .nan, value, text)
        }
    }

    func testSpecials() {
        XCTAssertEqual(NumberText.parse("inf"), .infinity)
        XCTAssertEqual(NumberText.parse("+inf"), .infinity)
        XCTAssertEqual(NumberText.parse("-inf"), -.infinity)
        XCTAssertEqual(NumberText.parse("Infinity"), .infinity)
        XCTAssertEqual(NumberText.parse("-INFINITY"), -.infinity)
        XCTAssertTrue(NumberText.parse("nan")?.isNaN == true)
        XCTAssertTrue(NumberText.parse("NaN")?.isNaN == true)
        let negativeNaN = NumberText.parse("-nan")
        XCTAssertTrue(negativeNaN?.isNaN == true)
        XCTAssertEqual(negativeNaN?.sign, .minus)
    }

    func testRejectsMalformedText() {
        let bad = [
            "", " ", "abc", "1.5.2", "1e", "1e+", "e5", ".", "-", "+-1", "--1", "1 2", "1f", "0x",
            "0xp1", "0x1p", "0x1p+", "0x1.8p+1x", "0x1g", "inf5", "infinit", "nan(1)", "1,5", "0x-1",
            "1_000", "١",
        ]
        for text in bad {
            XCTAssertNil(NumberText.parse(text), "'\(text)'")
        }
    }

    func testFormatIsShortestAndRoundTrips() {
        XCTAssertEqual(NumberText.format(1), "1")
        XCTAssertEqual(NumberText.format(-0.0), "-0")
        XCTAssertEqual(NumberText.format(2.5), "2.5")
        XCTAssertEqual(NumberText.format(0.1), "0.1")
        XCTAssertEqual(NumberText.format(1e-8), "1e-08")
        XCTAssertEqual(NumberText.format(.infinity), "inf")
        XCTAssertEqual(NumberText.format(-.infinity), "-inf")
        XCTAssertEqual(NumberText.format(.nan), "nan")
        var rng = Xoshiro256StarStar(seed: 8)
        for _ in 0..<20_000 {
            let x = Double(bitPattern: rng.next())
            if x.isNaN { continue }
            XCTAssertIdentical(NumberText.parse(NumberText.format(x)) ?? .nan, x)
        }
    }
}
