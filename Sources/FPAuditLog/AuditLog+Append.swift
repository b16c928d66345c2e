import FPGraph
import Foundation
import GRDB

/// Bytes an entry refers to, stored once under their SHA-256.
public struct Blob: Sendable, Equatable {
    /// What the bytes are; stored with them (the `blobs` table's `kind` column).
    public let kind: BlobKind
    /// The original, uncompressed bytes (compression happens only when the blob is stored).
    public let data: Data
    /// SHA-256 of ``data``, hex.
    public let hash: String

    /// Wraps `data` as a blob of `kind` and computes its ``hash``.
    public init(kind: BlobKind, data: Data) {
        self.kind = kind
        self.data = data
        hash = fileSHA256(data)
    }
}

/// An entry to append: the record's content and the blobs it refers to.
/// `append` fills in the chain fields (`seq`, `id`, `timestamp`, `log_id`,
/// `prev_hash`, `signer`); whatever they hold in the draft is ignored.
public struct EntryDraft: Sendable {
    /// The record to store; ``AuditLog/append(_:signer:now:)`` overwrites its chain fields.
    public var record: EntryRecord
    /// Blobs to store with it; a referenced blob must be here or already in the log.
    public var blobs: [Blob]

    /// Creates a draft from its parts.
    public init(record: EntryRecord, blobs: [Blob]) {
        self.record = record
        self.blobs = blobs
    }
}

extension AuditLog {
    /// Appends `drafts`, in order, in one transaction: they get consecutive
    /// sequence numbers, each linked to the one before.
    ///
    /// Blobs are compressed before the write lock is taken; inside it, the
    /// head is read, each record is completed, serialised, hashed and (with
    /// `signer`) signed, and the head is moved. Either all drafts are stored
    /// or none is.
    /// - Parameters:
    ///   - signer: signs every entry when given.
    ///   - now: the clock (injected in tests).
    /// - Returns: the stored entries.
    /// - Throws: ``AuditLogError`` (``AuditLogError/missingBlob(hash:)`` when a
    ///   record refers to a blob neither given nor stored).
    @discardableResult
    public func append(
        _ drafts: [EntryDraft], signer: EntrySigner? = nil,
        now: @escaping () -> Date = Date.init
    ) throws -> [StoredEntry] {
        var packed: [String: (Blob, BlobCompression, Data)] = [:]
        for blob in drafts.flatMap(\.blobs) where packed[blob.hash + "/" + blob.kind.rawValue] == nil {
            let (compression, bytes) = BlobCompression.pack(blob.data)
            packed[blob.hash + "/" + blob.kind.rawValue] = (blob, compression, bytes)
        }
        let signerID = signer?.publicKey.signerID
        let logID = self.logID
        let genesis = genesisHash
        do {
            return try queue.writeWithoutTransaction { db in
                var stored: [StoredEntry] = []
                try db.inTransaction(.immediate) {
                    stored = []
                    for key in packed.keys.sorted() {
                        let (blob, compression, bytes) = packed[key]!
                        try db.cachedStatement(
                            sql: """
                                INSERT OR IGNORE INTO blobs (hash, kind, size, compression, data) VALUES (?, ?, ?, ?, ?)
                                """
                        ).execute(arguments: [
                            blob.hash, blob.kind.rawValue, blob.data.count, compression.rawValue, bytes,
                        ])
                    }
                    let head = try Row.fetchOne(db, sql: "SELECT seq, hash FROM log_head WHERE singleton = 1")
                    var seq: Int64 = head?["seq"] ?? 0
                    var previousHash: String = head?["hash"] ?? genesis
                    var previousID = try String.fetchOne(
                        db, sql: "SELECT id FROM entries WHERE seq = ?", arguments: [seq]
                    )
                    .flatMap(TimeOrderedID.init)
                    var generator = SystemRandomNumberGenerator()
                    for draft in drafts {
                        for ref in draft.record.blobReferences where packed[ref.hash + "/" + ref.kind.rawValue] == nil {
                            let present =
                                try Bool.fetchOne(
                                    db, sql: "SELECT EXISTS (SELECT 1 FROM blobs WHERE hash = ? AND kind = ?)",
                                    arguments: [ref.hash, ref.kind.rawValue]) ?? false
                            if !present { throw AuditLogError.missingBlob(hash: ref.hash) }
                        }
                        let date = now()
                        let id = TimeOrderedID.next(after: previousID, at: date, using: &generator)
                        seq += 1
                        var record = draft.record
                        record.schema = EntryRecord.currentSchema
                        record.seq = seq
                        record.id = id.description
                        record.timestamp = Timestamp.format(Date(timeIntervalSince1970: Double(id.milliseconds) / 1000))
                        record.logID = logID
                        record.prevHash = previousHash
                        record.signer = signerID
                        let data = try record.canonicalData()
                        let hash = fileSHA256(data)
                        let signature = try signer?.sign(hash: hash)
                        let text = String(decoding: data, as: UTF8.self)
                        let columns = EntryColumns(record)
                        let (sql, arguments) = EntryColumns.insert(
                            into: "entries", columns.entry,
                            extra: [
                                ("record", .text(text)), ("hash", .text(hash)), ("signature", .text(signature)),
                            ])
                        try db.cachedStatement(sql: sql).execute(arguments: arguments)
                        for (table, rows) in [("entry_outputs", columns.outputs), ("entry_findings", columns.findings)]
                        {
                            for row in rows {
                                let (sql, arguments) = EntryColumns.insert(into: table, row)
                                try db.cachedStatement(sql: sql).execute(arguments: arguments)
                            }
                        }
                        stored.append(
                            StoredEntry(
                                seq: seq, id: record.id, record: record, recordText: text, hash: hash,
                                signature: signature))
                        previousHash = hash
                        previousID = id
                    }
                    if !drafts.isEmpty {
                        try db.execute(
                            sql: """
                                INSERT INTO log_head (singleton, seq, hash) VALUES (1, ?, ?)
                                ON CONFLICT (singleton) DO UPDATE SET seq = excluded.seq, hash = excluded.hash
                                """, arguments: [seq, previousHash])
                    }
                    return .commit
                }
                return stored
            }
        } catch {
            throw Self.openError(error, path: path)
        }
    }

