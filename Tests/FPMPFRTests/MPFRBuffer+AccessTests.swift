import XCTest

@testable import FPMPFR

final class MPFRBufferAccessTests: MPFRTestCase {
    func testFreshElementsAreNaNAndPropertiesAreKept() {
        let buffer = MPFRBuffer(count: 3, precision: 77)
        XCTAssertEqual(buffer.count, 3)
        XCTAssertEqual(buffer.precision, 77)
        XCTAssertTrue((0..<3).allSatisfy(buffer.isNaN))
        XCTAssertEqual(MPFRBuffer(count: 0, precision: 53).count, 0)
    }

    func testDoubleRoundTripAndPredicates() {
        let values: [Double] = [
            0, -0.0, 1, -2.5, .infinity, -.infinity, .nan, .leastNonzeroMagnitude,
            .greatestFiniteMagnitude, 0x1.fffffffffffffp-1,
        ]
        let b = buffer(values, precision: 53)
        for (i, value) in values.enumerated() {
            assertIdentical(b.double(i), value)
            XCTAssertEqual(b.isNaN(i), value.isNaN)
            XCTAssertEqual(b.isInfinite(i), value.isInfinite)
            XCTAssertEqual(b.isZero(i), value == 0)
            if !value.isNaN { XCTAssertEqual(b.signBit(i), value.sign == .minus, "\(value)") }
        }
        b.setNaN(0)
        XCTAssertTrue(b.isNaN(0))
    }

    func testSetDoubleRoundsBelow53Bits() {
        let b = buffer([0.1], precision: 24)
        XCTAssertEqual(b.double(0), Double(Float(0.1)))
    }

    func testIntegersAreExactAt64Bits() {
        let b = MPFRBuffer(count: 3, precision: 64)
        b.set(0, integer: .max)
        b.set(1, integer: .min)
        b.set(2, integer: -123_456_789_012_345_678)
        XCTAssertEqual(b.toInt64Truncating(0), .max)
        XCTAssertEqual(b.toInt64Truncating(1), .min)
        XCTAssertEqual(b.toInt64Truncating(2), -123_456_789_012_345_678)
    }

    func testToInt64TruncatingRoundsTowardZeroAndSaturates() {
        let values: [Double] = [2.9, -2.9, -0.0, 1e30, -1e30, .infinity, -.infinity, 0x1p63, -0x1p63, .nan]
        let expected: [Int64?] = [2, -2, 0, .max, .min, .max, .min, .max, .min, nil]
        let b = buffer(values, precision: 53)
        for i in values.indices {
            XCTAssertEqual(b.toInt64Truncating(i), expected[i], "\(values[i])")
        }
    }

    func testCompare() {
        let b = buffer([1, 2, -0.0, 0, .nan, -.infinity], precision: 53)
        XCTAssertEqual(b.compare(0, b, 1), -1)
        XCTAssertEqual(b.compare(1, b, 0), 1)
        XCTAssertEqual(b.compare(2, b, 3), 0)
        XCTAssertNil(b.compare(4, b, 0))
        XCTAssertNil(b.compare(0, b, 4))
        XCTAssertEqual(b.compare(5, b, 2), -1)
        let wide = buffer([1], precision: 300)
        XCTAssertEqual(b.compare(0, wide, 0), 0)
    }

    func testCopyRoundsToDestinationPrecision() {
        let one = buffer([1], precision: 200)
        let three = buffer([3], precision: 200)
        let third = MPFRBuffer(count: 1, precision: 200)
        MPFRKernels.binary(.divide, one, 0, three, 0, into: third, 0)
        let narrow = MPFRBuffer(count: 2, precision: 24)
        narrow.copy(1, from: third, 0)
        XCTAssertEqual(narrow.double(1), Double(Float(1) / 3))
        let back = MPFRBuffer(count: 1, precision: 200)
        back.copy(0, from: narrow, 1)
        XCTAssertEqual(back.compare(0, narrow, 1), 0, "widening copies are exact")
    }
}
