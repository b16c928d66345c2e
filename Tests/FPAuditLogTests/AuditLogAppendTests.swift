import FPGraph
import Foundation
import GRDB
import XCTest
import _TestSupport

@testable import FPAuditLog

final class AuditLogAppendTests: XCTestCase {
    func testEveryFieldRoundTripsOnBothStores() throws {
        try withEachStore { log, store in
            let drafts = (0..<3).map { AuditLogFixtures.draft(index: $0) }
            let clock = Date(timeIntervalSince1970: 1_796_083_200.5)
            let stored = try log.append(drafts, now: { clock })
            XCTAssertEqual(stored.map(\.seq), [1, 2, 3], store)
            for (draft, entry) in zip(drafts, stored) {
                let read = try log.entry(String(entry.seq))
                XCTAssertEqual(read.recordText, entry.recordText, store)
                XCTAssertEqual(read.hash, entry.hash)
                XCTAssertEqual(read.id, entry.id)
                // The record is the draft with the chain fields filled in, field for field.
                var expected = draft.record
                expected.seq = entry.seq
                expected.id = entry.id
                expected.timestamp = entry.record.timestamp
                expected.logID = log.logID
                expected.prevHash = entry.record.prevHash
                XCTAssertEqual(try read.record.canonicalData(), try expected.canonicalData(), store)
                XCTAssertEqual(read.record.outputs[1].bitsLost.max, .infinity)
                XCTAssertTrue(read.record.outputs[1].bitsLost.mean.isNaN, "NaN survives as \"nan\"")
                XCTAssertEqual(read.record.context, draft.record.context)
                XCTAssertEqual(read.record.config, draft.record.config)
                XCTAssertEqual(read.record.findings, draft.record.findings)
                XCTAssertEqual(read.record.waivers, draft.record.waivers)
                XCTAssertEqual(read.record.trace, draft.record.trace)
                XCTAssertEqual(read.record.policy, draft.record.policy)
                XCTAssertEqual(read.record.timestamp, "2026-12-01T00:00:00.500Z")
                for blob in draft.blobs { XCTAssertEqual(try log.blob(blob.hash, kind: blob.kind), blob.data, store) }
                XCTAssertEqual(read.hash, fileSHA256(Data(read.recordText.utf8)), "the hash is over the stored bytes")
            }
            XCTAssertEqual(stored[0].record.prevHash, log.genesisHash)
            XCTAssertEqual(stored[1].record.prevHash, stored[0].hash)
            XCTAssertEqual(stored[2].record.prevHash, stored[1].hash)
            XCTAssertLessThan(stored[0].id, stored[1].id, "ids increase within one millisecond")
            let head = try XCTUnwrap(try log.head())
            XCTAssertEqual(head.seq, 3)
            XCTAssertEqual(head.hash, stored[2].hash)
            XCTAssertTrue(try log.verifyChain().isIntact, store)
        }
    }

    func testTheRecordIsCanonicalJSON() throws {
        let log = try AuditLog.inMemory()
        let entry = try log.append([AuditLogFixtures.draft(index: 7)])[0]
        let text = entry.recordText
        XCTAssertFalse(text.contains("\n"))
        XCTAssertFalse(text.contains(": "), "no insignificant whitespace")
        XCTAssertTrue(text.hasPrefix("{\"command\":\"trace\",\"config\":{"), "keys sorted")
        XCTAssertTrue(text.contains("\"max\":\"inf\""), "non-finite numbers as strings")
        XCTAssertTrue(text.contains("\"path\":\"dump/a7.txt\""), "slashes not escaped")
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        XCTAssertEqual(object["schema"] as? String, "fpaudit.log-entry/v2")
        XCTAssertEqual(object["seq"] as? Int, 1)
        XCTAssertNil(object["hash"], "the hash is not part of what it hashes")
    }

