import XCTest

@testable import FPReport

/// The text report's tables: columns padded by characters, nothing cut.
final class ReportTextTests: XCTestCase {
    /// The first column left-aligned, the others right-aligned, two spaces
    /// apart, no trailing spaces; a name with a character outside the Basic
    /// Multilingual Plane (two UTF-16 units, one character) takes as many
    /// columns as it has characters.
    func testTableAlignsByCharactersAndTrimsTrailingSpaces() {
        let rows = [["node", "bits", ""], ["𝑥²", "1.50", ""], ["divide.12", "12.00", "x"]]
        XCTAssertEqual(
            ReportText.table(rows, indent: "  "),
            """
              node        bits
              𝑥²          1.50
              divide.12  12.00  x

            """)
    }

    /// Two left-aligned columns pad both; a cell wider than every other sets its column's width.
    func testLeftAlignedColumnsPadEachCell() {
        let rows = [["a", "bb", "1"], ["ccc", "d", "22"]]
        XCTAssertEqual(ReportText.table(rows, indent: "", leftAligned: 2), "a    bb   1\nccc  d   22\n")
    }
}
