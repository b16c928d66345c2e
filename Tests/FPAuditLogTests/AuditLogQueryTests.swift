import Foundation
import XCTest
import _TestSupport

@testable import FPAuditLog

final class AuditLogQueryTests: XCTestCase {
    /// Nine entries: passes cycle algsimp/fusion/cse, verdicts pass/warn/fail, a day apart.
    func makeLog() throws -> (AuditLog, [StoredEntry]) {
        let log = try AuditLog.inMemory()
        var stored: [StoredEntry] = []
        for k in 0..<9 {
            var draft = AuditLogFixtures.draft(index: k)
            if k == 8 {
                draft.record.command = .verify
                draft.record.trace = nil
                draft.record.pass = nil
            }
            if k == 7 { draft.record.outputs[0].name = "logits" }
            stored += try log.append([draft], now: { Date(timeIntervalSince1970: 1_796_083_200 + Double(k) * 86_400) })
        }
        return (log, stored)
    }

    func seqs(_ page: LogPage) -> [Int64] { page.entries.map(\.seq) }

    func testFiltersCombine() throws {
        let (log, stored) = try makeLog()
        var q = LogQuery()
        XCTAssertEqual(seqs(try log.entries(q)), [9, 8, 7, 6, 5, 4, 3, 2, 1], "newest first")
        q.newestFirst = false
        XCTAssertEqual(seqs(try log.entries(q)).first, 1)
        q = LogQuery()
        q.verdicts = ["fail"]
        XCTAssertEqual(seqs(try log.entries(q)), [9, 6, 3])
        q.verdicts = ["pass", "warn"]
        XCTAssertEqual(seqs(try log.entries(q)).count, 6)
        q = LogQuery()
        q.pass = "simplification/*"
        XCTAssertEqual(seqs(try log.entries(q)), [7, 4, 1])
        q.pass = "fu?ion"
        XCTAssertEqual(seqs(try log.entries(q)), [8, 5, 2])
        q = LogQuery()
        q.command = "verify"
        XCTAssertEqual(seqs(try log.entries(q)), [9])
        q = LogQuery()
        q.output = "log*"
        XCTAssertEqual(seqs(try log.entries(q)), [8])
        q.output = "aux"
        XCTAssertEqual(seqs(try log.entries(q)).count, 9)
        q = LogQuery()
        q.policy = "fix*"
        XCTAssertEqual(seqs(try log.entries(q)).count, 9)
        q.policy = "strict"
        XCTAssertEqual(seqs(try log.entries(q)), [])
        q = LogQuery()
        q.graph = String(format: "%064x", 5)
        XCTAssertEqual(seqs(try log.entries(q)), [6], "a prefix of the rewritten canonical hash")
        q.graph = String(stored[2].record.original.sha256!.prefix(10)).uppercased()
        XCTAssertEqual(seqs(try log.entries(q)), [3], "a prefix of a file hash, any case")
        q.graph = "xyz1"
        XCTAssertThrowsError(try log.entries(q)) { error in
            guard case AuditLogError.badFilter(let option, _, _)? = error as? AuditLogError else {
                return XCTFail("\(error)")
            }
            XCTAssertEqual(option, "--graph")
        }
        q = LogQuery()
        q.since = Date(timeIntervalSince1970: 1_796_083_200 + 2 * 86_400)
        q.until = Date(timeIntervalSince1970: 1_796_083_200 + 5 * 86_400)
        XCTAssertEqual(seqs(try log.entries(q)), [5, 4, 3], "since is inclusive, until exclusive")
        q.verdicts = ["fail"]
        q.pass = "cse"
        XCTAssertEqual(seqs(try log.entries(q)), [3])
    }

