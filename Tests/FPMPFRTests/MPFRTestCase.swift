import CMPFRShims
import XCTest

@testable import FPMPFR

/// Base class of every FPMPFR test case: installs the counting GMP allocator
/// before the class's first test, so that (when FPMPFR's tests run first in the
/// process) it is in place before any MPFR allocation. The allocator forwards
/// to malloc/free, so blocks allocated earlier may safely be freed later; the
/// allocation tests only compare snapshots.
class MPFRTestCase: XCTestCase {
    override class func setUp() {
        fpa_install_counting_allocator()
        super.setUp()
    }

    /// Asserts that two doubles have the same bit pattern, or are both NaN.
    func assertIdentical(
        _ actual: Double, _ expected: Double, _ message: @autoclosure () -> String = "",
        file: StaticString = #filePath, line: UInt = #line
    ) {
        if expected.isNaN {
            XCTAssertTrue(actual.isNaN, "expected NaN, got \(actual) \(message())", file: file, line: line)
        } else {
            XCTAssertEqual(
                actual.bitPattern, expected.bitPattern,
                "expected \(expected) (\(expected.hexString)), got \(actual) (\(actual.hexString)) \(message())",
                file: file, line: line)
        }
    }

    /// A buffer holding `values` at `precision` bits.
    func buffer(_ values: [Double], precision: Int) -> MPFRBuffer {
        let buffer = MPFRBuffer(count: values.count, precision: precision)
        for (i, value) in values.enumerated() { buffer.set(i, value) }
        return buffer
    }
}

extension Double {
    /// C99 `%a` text, for failure messages.
    var hexString: String {
        if isNaN { return "nan" }
        if isInfinite { return self < 0 ? "-inf" : "inf" }
        let sign = self.sign == .minus ? "-" : ""
        let magnitude = Swift.abs(self)
        if magnitude == 0 { return "\(sign)0x0p+0" }
        let digits = String(magnitude.significandBitPattern, radix: 16)
        let fraction = String(repeating: "0", count: 13 - digits.count) + digits
        if magnitude.isSubnormal { return "\(sign)0x0.\(fraction)p-1022" }
        return "\(sign)0x1.\(fraction)p\(magnitude.exponent)"
    }
}
