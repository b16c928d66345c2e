import Foundation
import GRDB

extension AuditLog {
    /// Recomputes the whole chain and every stored blob's hash.
    ///
    /// Checks, for every entry in sequence order: the record bytes hash to
    /// the stored hash; the record names its own sequence number, id and log;
    /// it links to the previous entry's recomputed hash (the first to the
    /// genesis hash); ids increase; every copied column of `entries`,
    /// `entry_outputs` and `entry_findings` equals what the record says; every
    /// blob it refers to is stored; its signature verifies. Then every blob
    /// unpacks to bytes with its hash and size, the head matches the last
    /// entry (a truncated tail shows here), and the append-only triggers are
    /// in place.
    /// - Parameter publicKeys: when given, every entry must be signed by one of
    ///   them. When empty, each signature is checked with the key its record
    ///   names, and the key may not change (nor signing stop) along the chain:
    ///   that is what a tail rewritten under another key, or unsigned, looks like.
    public func verifyChain(publicKeys: [EntryVerifier] = []) throws -> ChainReport {
        try read { db in
            var checker = ChainChecker(logID: logID, genesis: genesisHash, trustedSigners: publicKeys)
            let outputs = try Self.rowsBySeq(db, table: "entry_outputs")
            let findings = try Self.rowsBySeq(db, table: "entry_findings")
            var blobKeys = Set<String>()
            for row in try Row.fetchAll(db, sql: "SELECT hash, kind FROM blobs") {
                blobKeys.insert((row["hash"] as String? ?? "") + "/" + (row["kind"] as String? ?? ""))
            }
            var seen = Set<Int64>()
            var firstReference: [String: Int64] = [:]
            let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM entries ORDER BY seq")
            while let row = try cursor.next() {
                let seq: Int64 = row["seq"]
                seen.insert(seq)
                let text: String = (row["record"] as String?) ?? ""
                let hash: String = (row["hash"] as String?) ?? ""
                guard
                    let record = checker.check(
                        seq: seq, id: (row["id"] as String?) ?? "", recordText: text,
                        hash: hash, signature: row["signature"])
                else { continue }
                let expected = EntryColumns(record)
                for (column, value) in expected.entry {
                    let stored: DatabaseValue = row[column]
                    if !stored.isIdentical(to: value) {
                        checker.problem(
                            seq,
                            "column \(column) holds \(stored.shortDescription), the record says \(value.shortDescription)"
                        )
                    }
                }
                compare(outputs[seq] ?? [], expected.outputs, table: "entry_outputs", seq: seq, &checker)
                compare(findings[seq] ?? [], expected.findings, table: "entry_findings", seq: seq, &checker)
                for ref in record.blobReferences where firstReference[ref.hash + "/" + ref.kind.rawValue] == nil {
                    firstReference[ref.hash + "/" + ref.kind.rawValue] = seq
                }
                for ref in record.blobReferences where !blobKeys.contains(ref.hash + "/" + ref.kind.rawValue) {
                    checker.problem(
                        seq, "refers to \(ref.kind.rawValue) blob \(ref.hash.prefix(16))..., which is not stored")
                }
            }
            for (table, rows) in [("entry_outputs", outputs), ("entry_findings", findings)] {
                for seq in rows.keys.sorted() where !seen.contains(seq) {
                    checker.problem(seq, "\(table) has rows for entry \(seq), which does not exist")
                }
            }
            var report = checker.report
            try checkBlobs(db, firstReference: firstReference, &report)
            try checkHead(db, &report)
            let triggers = Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger'"))
            let missing = Self.appendOnlyTriggerNames.filter { !triggers.contains($0) }
            if !missing.isEmpty {
                report.problems.append(
                    ChainProblem(
                        seq: nil,
                        message: "append-only triggers have been removed: "
                            + missing.joined(separator: ", ")))
            }
            return report
        }
    }

    private static func rowsBySeq(_ db: Database, table: String) throws -> [Int64: [Row]] {
        var rows: [Int64: [Row]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY seq, position") {
            rows[row["seq"], default: []].append(row)
        }
        return rows
    }

    private func compare(
        _ stored: [Row], _ expected: [[(String, DatabaseValue)]], table: String, seq: Int64,
        _ checker: inout ChainChecker
    ) {
        if stored.count != expected.count {
            checker.problem(seq, "\(table) has \(stored.count) row(s), the record has \(expected.count)")
        }
        for (row, values) in zip(stored, expected) {
            for (column, value) in values {
                let actual: DatabaseValue = row[column]
                if !actual.isIdentical(to: value) {
                    checker.problem(
                        seq,
                        "\(table) row \(values[1].1.shortDescription) column \(column) holds "
                            + "\(actual.shortDescription), the record says \(value.shortDescription)")
                }
            }
        }
    }

    /// Every blob unpacks to bytes with its hash; a bad blob is charged to the first entry that refers to it.
    private func checkBlobs(_ db: Database, firstReference: [String: Int64], _ report: inout ChainReport) throws {
        let cursor = try Row.fetchCursor(
            db, sql: "SELECT hash, kind, size, compression, data FROM blobs ORDER BY hash, kind")
        while let row = try cursor.next() {
            let hash: String = (row["hash"] as String?) ?? ""
            let owner = firstReference[hash + "/" + ((row["kind"] as String?) ?? "")]
            report.blobs += 1
            report.blobStoredBytes += (row["data"] as Data?)?.count ?? 0
            report.blobBytes += (row["size"] as Int?) ?? 0
            if BlobKind(rawValue: (row["kind"] as String?) ?? "") == nil {
                report.problems.append(
                    ChainProblem(seq: owner, blob: hash, message: "unknown kind '\(row["kind"] as String? ?? "")'"))
            }
            do {
                _ = try Self.unpack(row, hash: hash)
            } catch let AuditLogError.corruptBlob(_, reason) {
                report.problems.append(
                    ChainProblem(seq: owner, blob: hash, message: "stored blob \(hash.prefix(16))...: \(reason)"))
            }
        }
    }

    private func checkHead(_ db: Database, _ report: inout ChainReport) throws {
        let head = try Row.fetchOne(db, sql: "SELECT seq, hash FROM log_head WHERE singleton = 1")
        switch (head, report.head) {
        case (nil, nil): break
        case (nil, let last?):
            report.problems.append(ChainProblem(seq: last.seq, message: "the log has entries but no head record"))
        case (let h?, nil):
            report.problems.append(
                ChainProblem(
                    seq: nil,
                    message:
                        "the head names entry \(h["seq"] as Int64), but the log has no entries (every entry was deleted)"
                ))
        case (let h?, let last?):
            let seq: Int64 = h["seq"]
            let hash: String = h["hash"]
            if seq > last.seq {
                report.problems.append(
                    ChainProblem(
                        seq: last.seq + 1,
                        message:
                            "the head names entry \(seq) but the log ends at entry \(last.seq): entries were removed from the end"
                    ))
            } else if seq < last.seq {
                report.problems.append(
                    ChainProblem(seq: seq + 1, message: "entries after \(seq) were added without moving the head"))
            } else if hash != last.hash {
                report.problems.append(
                    ChainProblem(
                        seq: seq,
                        message:
                            "the head's hash \(hash.prefix(16))... differs from the last entry's \(last.hash.prefix(16))..."
                    ))
            }
        }
    }
}
