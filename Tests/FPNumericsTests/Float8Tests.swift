import FPNumerics
import XCTest

/// The 8-bit formats against ml_dtypes (`Float8Reference.swift`, made by
/// `make_float8_reference.py`): every bit pattern decodes to ml_dtypes'
/// value, and rounding from binary64 (ties, overflow, subnormals, NaN) gives
/// ml_dtypes' pattern.
final class Float8Tests: XCTestCase {
    func format(_ name: String) throws -> FloatFormat { try XCTUnwrap(FloatFormat(name: name), name) }

    func testEveryBitPatternDecodesAsInMLDtypes() throws {
        XCTAssertEqual(Float8Reference.tables.count, 7)
        for table in Float8Reference.tables {
            let f = try format(table.name)
            XCTAssertEqual(f.bitWidth, 8)
            for (pattern, expected) in table.decoded.enumerated() {
                let want = Double(bitPattern: expected)
                let got = f.value(bitPattern: UInt64(pattern))
                if want.isNaN {
                    XCTAssertTrue(got.isNaN, "\(table.name) 0x\(String(pattern, radix: 16))")
                } else {
                    XCTAssertEqual(got.bitPattern, want.bitPattern, "\(table.name) 0x\(String(pattern, radix: 16))")
                    // Every non-NaN pattern encodes back to itself.
                    XCTAssertEqual(f.bitPattern(got), UInt64(pattern), "\(table.name) \(got)")
                    XCTAssertTrue(f.isRepresentable(got), "\(table.name) \(got)")
                }
            }
        }
    }

    func testRoundingFromDoubleMatchesMLDtypes() throws {
        for table in Float8Reference.tables {
            let f = try format(table.name)
            XCTAssertGreaterThan(table.rounding.count, 200)
            for k in stride(from: 0, to: table.rounding.count, by: 2) {
                let x = Double(bitPattern: table.rounding[k])
                let pattern = table.rounding[k + 1]
                let want = f.value(bitPattern: pattern)
                let got = f.round(x)
                if want.isNaN {
                    XCTAssertTrue(got.isNaN, "\(table.name) round(\(x)) = \(got), ml_dtypes NaN")
                } else {
                    XCTAssertEqual(got.bitPattern, want.bitPattern, "\(table.name) round(\(x))")
                }
                if !f.hasNegativeZero && want.isNaN {
                    XCTAssertEqual(f.bitPattern(x), 0x80, "\(table.name): the fnuz NaN is 0x80")
                } else if !want.isNaN {
                    XCTAssertEqual(f.bitPattern(x), pattern, "\(table.name) bits of \(x)")
                }
            }
        }
    }

    func testParametersOfTheFormats() {
        XCTAssertEqual(FloatFormat.f8e4m3fn.maxFinite, 448)
        XCTAssertEqual(FloatFormat.f8e5m2.maxFinite, 57344)
        XCTAssertEqual(FloatFormat.f8e4m3.maxFinite, 240)
        XCTAssertEqual(FloatFormat.f8e3m4.maxFinite, 15.5)
        XCTAssertEqual(FloatFormat.f8e4m3fnuz.maxFinite, 240)
        XCTAssertEqual(FloatFormat.f8e5m2fnuz.maxFinite, 57344)
        XCTAssertEqual(FloatFormat.f8e4m3b11fnuz.maxFinite, 30)
        XCTAssertEqual(FloatFormat.f8e4m3fn.minSubnormal, 0x1p-9)
        XCTAssertEqual(FloatFormat.f8e4m3fnuz.minSubnormal, 0x1p-10)
        XCTAssertEqual(FloatFormat.f8e4m3b11fnuz.minSubnormal, 0x1p-13)
        XCTAssertEqual(FloatFormat.f8e5m2fnuz.minSubnormal, 0x1p-17)
        XCTAssertEqual(FloatFormat(name: "float8_e4m3fn"), .f8e4m3fn)
        // XLA's f32 -> f8e4m3fn: 464 is the tie between 448 and 480 (not a value: NaN) and goes to 448;
        // above it, NaN (no infinities).
        XCTAssertEqual(FloatFormat.f8e4m3fn.round(464), 448)
        XCTAssertTrue(FloatFormat.f8e4m3fn.round(465).isNaN)
        XCTAssertEqual(FloatFormat.f8e5m2.round(1e6), .infinity)
        XCTAssertIdentical(FloatFormat.f8e4m3fnuz.round(-1e-9), 0.0)
        // Arithmetic results are rounded to f16 first, then to the 8-bit format (XLA CPU's upcast).
        XCTAssertEqual(FloatFormat.f8e5m2.roundFromFloat(1.125 + 0x1p-20), 1.0)
        XCTAssertEqual(FloatFormat.f8e5m2.round(1.125 + 0x1p-20), 1.25)
    }

    /// Sampled inputs of an 8-bit parameter are values of its format: `ieee` draws
    /// every finite pattern (never the fnuz NaN 0x80), `normal` rounds to the format.
    func testSamplingGivesValuesOfTheFormat() {
        var rng = Xoshiro256StarStar(seed: 7)
        for format in [FloatFormat.f8e4m3fn, .f8e5m2, .f8e4m3fnuz, .f8e4m3b11fnuz] {
            var seen = Set<UInt64>()
            for _ in 0..<4000 {
                let x = Distribution.ieee.sample(in: format, using: &rng)
                XCTAssertTrue(x.isFinite && format.isRepresentable(x), "\(format) \(x)")
                seen.insert(format.bitPattern(x))
                let y = Distribution.normal(mean: 0, std: 1).sample(in: format, using: &rng)
                XCTAssertTrue(format.isRepresentable(y), "\(format) \(y)")
            }
            XCTAssertGreaterThan(seen.count, 200, "\(format): most finite patterns are drawn")
        }
    }
}