    func testColumnsCopyTheRecord() throws {
        let t = try TestLog.onDisk()
        defer { t.remove() }
        try t.log.append([AuditLogFixtures.draft(index: 4)])
        let queue = try DatabaseQueue(path: t.log.path)
        try queue.read { db in
            let row = try XCTUnwrap(try Row.fetchOne(db, sql: "SELECT * FROM v_entries"))
            XCTAssertEqual(row["pass"] as String?, "fusion")
            XCTAssertEqual(row["verdict"] as String?, "warn")
            XCTAssertEqual(row["worst_bits_lost"] as Double?, .infinity)
            XCTAssertEqual(row["git_branch"] as String?, "main")
            let outputs = try Row.fetchAll(
                db, sql: "SELECT output, bits_lost_max, bits_lost_mean FROM v_outputs ORDER BY output")
            XCTAssertEqual(outputs.map { $0["output"] as String }, ["aux", "y"])
            XCTAssertNil(outputs[0]["bits_lost_mean"] as Double?, "NaN is NULL in SQLite")
            XCTAssertEqual(outputs[1]["bits_lost_max"] as Double?, 5)
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM v_findings"), 2)
            let stats = try XCTUnwrap(try Row.fetchOne(db, sql: "SELECT * FROM v_pass_stats"))
            XCTAssertEqual(stats["warnings"] as Int?, 1)
            XCTAssertEqual(stats["failures"] as Int?, 0)
        }
        try queue.close()
    }