    func testPagingAndPredicates() throws {
        let (log, _) = try makeLog()
        var q = LogQuery()
        q.limit = 4
        q.offset = 4
        let page = try log.entries(q)
        XCTAssertEqual(seqs(page), [5, 4, 3, 2])
        XCTAssertEqual(page.total, 9)
        // bits_lost.max of output y is 1 + index: more than 5 from index 5 on.
        let predicate: (StoredEntry) -> Bool = { $0.record.outputs[0].bitsLost.max > 5 }
        q = LogQuery()
        q.limit = 2
        let filtered = try log.entries(q, where: predicate)
        XCTAssertEqual(seqs(filtered), [9, 8])
        XCTAssertEqual(filtered.total, 4, "the total counts every match, not the page")
        q.offset = 2
        XCTAssertEqual(seqs(try log.entries(q, where: predicate)), [7, 6])
    }

    func testGlobsAreLiteralButForStarAndQuestionMark() throws {
        let log = try AuditLog.inMemory()
        var draft = AuditLogFixtures.draft(index: 0)
        draft.record.pass = "pass[1]"
        try log.append([draft])
        var q = LogQuery()
        q.pass = "pass[1]"
        XCTAssertEqual(seqs(try log.entries(q)), [1])
        q.pass = "pass[12]"
        XCTAssertEqual(seqs(try log.entries(q)), [], "brackets are not a character class")
        q.pass = "PASS*"
        XCTAssertEqual(seqs(try log.entries(q)), [], "case-sensitive, as policy scopes")
    }

    func testStatisticsPerPass() throws {
        let (log, _) = try makeLog()
        let stats = try log.statistics(LogQuery())
        XCTAssertEqual(stats.map(\.pass), ["(none)", "cse", "fusion", "simplification/algsimp"])
        let algsimp = try XCTUnwrap(stats.last)
        XCTAssertEqual(algsimp.runs, 3)
        XCTAssertEqual([algsimp.passes, algsimp.warnings, algsimp.failures], [3, 0, 0])
        XCTAssertEqual(algsimp.worstBitsLost, .infinity, "the aux output loses infinitely many bits")
        XCTAssertEqual(algsimp.lastRun, "2026-12-07T00:00:00.000Z")
        let cse = try XCTUnwrap(stats.first { $0.pass == "cse" })
        XCTAssertEqual(cse.failures, 2)
        var q = LogQuery()
        q.verdicts = ["fail"]
        XCTAssertEqual(try log.statistics(q).map(\.runs), [1, 2])
        let viaPredicate = try log.statistics(LogQuery()) { $0.record.verdict == .fail }
        XCTAssertEqual(viaPredicate, try log.statistics(q), "SQL and Swift aggregation agree")
    }

    func testTimesParseAsDatesOrDurations() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        XCTAssertEqual(try LogQuery.parseTime("7d", option: "--since", now: now), now.addingTimeInterval(-7 * 86_400))
        XCTAssertEqual(try LogQuery.parseTime("12h", option: "--since", now: now), now.addingTimeInterval(-12 * 3600))
        XCTAssertEqual(try LogQuery.parseTime("30m", option: "--since", now: now), now.addingTimeInterval(-1800))
        XCTAssertEqual(try LogQuery.parseTime("2w", option: "--since", now: now), now.addingTimeInterval(-14 * 86_400))
        XCTAssertEqual(try LogQuery.parseTime("1.5h", option: "--since", now: now), now.addingTimeInterval(-5400))
        XCTAssertEqual(
            try LogQuery.parseTime("2026-12-01", option: "--since", now: now),
            Date(timeIntervalSince1970: 1_796_083_200))
        for bad in ["7x", "d", "-3d", "last week", "2026-12-32"] {
            XCTAssertThrowsError(try LogQuery.parseTime(bad, option: "--until", now: now), bad) { error in
                guard case AuditLogError.badFilter(let option, let value, _)? = error as? AuditLogError else {
                    return XCTFail("\(error)")
                }
                XCTAssertEqual(option, "--until")
                XCTAssertEqual(value, bad)
            }
        }
    }
}
