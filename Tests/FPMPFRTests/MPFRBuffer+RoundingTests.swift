import XCTest

@testable import FPMPFR

final class MPFRBufferRoundingTests: MPFRTestCase {
    /// `a + b` exactly, in a 200-bit buffer.
    private func exactSum(_ a: Double, _ b: Double) -> MPFRBuffer {
        let terms = buffer([a, b], precision: 200)
        let sum = MPFRBuffer(count: 1, precision: 200)
        MPFRKernels.binary(.add, terms, 0, terms, 1, into: sum, 0)
        return sum
    }

    func testFormatConstants() {
        XCTAssertEqual(TruthFormat.allCases.map(\.precision), [11, 8, 24, 53])
        XCTAssertEqual(TruthFormat.f64.emin, Double.leastNormalMagnitude.exponent + 1)
        XCTAssertEqual(TruthFormat.f64.emax, Double.greatestFiniteMagnitude.exponent + 1)
        XCTAssertEqual(TruthFormat.f32.emin, Float.leastNormalMagnitude.exponent + 1)
        XCTAssertEqual(TruthFormat.f32.emax, Float.greatestFiniteMagnitude.exponent + 1)
    }

    /// 1 + 2^-8 + 2^-60 is just above a bf16 tie: it rounds up to 1 + 2^-7,
    /// whereas rounding to binary64 first loses 2^-60 and the tie goes to 1.
    func testBF16DoubleRoundingTrap() {
        let x = exactSum(1, 0x1p-8 + 0x1p-60)
        XCTAssertEqual(x.rounded(0, to: .bf16), 1 + 0x1p-7)
        let viaDouble = x.double(0)
        XCTAssertEqual(viaDouble, 1 + 0x1p-8)
        XCTAssertEqual(buffer([viaDouble], precision: 53).rounded(0, to: .bf16), 1)
        // Exactly on the tie: ties to even.
        XCTAssertEqual(buffer([1 + 0x1p-8], precision: 53).rounded(0, to: .bf16), 1)
        XCTAssertEqual(buffer([1 + 3 * 0x1p-8], precision: 53).rounded(0, to: .bf16), 1 + 0x1p-6)
    }

    func testF16Subnormals() {
        let tiny = 0x1p-24  // smallest f16 subnormal
        let cases: [(Double, Double)] = [
            (tiny, tiny), (0x1p-25, 0), (-0x1p-25, -0.0), (0x1p-25 + 0x1p-40, tiny),
            (0.75 * tiny, tiny), (1.5 * tiny, 2 * tiny), (2.5 * tiny, 2 * tiny), (1.25 * tiny, tiny),
            (-1.5 * tiny, -2 * tiny), (0x1p-14, 0x1p-14), (0x1p-14 - 0x1p-25, 0x1p-14),
            (0x1p-14 - 3 * 0x1p-25, 0x1p-14 - 2 * 0x1p-24), (1e-30, 0), (-1e-30, -0.0),
            (100 * tiny + 0.5 * tiny, 100 * tiny),
        ]
        for (input, expected) in cases {
            let b = buffer([input], precision: 53)
            assertIdentical(b.rounded(0, to: .f16), expected, "f16(\(input))")
            assertIdentical(Double(Float16(input)), expected, "Float16 oracle for \(input)")
        }
        // Just below a subnormal tie: 1.5·2^-24 - 2^-40 must round down to
        // 2^-24; rounding to 11 bits first would land on the tie and go up.
        assertIdentical(exactSum(1.5 * tiny, -0x1p-70).rounded(0, to: .f16), tiny)
        assertIdentical(exactSum(1.5 * tiny, 0x1p-70).rounded(0, to: .f16), 2 * tiny)
        // Half the smallest subnormal plus a hair rounds up, not to zero.
        assertIdentical(exactSum(0x1p-25, 0x1p-90).rounded(0, to: .f16), tiny)
    }