    /// The original bytes of a stored blob.
    /// - Throws: ``AuditLogError/missingBlob(hash:)``, ``AuditLogError/corruptBlob(hash:reason:)``.
    public func blob(_ hash: String, kind: BlobKind) throws -> Data {
        let row = try read { db in
            try Row.fetchOne(
                db, sql: "SELECT size, compression, data FROM blobs WHERE hash = ? AND kind = ?",
                arguments: [hash, kind.rawValue])
        }
        guard let row else { throw AuditLogError.missingBlob(hash: hash) }
        return try Self.unpack(row, hash: hash)
    }

    /// Unpacks a `blobs` row and checks its hash.
    static func unpack(_ row: Row, hash: String) throws -> Data {
        let name: String = row["compression"] ?? ""
        guard let compression = BlobCompression(rawValue: name) else {
            throw AuditLogError.corruptBlob(hash: hash, reason: "unknown compression '\(name)'")
        }
        guard let stored = row["data"] as Data?, let size = row["size"] as Int? else {
            throw AuditLogError.corruptBlob(hash: hash, reason: "missing data or size")
        }
        let data: Data
        do {
            data = try compression.unpack(stored, size: size)
        } catch {
            throw AuditLogError.corruptBlob(hash: hash, reason: "\(error)")
        }
        let actual = fileSHA256(data)
        guard actual == hash else {
            throw AuditLogError.corruptBlob(hash: hash, reason: "its bytes hash to \(actual)")
        }
        return data
    }
}
