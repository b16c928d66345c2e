import FPNumerics
import XCTest

@testable import FPVerify

final class PointErrorTests: XCTestCase {
    func testExactResultHasNoError() {
        let e = PointError.measure(1.5, truth: 1.5, in: .f32)
        XCTAssertEqual(e, PointError(ulps: 0, bits: 0, relative: 0, absolute: 0, finitenessMismatch: false))
    }

    func testOneULPIsOneBit() {
        let next = Double(Float(1).nextUp)
        let e = PointError.measure(next, truth: 1, in: .f32)
        XCTAssertEqual(e.ulps, 1)
        XCTAssertEqual(e.bits, 1)
        XCTAssertEqual(e.relative, 0x1p-23)
    }

    func testNonFiniteAgainstFiniteIsMaximal() {
        let e = PointError.measure(.infinity, truth: 1, in: .f32)
        XCTAssertEqual(e.bits, 32)
        XCTAssertTrue(e.finitenessMismatch)
        let n = PointError.measure(.nan, truth: 1, in: .bf16)
        XCTAssertEqual(n.bits, 16)
        XCTAssertTrue(n.finitenessMismatch)
        let both = PointError.measure(.nan, truth: .nan, in: .f64)
        XCTAssertEqual(both.bits, 0)
        XCTAssertFalse(both.finitenessMismatch)
    }

    func testZeroTruthGivesInfiniteRelativeError() {
        let e = PointError.measure(0x1p-149, truth: 0, in: .f32)
        XCTAssertEqual(e.ulps, 1)
        XCTAssertEqual(e.relative, .infinity)
        XCTAssertEqual(e.absolute, 0x1p-149)
    }
}
