import XCTest

@testable import FPMPFR

final class MPFRKernelsBinaryTests: MPFRTestCase {
    func testBinaryKernelsMatchMPMathReference() {
        let cases = Dictionary(grouping: MPFRReference.binary, by: \.op)
        XCTAssertEqual(Set(cases.keys), Set(MPFRBinaryOp.allCases), "every binary op has reference values")
        for (op, group) in cases {
            let a = buffer(group.map(\.a), precision: 200)
            let b = buffer(group.map(\.b), precision: 200)
            let y = MPFRBuffer(count: group.count, precision: 200)
            MPFRKernels.binary(op, a, aStride: 1, b, bStride: 1, into: y, count: group.count)
            let scalar = MPFRBuffer(count: group.count, precision: 200)
            for i in group.indices {
                MPFRKernels.binary(op, a, i, b, i, into: scalar, i)
                let label = "\(op)(\(group[i].a), \(group[i].b))"
                assertIdentical(y.double(i), group[i].expected, label)
                assertIdentical(scalar.double(i), group[i].expected, "scalar " + label)
            }
        }
    }

    func testBinarySpecialCases() {
        let nan = Double.nan
        let inf = Double.infinity
        let pi = Double.pi
        let cases: [(MPFRBinaryOp, Double, Double, Double)] = [
            (.maximum, nan, 1, nan), (.maximum, 1, nan, nan), (.minimum, nan, 1, nan), (.minimum, 1, nan, nan),
            (.maximum, -0.0, 0, 0), (.maximum, 0, -0.0, 0), (.minimum, -0.0, 0, -0.0), (.minimum, 0, -0.0, -0.0),
            (.maximum, -inf, nan, nan),
            (.remainder, -7, 3, -1), (.remainder, -6, 3, -0.0), (.remainder, 1, 0, nan),
            (.remainder, inf, 1, nan), (.remainder, 5, inf, 5), (.remainder, -0.0, 2, -0.0),
            (.power, 0, 0, 1), (.power, nan, 0, 1), (.power, 1, nan, 1), (.power, -8, 1.0 / 3, nan),
            (.power, 0, -1, inf), (.power, -0.0, -1, -inf), (.power, -0.0, 3, -0.0), (.power, -1, inf, 1),
            (.power, 2, -inf, 0), (.power, -inf, 3, -inf),
            (.atan2, 0, -1, pi), (.atan2, -0.0, -1, -pi), (.atan2, 0, 0, 0), (.atan2, -0.0, 0, -0.0),
            (.atan2, 0, -0.0, pi), (.atan2, 1, 0, pi / 2), (.atan2, inf, inf, pi / 4), (.atan2, nan, 1, nan),
            (.divide, 1, 0, inf), (.divide, 1, -0.0, -inf), (.divide, 0, 0, nan), (.divide, inf, inf, nan),
            (.add, -0.0, -0.0, -0.0), (.add, inf, -inf, nan), (.add, 1.5, -1.5, 0), (.add, nan, 1, nan),
            (.subtract, 0, 0, 0), (.subtract, -0.0, 0, -0.0), (.subtract, inf, inf, nan),
            (.multiply, -0.0, 5, -0.0), (.multiply, 0, inf, nan), (.multiply, -2, inf, -inf),
        ]
        for (op, lhs, rhs, expected) in cases {
            let a = buffer([lhs], precision: 200)
            let b = buffer([rhs], precision: 200)
            let y = MPFRBuffer(count: 1, precision: 200)
            MPFRKernels.binary(op, a, aStride: 1, b, bStride: 1, into: y, count: 1)
            assertIdentical(y.double(0), expected, "\(op)(\(lhs), \(rhs))")
        }
    }

    func testBroadcastOperands() {
        let a = buffer([1, 2, 3, 4], precision: 64)
        let b = buffer([10], precision: 64)
        let y = MPFRBuffer(count: 4, precision: 64)
        MPFRKernels.binary(.subtract, a, aStride: 1, b, bStride: 0, into: y, count: 4)
        XCTAssertEqual((0..<4).map(y.double), [-9, -8, -7, -6])
        MPFRKernels.binary(.subtract, b, aStride: 0, a, bStride: 1, into: y, count: 4)
        XCTAssertEqual((0..<4).map(y.double), [9, 8, 7, 6])
        MPFRKernels.binary(.multiply, b, aStride: 0, b, bStride: 0, into: y, count: 4)
        XCTAssertEqual((0..<4).map(y.double), [100, 100, 100, 100])
        // In place on a stride-1 operand.
        MPFRKernels.binary(.add, a, aStride: 1, b, bStride: 0, into: a, count: 4)
        XCTAssertEqual((0..<4).map(a.double), [11, 12, 13, 14])
    }

    func testPrecisionIsHonoured() {
        let a = buffer([1], precision: 24)
        let b = buffer([3], precision: 24)
        let y = MPFRBuffer(count: 1, precision: 24)
        MPFRKernels.binary(.divide, a, aStride: 1, b, bStride: 1, into: y, count: 1)
        XCTAssertEqual(y.double(0), Double(Float(1) / 3))
        XCTAssertNotEqual(y.double(0), 1.0 / 3)
    }

    /// (1e16 + 1.5) - 1e16: exact at 128 bits, 2.0 at binary64's 53 bits.
    func testCancellationDependsOnPrecision() {
        for (precision, expected) in [(128, 1.5), (53, 2.0)] {
            let big = buffer([1e16], precision: precision)
            let small = buffer([1.5], precision: precision)
            let sum = MPFRBuffer(count: 1, precision: precision)
            let difference = MPFRBuffer(count: 1, precision: precision)
            MPFRKernels.binary(.add, big, 0, small, 0, into: sum, 0)
            MPFRKernels.binary(.subtract, sum, 0, big, 0, into: difference, 0)
            XCTAssertEqual(difference.double(0), expected, "at \(precision) bits")
        }
    }

    /// A dot product is multiply then add, each rounded (no fused multiply-add).
    func testDotIsMultiplyThenAddEachRounded() {
        // a*b = 1 - 2^-54 exactly; rounded to 53 bits that is 1 (tie to even),
        // so the unfused dot gives 0 while an FMA would give -2^-54.
        let a = buffer([1 + 0x1p-27], precision: 53)
        let b = buffer([1 - 0x1p-27], precision: 53)
        let accumulator = buffer([-1], precision: 53)
        let product = MPFRBuffer(count: 1, precision: 53)
        MPFRKernels.binary(.multiply, a, 0, b, 0, into: product, 0)
        MPFRKernels.binary(.add, accumulator, 0, product, 0, into: accumulator, 0)
        XCTAssertEqual(accumulator.double(0), 0)
    }
}
