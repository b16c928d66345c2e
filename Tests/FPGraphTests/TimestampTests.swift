import FPGraph
import Foundation
import XCTest

final class TimestampTests: XCTestCase {
    func testFormatIsUTCWithMilliseconds() {
        XCTAssertEqual(Timestamp.format(Date(timeIntervalSince1970: -0.5)), "1969-12-31T23:59:59.500Z")
        XCTAssertEqual(Timestamp.format(Date(timeIntervalSince1970: 253_402_300_799.5)), "9999-12-31T23:59:59.500Z")
        XCTAssertEqual(Timestamp.format(Date(timeIntervalSince1970: 0)), "1970-01-01T00:00:00.000Z")
        XCTAssertEqual(Timestamp.format(Date(timeIntervalSince1970: 1_796_083_200.123)), "2026-12-01T00:00:00.123Z")
        XCTAssertEqual(Timestamp.format(Date(timeIntervalSince1970: 951_825_600.999)), "2000-02-29T12:00:00.999Z")
    }

    func testParseReadsDatesTimesAndTheLogsOwnForm() throws {
        XCTAssertEqual(Timestamp.parse("2026-12-01"), Date(timeIntervalSince1970: 1_796_083_200))
        XCTAssertEqual(Timestamp.parse("2026-12-01T01:02"), Date(timeIntervalSince1970: 1_796_083_200 + 3720))
        XCTAssertEqual(Timestamp.parse("2026-12-01 01:02:03"), Date(timeIntervalSince1970: 1_796_083_200 + 3723))
        let t = try XCTUnwrap(Timestamp.parse("2026-12-01T00:00:00.123Z"))
        XCTAssertEqual(Timestamp.format(t), "2026-12-01T00:00:00.123Z")
        for bad in ["", "2026-13-01", "2026-12-01T25:00", "yesterday", "2026-12-01T00:00:00+02:00", "12/01/2026"] {
            XCTAssertNil(Timestamp.parse(bad), bad)
        }
    }
}
