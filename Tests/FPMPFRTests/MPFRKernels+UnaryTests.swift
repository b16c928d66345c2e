import XCTest

@testable import FPMPFR

final class MPFRKernelsUnaryTests: MPFRTestCase {
    /// Every unary kernel against mpmath (make_reference.py): at 200 bits the
    /// result rounded to Double must be bit-identical to the correctly rounded
    /// reference. Each op runs once vectorised and once through the scalar form.
    func testUnaryKernelsMatchMPMathReference() {
        let cases = Dictionary(grouping: MPFRReference.unary, by: \.op)
        XCTAssertEqual(Set(cases.keys), Set(MPFRUnaryOp.allCases), "every unary op has reference values")
        for (op, group) in cases {
            let x = buffer(group.map(\.x), precision: 200)
            let y = MPFRBuffer(count: group.count, precision: 200)
            MPFRKernels.unary(op, x, xStride: 1, into: y, count: group.count)
            let scalar = MPFRBuffer(count: group.count, precision: 200)
            for i in group.indices {
                MPFRKernels.unary(op, x, i, into: scalar, i)
                assertIdentical(y.double(i), group[i].expected, "\(op)(\(group[i].x))")
                assertIdentical(scalar.double(i), group[i].expected, "scalar \(op)(\(group[i].x))")
            }
        }
    }

    func testUnarySpecialCases() {
        let nan = Double.nan
        let inf = Double.infinity
        let cases: [(MPFRUnaryOp, Double, Double)] = [
            (.exp, -inf, 0), (.exp, inf, inf), (.exp, nan, nan), (.exp, -0.0, 1),
            (.expm1, -inf, -1), (.expm1, -0.0, -0.0),
            (.log, 0, -inf), (.log, -0.0, -inf), (.log, -1, nan), (.log, inf, inf), (.log, 1, 0),
            (.log1p, -1, -inf), (.log1p, -2, nan), (.log1p, -0.0, -0.0),
            (.sqrt, -0.0, -0.0), (.sqrt, 0, 0), (.sqrt, -1, nan), (.sqrt, -inf, nan),
            (.rsqrt, 0, inf), (.rsqrt, -0.0, inf), (.rsqrt, inf, 0), (.rsqrt, -1, nan),
            (.cbrt, -inf, -inf), (.cbrt, -0.0, -0.0),
            (.sign, -0.0, -0.0), (.sign, 0, 0), (.sign, nan, nan), (.sign, -.leastNonzeroMagnitude, -1),
            (.neg, 0, -0.0), (.neg, -0.0, 0), (.neg, nan, nan), (.abs, -0.0, 0), (.abs, nan, nan),
            (.tanh, -0.0, -0.0), (.tanh, inf, 1), (.tanh, -inf, -1),
            (.sin, -0.0, -0.0), (.sin, inf, nan), (.cos, inf, nan), (.cos, -0.0, 1), (.tan, -0.0, -0.0),
            (.erf, inf, 1), (.erf, -inf, -1), (.erf, -0.0, -0.0),
            (.logistic, 0, 0.5), (.logistic, -0.0, 0.5), (.logistic, inf, 1), (.logistic, -inf, 0),
            (.logistic, nan, nan),
            (.floor, -0.0, -0.0), (.floor, 0.5, 0), (.floor, -0.5, -1), (.floor, inf, inf), (.floor, nan, nan),
            (.ceil, -0.5, -0.0), (.ceil, -0.0, -0.0), (.ceil, -inf, -inf),
            (.roundNearestEven, 2.5, 2), (.roundNearestEven, -3.5, -4), (.roundNearestEven, -0.3, -0.0),
            (.roundNearestEven, 0.5, 0), (.roundNearestEven, -0.5, -0.0), (.roundNearestEven, nan, nan),
            (.roundNearestEven, -inf, -inf),
        ]
        for (op, input, expected) in cases {
            let x = buffer([input], precision: 200)
            let y = MPFRBuffer(count: 1, precision: 200)
            MPFRKernels.unary(op, x, xStride: 1, into: y, count: 1)
            assertIdentical(y.double(0), expected, "\(op)(\(input))")
        }
    }

