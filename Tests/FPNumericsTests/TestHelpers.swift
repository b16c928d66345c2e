import XCTest

/// Asserts that two doubles are the same IEEE value, bit for bit (so `0.0`
/// and `-0.0` differ, and a NaN equals a NaN with the same encoding).
/// Named like XCTest's own assertions.
// swift-format-ignore: AlwaysUseLowerCamelCase
func XCTAssertIdentical(
    _ actual: Double, _ expected: Double, _ message: String = "",
    file: StaticString = #filePath, line: UInt = #line
) {
    XCTAssertEqual(
        actual.bitPattern, expected.bitPattern,
        "\(actual) (\(hexBits(actual))) is not \(expected) (\(hexBits(expected))) \(message)",
        file: file, line: line)
}

func hexBits(_ x: Double) -> String { "0x" + String(x.bitPattern, radix: 16, uppercase: true) }
