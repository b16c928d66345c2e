import FPGraph
import Foundation
import GRDB
import XCTest
import _TestSupport

@testable import FPAuditLog

/// Tampering written through raw SQL, as someone editing the file would:
/// every kind must be found, and charged to the right entry.
final class AuditLogVerifyTests: XCTestCase {
    /// A log of five entries (and their blobs) to copy for each trial.
    var base: TemporaryDirectory!
    var basePath: String { base.file("base.db").path }

    override func setUpWithError() throws {
        base = try TemporaryDirectory(prefix: "fpaudit-tamper")
        let log = try AuditLog(path: basePath)
        for k in 0..<5 { try log.append([AuditLogFixtures.draft(index: k)]) }
        try DatabaseQueue(path: basePath).writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
        }
    }

    override func tearDown() { base.remove() }

    /// A fresh copy of the base log with `sql` applied (after dropping the triggers).
    func tampered(_ sql: String, arguments: StatementArguments = StatementArguments(), name: String = UUID().uuidString)
        throws -> AuditLog
    {
        let path = base.file("\(name).db").path
        try FileManager.default.copyItem(atPath: basePath, toPath: path)
        try rawSQL(path, dropTriggers + sql, arguments: arguments)
        return try AuditLog(path: path, create: false)
    }

    func testAnUntouchedLogIsIntact() throws {
        let report = try AuditLog(path: basePath).verifyChain()
        XCTAssertTrue(report.isIntact, "\(report.problems)")
        XCTAssertEqual(report.entries, 5)
        XCTAssertEqual(
            report.blobs, 10 + 3 + 5 + 1 + 5, "graphs, 3 policy variants, data, one shared values file, reports")
        XCTAssertEqual(report.head?.seq, 5)
        XCTAssertEqual(report.entryHashes.count, 5)
    }

    func testDroppingTheTriggersAloneIsReported() throws {
        let report = try tampered("").verifyChain()
        XCTAssertFalse(report.isIntact)
        XCTAssertNil(report.firstBadEntry)
        XCTAssertTrue(report.problems[0].message.contains("append-only triggers have been removed"))
    }

    /// A different value of the same storage class, one byte (or one unit) away.
    func changed(_ value: DatabaseValue) -> DatabaseValue {
        switch value.storage {
        case .null: return "x".databaseValue
        case .int64(let i): return (i + 1).databaseValue
        case .double(let d): return (d.isFinite ? d.nextUp : 0).databaseValue
        case .string(let s):
            var bytes = Array(s.utf8)
            let k = bytes.count / 2
            bytes[k] = bytes[k] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
            return String(decoding: bytes, as: UTF8.self).databaseValue
        case .blob(let b):
            var d = b
            d[d.count / 2] ^= 1
            return d.databaseValue
        }
    }

    func testAChangedByteInAnyColumnOfAnyEntryIsFound() throws {
        let rows = try DatabaseQueue(path: basePath).read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM entries ORDER BY seq")
        }
        var trials = 0
        for row in rows {
            let seq: Int64 = row["seq"]
            for column in row.columnNames where column != "seq" {
                let log = try tampered(
                    "UPDATE entries SET \(column) = ? WHERE seq = ?",
                    arguments: [changed(row[column]), seq])
                let report = try log.verifyChain()
                XCTAssertEqual(report.firstBadEntry, seq, "entries.\(column) of entry \(seq): \(report.problems)")
                trials += 1
            }
        }
        XCTAssertEqual(trials, 5 * 31)
    }

    func testAChangedSequenceNumberIsFound() throws {
        let report = try tampered(
            "UPDATE entries SET seq = 9 WHERE seq = 5; UPDATE entry_outputs SET seq = 9 WHERE seq = 5; UPDATE entry_findings SET seq = 9 WHERE seq = 5"
        ).verifyChain()
        XCTAssertEqual(report.firstBadEntry, 5, "\(report.problems)")
    }

    func testAChangedByteInAnyOutputOrFindingRowIsFound() throws {
        for table in ["entry_outputs", "entry_findings"] {
            let rows = try DatabaseQueue(path: basePath).read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM \(table) WHERE seq IN (2, 4)")
            }
            XCTAssertEqual(rows.count, 4)
            for row in rows {
                let seq: Int64 = row["seq"]
                let position: Int64 = row["position"]
                for column in row.columnNames where column != "seq" && column != "position" {
                    let report = try tampered(
                        "UPDATE \(table) SET \(column) = ? WHERE seq = ? AND position = ?",
                        arguments: [changed(row[column]), seq, position]
                    ).verifyChain()
                    XCTAssertEqual(report.firstBadEntry, seq, "\(table).\(column) of entry \(seq): \(report.problems)")
                }
            }
            let deleted = try tampered("DELETE FROM \(table) WHERE seq = 3 AND position = 1").verifyChain()
            XCTAssertEqual(deleted.firstBadEntry, 3, "\(table): a deleted row")
            let added = try tampered(
                "INSERT INTO \(table) SELECT seq, position + 10, \(table == "entry_outputs" ? "name, dtype, shape, bits_lost_max, bits_lost_mean, worse_share, new_nonfinite, semantic_max_ulps, original_bits_max, original_bits_mean, rewritten_bits_max, rewritten_bits_mean, rewritten_bits_p99, original_ulps_max, rewritten_ulps_max, rewritten_relative_max, rewritten_nonfinite" : "rule, severity, output, message, value, threshold, waiver") FROM \(table) WHERE seq = 2 AND position = 0"
            ).verifyChain()
            XCTAssertEqual(added.firstBadEntry, 2, "\(table): an added row")
        }
    }

    func testAChangedByteInAnyBlobColumnIsFound() throws {
        let rows = try DatabaseQueue(path: basePath).read { db in try Row.fetchAll(db, sql: "SELECT * FROM blobs") }
        let firstUse = try DatabaseQueue(path: basePath).read { db -> [String: Int64] in
            var uses: [String: Int64] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT seq, record FROM entries ORDER BY seq") {
                let record = try EntryRecord.decode(Data((row["record"] as String).utf8))
                for ref in record.blobReferences where uses[ref.hash] == nil { uses[ref.hash] = row["seq"] }
            }
            return uses
        }
        for row in rows {
            let hash: String = row["hash"]
            let kind: String = row["kind"]
            for column in row.columnNames {
                var value = changed(row[column])
                if column == "compression" { value = (row[column] as String == "zlib" ? "none" : "zlib").databaseValue }
                if column == "kind" { value = (kind == "graph" ? "report" : "graph").databaseValue }
                let report = try tampered(
                    "UPDATE blobs SET \(column) = ? WHERE hash = ? AND kind = ?",
                    arguments: [value, hash, kind]
                ).verifyChain()
                XCTAssertFalse(report.isIntact, "blobs.\(column) of \(kind) \(hash.prefix(8))")
                XCTAssertEqual(
                    report.firstBadEntry, firstUse[hash],
                    "blobs.\(column) of \(kind) \(hash.prefix(8)): \(report.problems)")
            }
        }
        let deleted = try tampered(
            "DELETE FROM blobs WHERE kind = 'report' AND hash = (SELECT hash FROM blobs WHERE kind = 'report' ORDER BY hash LIMIT 1)"
        ).verifyChain()
        XCTAssertNotNil(deleted.firstBadEntry)
        XCTAssertTrue(deleted.problems.contains { $0.message.contains("which is not stored") }, "\(deleted.problems)")
    }

    func testADeletedRowIsFound() throws {
        for seq in 1...5 {
            let report = try tampered(
                "DELETE FROM entries WHERE seq = \(seq); DELETE FROM entry_outputs WHERE seq = \(seq); DELETE FROM entry_findings WHERE seq = \(seq)"
            ).verifyChain()
            XCTAssertEqual(report.firstBadEntry, Int64(seq), "deleting entry \(seq): \(report.problems)")
        }
        // The last entry and the head together: the chain still ends cleanly, so only an anchor kept elsewhere shows it.
        let truncated = try tampered(
            "DELETE FROM entries WHERE seq = 5; DELETE FROM entry_outputs WHERE seq = 5; DELETE FROM entry_findings WHERE seq = 5; UPDATE log_head SET seq = 4, hash = (SELECT hash FROM entries WHERE seq = 4)"
        ).verifyChain()
        XCTAssertTrue(truncated.isIntact || truncated.problems.allSatisfy { $0.seq == nil }, "\(truncated.problems)")
        XCTAssertNil(truncated.entryHashes[5], "an anchor naming entry 5 finds it gone")
    }

    func testReorderedRowsAreFound() throws {
        // Swap entries 2 and 3 (with their child rows) by renumbering.
        let swap = """
            UPDATE entries SET seq = 1002 WHERE seq = 2; UPDATE entries SET seq = 2 WHERE seq = 3; UPDATE entries SET seq = 3 WHERE seq = 1002;
            UPDATE entry_outputs SET seq = 1002 WHERE seq = 2; UPDATE entry_outputs SET seq = 2 WHERE seq = 3; UPDATE entry_outputs SET seq = 3 WHERE seq = 1002;
            UPDATE entry_findings SET seq = 1002 WHERE seq = 2; UPDATE entry_findings SET seq = 2 WHERE seq = 3; UPDATE entry_findings SET seq = 3 WHERE seq = 1002;
            """
        let report = try tampered(swap).verifyChain()
        XCTAssertEqual(report.firstBadEntry, 2, "\(report.problems)")
    }

    func testAForgedEntryWithARecomputedHashIsFound() throws {
        // Rewrite entry 3's verdict and recompute its hash: entry 4 no longer links to it.
        let queue = try DatabaseQueue(path: basePath)
        let row = try queue.read { db in try Row.fetchOne(db, sql: "SELECT record FROM entries WHERE seq = 3")! }
        try queue.close()
        var record = try EntryRecord.decode(Data((row["record"] as String).utf8))
        record.verdict = .pass
        let text = String(decoding: try record.canonicalData(), as: UTF8.self)
        let report = try tampered(
            "UPDATE entries SET record = ?, hash = ?, verdict = 'pass' WHERE seq = 3",
            arguments: [text, fileSHA256(Data(text.utf8))]
        ).verifyChain()
        XCTAssertEqual(
            report.firstBadEntry, 4, "the forged entry hashes right, its successor's link breaks: \(report.problems)")
        // Forging the last entry too is only caught by the head record.
        var last = try EntryRecord.decode(
            Data(
                try DatabaseQueue(path: basePath).read { db in
                    try String.fetchOne(db, sql: "SELECT record FROM entries WHERE seq = 5")!
                }.utf8))
        last.verdict = .pass
        let lastText = String(decoding: try last.canonicalData(), as: UTF8.self)
        let forgedTail = try tampered(
            "UPDATE entries SET record = ?, hash = ?, verdict = 'pass' WHERE seq = 5",
            arguments: [lastText, fileSHA256(Data(lastText.utf8))]
        ).verifyChain()
        XCTAssertEqual(forgedTail.firstBadEntry, 5, "\(forgedTail.problems)")
    }

    func testAnEntryFromAnotherLogIsFound() throws {
        let other = try AuditLog.inMemory()
        let foreign = try other.append([AuditLogFixtures.draft(index: 0)])[0]
        let report = try tampered(
            "UPDATE entries SET record = ?, hash = ?, id = ? WHERE seq = 1",
            arguments: [foreign.recordText, foreign.hash, foreign.id]
        ).verifyChain()
        XCTAssertEqual(report.firstBadEntry, 1)
        XCTAssertTrue(report.problems.contains { $0.message.contains("belongs to log") }, "\(report.problems)")
    }
}