    func testLogisticOfLargeNegativeIsTinyButPositive() {
        let x = buffer([-1000], precision: 200)
        let y = MPFRBuffer(count: 1, precision: 200)
        MPFRKernels.unary(.logistic, x, xStride: 1, into: y, count: 1)
        XCTAssertFalse(y.isZero(0))
        XCTAssertFalse(y.signBit(0))
        XCTAssertEqual(y.double(0), 0, "e^-1000 underflows binary64")
        // logistic(-1000) = e^-1000 / (1 + e^-1000) equals e^-1000 to far more than 200 bits.
        let e = MPFRBuffer(count: 1, precision: 200)
        MPFRKernels.unary(.exp, x, xStride: 1, into: e, count: 1)
        XCTAssertEqual(y.compare(0, e, 0), 0)
    }

    /// At low precision logistic must agree with the 200-bit value rounded
    /// once to that precision (correct rounding via the Ziv loop).
    func testLogisticIsCorrectlyRoundedAtLowPrecision() {
        let inputs = stride(from: -40.0, through: 40.0, by: 0.37).map { $0 } + [1e-30, -1e-30, 1e-3, 745, -745]
        let x = buffer(inputs, precision: 53)
        let wide = MPFRBuffer(count: inputs.count, precision: 400)
        MPFRKernels.unary(.logistic, x, xStride: 1, into: wide, count: inputs.count)
        for precision in [2, 11, 24, 53, 113] {
            let narrow = MPFRBuffer(count: inputs.count, precision: precision)
            let reference = MPFRBuffer(count: inputs.count, precision: precision)
            MPFRKernels.unary(.logistic, x, xStride: 1, into: narrow, count: inputs.count)
            for i in inputs.indices {
                reference.copy(i, from: wide, i)
                XCTAssertEqual(narrow.compare(i, reference, i), 0, "logistic(\(inputs[i])) at \(precision) bits")
            }
        }
    }

    func testBroadcastOperand() {
        let x = buffer([2], precision: 64)
        let y = MPFRBuffer(count: 4, precision: 64)
        MPFRKernels.unary(.sqrt, x, xStride: 0, into: y, count: 4)
        for i in 0..<4 { XCTAssertEqual(y.compare(i, y, 0), 0) }
        XCTAssertEqual(y.double(3), 2.0.squareRoot())
    }

    func testInPlaceAndPartialCount() {
        let x = buffer([1, 4, 9, 16], precision: 64)
        MPFRKernels.unary(.sqrt, x, xStride: 1, into: x, count: 3)
        XCTAssertEqual((0..<4).map(x.double), [1, 2, 3, 16])
        MPFRKernels.unary(.neg, x, xStride: 1, into: x, count: 0)
        XCTAssertEqual(x.double(0), 1)
    }

    func testResultIsRoundedAtDestinationPrecision() {
        let x = buffer([2], precision: 200)
        let y = MPFRBuffer(count: 1, precision: 24)
        MPFRKernels.unary(.sqrt, x, xStride: 1, into: y, count: 1)
        XCTAssertEqual(y.double(0), Double(Float(2).squareRoot()))
    }

    /// Integer rounding happens before rounding to the destination precision.
    func testIntegerRoundingThenDestinationRounding() {
        // 5.4 -> 5 (integer), then 5 = 0b101 to 2 bits: tie between 4 and 6 -> 4.
        // (A single rounding to the nearest 2-bit integer would give 6.)
        let x = buffer([5.4], precision: 53)
        let y = MPFRBuffer(count: 1, precision: 2)
        MPFRKernels.unary(.roundNearestEven, x, xStride: 1, into: y, count: 1)
        XCTAssertEqual(y.double(0), 4)
        MPFRKernels.unary(.floor, x, xStride: 1, into: y, count: 1)
        XCTAssertEqual(y.double(0), 4)
        // Signed zeros survive the two-step path too.
        let small = buffer([-0.5, -0.3], precision: 53)
        let narrow = MPFRBuffer(count: 2, precision: 2)
        MPFRKernels.unary(.ceil, small, 0, into: narrow, 0)
        MPFRKernels.unary(.roundNearestEven, small, 1, into: narrow, 1)
        assertIdentical(narrow.double(0), -0.0)
        assertIdentical(narrow.double(1), -0.0)
    }
}