    func testBlobsAreStoredOnceAndCompressed() throws {
        let t = try TestLog.onDisk()
        defer { t.remove() }
        var a = AuditLogFixtures.draft(index: 1, payload: 50_000)
        let b = a
        a.record.pass = "other"
        try t.log.append([a])
        try t.log.append([b])
        let queue = try DatabaseQueue(path: t.log.path)
        try queue.read { db in
            XCTAssertEqual(
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM blobs"), 6, "the second entry shares every blob")
            let graph = try XCTUnwrap(
                try Row.fetchOne(
                    db,
                    sql:
                        "SELECT size, length(data) AS stored, compression FROM blobs WHERE kind = 'graph' ORDER BY size DESC"
                ))
            XCTAssertEqual(graph["compression"] as String, "zlib")
            XCTAssertLessThan(
                Double(graph["stored"] as Int), 0.75 * Double(graph["size"] as Int),
                "random hex text: about 4 of 8 bits")
        }
        try queue.close()
    }

    func testAnEntryReferringToAnAbsentBlobIsRefusedAndNothingIsWritten() throws {
        try withEachStore { log, store in
            var draft = AuditLogFixtures.draft(index: 0)
            draft.blobs.removeAll { $0.kind == .report }
            XCTAssertThrowsError(try log.append([AuditLogFixtures.draft(index: 1), draft])) { error in
                guard case AuditLogError.missingBlob = error else { return XCTFail("\(error)") }
            }
            XCTAssertEqual(try log.count(), 0, "the batch is one transaction: \(store)")
            XCTAssertNil(try log.head())
            // With the blob already stored, the same draft is accepted.
            try log.append([AuditLogFixtures.draft(index: 0)])
            XCTAssertEqual(try log.append([draft])[0].seq, 2)
        }
    }

    func testTriggersRefuseUpdatesAndDeletes() throws {
        let t = try TestLog.onDisk()
        defer { t.remove() }
        try t.log.append([AuditLogFixtures.draft(index: 0), AuditLogFixtures.draft(index: 1)])
        let statements = [
            "UPDATE entries SET verdict = 'pass'", "DELETE FROM entries WHERE seq = 2",
            "UPDATE entry_outputs SET bits_lost_max = 0", "DELETE FROM entry_outputs",
            "UPDATE entry_findings SET severity = 'info'", "DELETE FROM entry_findings",
            "UPDATE blobs SET data = x'00'", "DELETE FROM blobs",
            "UPDATE log_meta SET value = 'x'", "DELETE FROM log_meta",
            "UPDATE log_head SET seq = 1", "DELETE FROM log_head",
        ]
        for sql in statements {
            XCTAssertThrowsError(try rawSQL(t.log.path, sql), sql) { error in
                XCTAssertTrue("\(error)".contains("fpaudit audit log"), "\(sql): \(error)")
            }
        }
        XCTAssertTrue(try t.log.verifyChain().isIntact)
    }

    func testReopeningKeepsTheLogAndItsID() throws {
        let t = try TestLog.onDisk()
        defer { t.remove() }
        try t.log.append([AuditLogFixtures.draft(index: 0)])
        let head = try XCTUnwrap(try t.log.head())
        let again = try AuditLog(path: t.log.path, create: false)
        XCTAssertEqual(again.logID, t.log.logID)
        XCTAssertEqual(try again.append([AuditLogFixtures.draft(index: 1)])[0].record.prevHash, head.hash)
        let readOnly = try AuditLog(path: t.log.path, readOnly: true)
        XCTAssertEqual(try readOnly.count(), 2)
    }

    func testFilesThatAreNotLogsAreRefusedWithAReason() throws {
        let dir = try TemporaryDirectory(prefix: "fpaudit-log-bad")
        defer { dir.remove() }
        let text = try dir.write("name: not a database\n", to: "policy.yaml")
        XCTAssertThrowsError(try AuditLog(path: text.path)) { error in
            XCTAssertEqual(
                error as? AuditLogError, .notAnAuditLog(path: text.path, reason: "the file is not an SQLite database"))
        }
        let other = dir.file("other.db").path
        try rawSQL(other, "CREATE TABLE users (name TEXT)")
        XCTAssertThrowsError(try AuditLog(path: other)) { error in
            guard case AuditLogError.notAnAuditLog(_, let reason)? = error as? AuditLogError else {
                return XCTFail("\(error)")
            }
            XCTAssertTrue(reason.contains("users"), reason)
        }
        let missing = dir.file("nested/none.db").path
        XCTAssertThrowsError(try AuditLog(path: missing, create: false)) { error in
            XCTAssertEqual(error as? AuditLogError, .cannotOpen(path: missing, reason: "no such file"))
        }
        XCTAssertThrowsError(try AuditLog(path: dir.url.path)) { error in
            XCTAssertEqual(error as? AuditLogError, .cannotOpen(path: dir.url.path, reason: "it is a directory"))
        }
        // A missing directory is created for a new log.
        XCTAssertEqual(try AuditLog(path: missing).count(), 0)
    }

    func testALogFromANewerFpauditIsRefused() throws {
        let t = try TestLog.onDisk()
        defer { t.remove() }
        try rawSQL(t.log.path, "INSERT INTO grdb_migrations (identifier) VALUES ('v9-future')")
        XCTAssertThrowsError(try AuditLog(path: t.log.path)) { error in
            XCTAssertEqual(error as? AuditLogError, .newerSchema(path: t.log.path, unknownMigrations: ["v9-future"]))
            XCTAssertTrue("\(error)".contains("upgrade fpaudit"))
        }
    }

    func testEntriesAreFoundBySequenceIdOrUniquePrefix() throws {
        let log = try AuditLog.inMemory()
        let stored = try log.append((0..<3).map { AuditLogFixtures.draft(index: $0) })
        XCTAssertEqual(try log.entry("2").id, stored[1].id)
        XCTAssertEqual(try log.entry(stored[2].id).seq, 3)
        XCTAssertEqual(try log.entry(stored[2].id.uppercased()).seq, 3)
        XCTAssertEqual(try log.entry(String(stored[0].id.suffix(36).prefix(36))).seq, 1)
        // Three ids made in the same millisecond share their first 13 characters.
        XCTAssertThrowsError(try log.entry(String(stored[0].id.prefix(8)))) { error in
            guard case AuditLogError.ambiguousEntry(_, let matches)? = error as? AuditLogError else {
                return XCTFail("\(error)")
            }
            XCTAssertEqual(matches.count, 3)
        }
        XCTAssertThrowsError(try log.entry("99")) { XCTAssertEqual($0 as? AuditLogError, .noSuchEntry("99")) }
        XCTAssertThrowsError(try log.entry("zz")) { XCTAssertEqual($0 as? AuditLogError, .noSuchEntry("zz")) }
    }
}