    func testF16Overflow() {
        let cases: [(Double, Double)] = [
            (65520, .infinity), (65519.99, 65504), (-65520, -.infinity), (65504, 65504),
            (1e10, .infinity), (65535, .infinity), (65488, 65472),
        ]
        for (input, expected) in cases {
            assertIdentical(buffer([input], precision: 53).rounded(0, to: .f16), expected, "f16(\(input))")
            assertIdentical(Double(Float16(input)), expected, "Float16 oracle for \(input)")
        }
        // Just below the overflow threshold in a wide buffer.
        assertIdentical(exactSum(65520, -0x1p-100).rounded(0, to: .f16), 65504)
    }

    func testSpecialValuesPassThrough() {
        let b = buffer([.nan, .infinity, -.infinity, -0.0, 0], precision: 53)
        for format in TruthFormat.allCases {
            XCTAssertTrue(b.rounded(0, to: format).isNaN)
            assertIdentical(b.rounded(1, to: format), .infinity)
            assertIdentical(b.rounded(2, to: format), -.infinity)
            assertIdentical(b.rounded(3, to: format), -0.0)
            assertIdentical(b.rounded(4, to: format), 0)
        }
    }

    /// Random doubles over the whole range against the hardware conversions,
    /// which are correctly rounded with subnormals and overflow.
    func testAgreesWithNativeConversions() {
        var generator = SplitMix64(seed: 0x5EED)
        let count = 4000
        var values: [Double] = []
        for _ in 0..<count {
            let bits = generator.next()
            let value = Double(bitPattern: bits)
            values.append(value.isNaN ? 1 : value)
        }
        // Also values around the f16 and f32 ranges specifically.
        for _ in 0..<count {
            let exponent = Int(generator.next() % 200) - 160
            let significand = Double(generator.next() >> 11) * 0x1p-53 + 1
            values.append(
                (generator.next() & 1 == 0 ? 1 : -1) * significand
                    * Double(sign: .plus, exponent: exponent, significand: 1))
        }
        let b = buffer(values, precision: 53)
        for (i, value) in values.enumerated() {
            assertIdentical(b.rounded(i, to: .f32), Double(Float(value)), "f32(\(value))")
            assertIdentical(b.rounded(i, to: .f16), Double(Float16(value)), "f16(\(value))")
            assertIdentical(b.rounded(i, to: .f64), value)
        }
    }

    /// Rounding a wide value to f64 agrees with `double(_:)` (mpfr_get_d),
    /// subnormals included.
    func testF64RoundingMatchesDouble() {
        var generator = SplitMix64(seed: 42)
        for _ in 0..<500 {
            let high = Double(
                sign: .plus, exponent: Int(generator.next() % 2100) - 1080,
                significand: 1 + Double(generator.next() >> 12) * 0x1p-52)
            let low = high * 0x1p-60 * (Double(generator.next() % 1000) / 999 - 0.5)
            let x = exactSum(high, low)
            assertIdentical(x.rounded(0, to: .f64), x.double(0), "\(high) + \(low)")
        }
    }

    func testExplicitFormatAndValidation() throws {
        let b = buffer([1 + 0x1p-11 + 0x1p-30], precision: 53)
        XCTAssertEqual(try b.rounded(0, precision: 11, emin: -13, emax: 16), b.rounded(0, to: .f16))
        XCTAssertEqual(try b.rounded(0, precision: 2, emin: -3, emax: 3), 1)
        XCTAssertThrowsError(try b.rounded(0, precision: 54, emin: -1021, emax: 1024)) { error in
            XCTAssertEqual(error as? MPFRError, .invalidPrecision(54, valid: 1...53))
        }
        XCTAssertThrowsError(try b.rounded(0, precision: 53, emin: -1022, emax: 1024)) { error in
            XCTAssertEqual(error as? MPFRError, .invalidExponentRange(emin: -1022, emax: 1024))
        }
        XCTAssertThrowsError(try b.rounded(0, precision: 24, emin: -125, emax: 1025))
        XCTAssertThrowsError(try b.rounded(0, precision: 24, emin: 5, emax: 4))
        // The thread's widest exponent range is restored afterwards.
        XCTAssertTrue(MPFRConfiguration.isCurrentThreadPrepared)
    }
}

/// A small deterministic generator for test inputs.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
