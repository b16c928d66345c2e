import FPNumerics
import XCTest

/// Whether decimal text is a value of a format, decided exactly, and its canonical spelling.
final class DecimalLiteralTests: XCTestCase {
    func testInexactDecimalsKeepTheirCanonicalText() {
        XCTAssertEqual(DecimalLiteral.inexact("0.1", in: .f32), "0.1")
        XCTAssertEqual(DecimalLiteral.inexact("0.1", in: .f64), "0.1")
        XCTAssertEqual(DecimalLiteral.inexact("0.1", in: .bf16), "0.1")
        XCTAssertEqual(DecimalLiteral.inexact("0.1", in: .f16), "0.1")
        XCTAssertEqual(DecimalLiteral.inexact(" 1E-1 ", in: .f32), "0.1")
        XCTAssertEqual(DecimalLiteral.inexact("+00.100", in: .f32), "0.1")
        XCTAssertEqual(DecimalLiteral.inexact("-7.978845608028654e-1", in: .f32), "-0.7978845608028654")
        // 1e23 is not a double (5^23 needs 54 bits); 1e22 is.
        XCTAssertEqual(DecimalLiteral.inexact("1e23", in: .f64), "1e+23")
        XCTAssertNil(DecimalLiteral.inexact("1e22", in: .f64))
        // Beyond the subnormals: rounds to zero, but is not zero.
        XCTAssertEqual(DecimalLiteral.inexact("1e-50", in: .f32), "1e-50")
        // 2^-149 is f32's smallest subnormal; 2^-150 is not an f32 value.
        XCTAssertNil(DecimalLiteral.inexact(Self.exactDecimal(ofPowerOfTwo: -149), in: .f32))
        XCTAssertNotNil(DecimalLiteral.inexact(Self.exactDecimal(ofPowerOfTwo: -150), in: .f32))
        XCTAssertNil(DecimalLiteral.inexact(Self.exactDecimal(ofPowerOfTwo: -1074), in: .f64))
        // 257 needs 9 significand bits: exact in f16 (11), not in bf16 (8).
        XCTAssertNil(DecimalLiteral.inexact("257", in: .f16))
        XCTAssertEqual(DecimalLiteral.inexact("257", in: .bf16), "257")
        // Above f8e4m3fn's largest finite value (448), which it would round to.
        XCTAssertEqual(DecimalLiteral.inexact("464", in: .f8e4m3fn), "464")
        XCTAssertNil(DecimalLiteral.inexact("448", in: .f8e4m3fn))
        XCTAssertEqual(
            DecimalLiteral.inexact("0.1" + String(repeating: "0", count: 900) + "1", in: .f64),
            "0.1" + String(repeating: "0", count: 900) + "1")
    }

    func testExactValuesAndNonDecimalsKeepNothing() {
        for text in ["0", "-0", "0.0", "1", "0.5", "-2.25", "3e2", "0.375", "1024", "6.103515625e-05"] {
            XCTAssertNil(DecimalLiteral.inexact(text, in: .f16), text)
            XCTAssertNil(DecimalLiteral.inexact(text, in: .f32), text)
        }
        for text in ["0x1.99999ap-4", "inf", "-inf", "nan", "Infinity", "", "abc", "1e", "--1", "1.2.3"] {
            XCTAssertNil(DecimalLiteral.inexact(text, in: .f32), text)
        }
    }

    func testCanonicalSpelling() {
        XCTAssertEqual(DecimalLiteral.canonical("123.4500"), "123.45")
        XCTAssertEqual(DecimalLiteral.canonical(".5"), "0.5")
        XCTAssertEqual(DecimalLiteral.canonical("7."), "7")
        XCTAssertEqual(DecimalLiteral.canonical("1e20"), "100000000000000000000")
        XCTAssertEqual(DecimalLiteral.canonical("1e21"), "1e+21")
        XCTAssertEqual(DecimalLiteral.canonical("0.0000001"), "1e-7")
        XCTAssertEqual(DecimalLiteral.canonical("0.000001"), "0.000001")
        XCTAssertEqual(DecimalLiteral.canonical("-1.5E-40"), "-1.5e-40")
        XCTAssertEqual(DecimalLiteral.canonical("-0.000"), "-0")
        XCTAssertNil(DecimalLiteral.canonical("0x1p3"))
        // The canonical text reads back as the same real.
        for text in ["123.45", "1e+21", "1e-7", "-1.5e-40", "0.7978845608028654"] {
            XCTAssertEqual(DecimalLiteral.canonical(text), text)
            XCTAssertEqual(NumberText.parse(text), NumberText.parse(DecimalLiteral.canonical(text)!))
        }
    }

    /// The exact decimal expansion of 2^k for k < 0 (5^-k with the point moved).
    static func exactDecimal(ofPowerOfTwo k: Int) -> String {
        var digits: [Int] = [1]
        for _ in 0..<(-k) {
            var carry = 0
            for i in digits.indices.reversed() {
                let p = digits[i] * 5 + carry
                digits[i] = p % 10
                carry = p / 10
            }
            while carry > 0 {
                digits.insert(carry % 10, at: 0)
                carry /= 10
            }
        }
        return digits.map(String.init).joined() + "e" + String(k)
    }
}
