import FPNumerics
import Foundation
import XCTest

final class CFormatTests: XCTestCase {
    /// The C library's printf and Foundation's `String(format:)` (the
    /// reference here) print the same text for the formats reports use.
    func testMatchesFoundationsFormatting() {
        let values: [Double] = [
            0, -0.0, 1, 0.5, 2.675, 1e-7, 123_456_789, 1e15, 1e300, -3.25, 0.1, .leastNonzeroMagnitude, .infinity,
            -.infinity, .nan,
        ]
        for format in ["%.2f", "%.2e", "%.4g", "%g", "%.1f%%", "%.0f", "%.3e", "%.1f"] {
            for x in values {
                XCTAssertEqual(CFormat.string(format, x), String(format: format, x), "\(format) of \(x)")
            }
        }
        XCTAssertEqual(CFormat.string("%04d-%02d-%02d", Int32(2026), Int32(12), Int32(6)), "2026-12-06")
        XCTAssertEqual(CFormat.string("\\u%04x", UInt32(0x1F)), "\\u001f")
        XCTAssertEqual(CFormat.string("%.1fe%d", 1.25, Int32(8)), "1.2e8")
    }

    /// Text longer than the first buffer is printed whole.
    func testLongOutputIsNotCut() {
        let long = CFormat.string("%.300f", 1.0)
        XCTAssertEqual(long.count, 302)
        XCTAssertEqual(long, String(format: "%.300f", 1.0))
    }
}
