import Foundation
import XCTest

@testable import FPAuditLog

final class TimeOrderedIDTests: XCTestCase {
    func testLayoutFollowsRFC9562Version7() throws {
        // 2026-12-01T00:00:00.123Z = 1796083200123 ms = 0x01A2_2EE6_B07B.
        let date = Date(timeIntervalSince1970: 1_796_083_200.123)
        var g = SystemRandomNumberGenerator()
        let id = TimeOrderedID(date: date, using: &g)
        XCTAssertEqual(id.milliseconds, 1_796_083_200_123)
        XCTAssertEqual(id.bytes[6] >> 4, 7, "version nibble")
        XCTAssertEqual(id.bytes[8] >> 6, 0b10, "RFC 4122 variant")
        let text = id.description
        XCTAssertEqual(text.count, 36)
        XCTAssertTrue(
            text.hasPrefix(String(format: "%08x-%04x-7", 1_796_083_200_123 >> 16, 1_796_083_200_123 & 0xFFFF)), text)
        XCTAssertEqual(TimeOrderedID(text), id)
        XCTAssertEqual(TimeOrderedID(text.uppercased()), id)
    }

    func testFieldsAreExact() {
        let id = TimeOrderedID(milliseconds: 0x0123_4567_89AB, counter: 0xCDE, random: 0xFFFF_FFFF_FFFF_FFFF)
        XCTAssertEqual(id.description, "01234567-89ab-7cde-bfff-ffffffffffff")
        XCTAssertEqual(id.counter, 0xCDE)
    }

    func testRejectsOtherUUIDs() {
        XCTAssertNil(TimeOrderedID("not-a-uuid"))
        XCTAssertNil(TimeOrderedID("550e8400-e29b-41d4-a716-446655440000"), "a version-4 UUID")
        XCTAssertNil(TimeOrderedID("01234567-89ab-7cde-3fff-ffffffffffff"), "wrong variant")
        XCTAssertNil(TimeOrderedID("01234567089ab-7cde-bfff-ffffffffffff"))
    }

    func testNextSortsAfterThePreviousEvenWhenTheClockStandsStillOrGoesBack() {
        var g = SystemRandomNumberGenerator()
        let date = Date(timeIntervalSince1970: 1_800_000_000)
        var previous = TimeOrderedID.next(after: nil, at: date, using: &g)
        for k in 0..<5000 {
            let when = k % 3 == 0 ? date.addingTimeInterval(-60) : date
            let id = TimeOrderedID.next(after: previous, at: when, using: &g)
            XCTAssertGreaterThan(id, previous)
            XCTAssertGreaterThan(id.description, previous.description, "text order is time order")
            previous = id
        }
        // 5000 ids in one millisecond overflow the 12-bit counter into the next milliseconds.
        XCTAssertGreaterThan(previous.milliseconds, 1_800_000_000_000)
        let later = TimeOrderedID.next(after: previous, at: date.addingTimeInterval(3600), using: &g)
        XCTAssertEqual(later.milliseconds, 1_800_003_600_000, "a clock ahead of the previous id is used as it is")
    }
}
