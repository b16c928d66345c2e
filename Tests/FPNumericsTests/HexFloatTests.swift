import XCTest

@testable import FPNumerics

final class HexFloatTests: XCTestCase {
    func testFormatKnownValues() {
        let cases: [(Double, String)] = [
            (3.0, "0x1.8p+1"), (1.0, "0x1p+0"), (-2.5, "-0x1.4p+1"), (0.5, "0x1p-1"),
            (0.0, "0x0p+0"), (-0.0, "-0x0p+0"),
            (0.1, "0x1.999999999999ap-4"),
            (Double.greatestFiniteMagnitude, "0x1.fffffffffffffp+1023"),
            (Double.leastNormalMagnitude, "0x1p-1022"),
            (0x1p-1074, "0x1p-1074"),
            (Double(bitPattern: 3), "0x1.8p-1073"),
            (Double(bitPattern: 0x000F_FFFF_FFFF_FFFF), "0x1.ffffffffffffep-1023"),  // largest subnormal
            (65504, "0x1.ffcp+15"), (1024, "0x1p+10"),
            (.infinity, "inf"), (-.infinity, "-inf"), (.nan, "nan"),
        ]
        for (value, text) in cases {
            XCTAssertEqual(HexFloat.format(value), text)
        }
    }

    func testFormatAsFormat() {
        XCTAssertEqual(HexFloat.format(65504, as: .f16), "0x1.ffcp+15")
        XCTAssertEqual(HexFloat.format(0x1p-24, as: .f16), "0x1p-24")
        XCTAssertNil(HexFloat.format(0.1, as: .f16))
        XCTAssertNil(HexFloat.format(65505, as: .f16))
        XCTAssertEqual(HexFloat.format(1.015625, as: .bf16), "0x1.04p+0")
        XCTAssertEqual(HexFloat.format(.nan, as: .bf16), "nan")
    }

    func testParseHexOnly() {
        XCTAssertEqual(HexFloat.parse("0x1.8p+1"), 3)
        XCTAssertEqual(HexFloat.parse("-inf"), -.infinity)
        XCTAssertNil(HexFloat.parse("1.5"))
        XCTAssertNil(HexFloat.parse("0x"))
    }

    func testFormatThenParseIsIdentity() {
        var rng = Xoshiro256StarStar(seed: 31337)
        for i in 0..<100_000 {
            var bits = rng.next()
            if i % 5 == 0 { bits &= 0x800F_FFFF_FFFF_FFFF }  // subnormal
            if i % 7 == 0 { bits &= 0xFFFF_FFFF_0000_0000 }  // short fractions
            let x = Double(bitPattern: bits)
            let text = HexFloat.format(x)
            guard let back = NumberText.parse(text) else {
                XCTFail("cannot parse \(text)")
                return
            }
            if x.isNaN {
                XCTAssertTrue(back.isNaN, text)
            } else {
                XCTAssertIdentical(back, x, text)
            }
        }
    }

    func testFormatsOfNarrowFormatsRoundTrip() {
        for bits in UInt64(0)...0xFFFF {
            let x = FloatFormat.f16.value(bitPattern: bits)
            guard !x.isNaN, let text = HexFloat.format(x, as: .f16) else { continue }
            XCTAssertIdentical(HexFloat.parse(text) ?? .nan, x, text)
        }
    }
}
