import FPGraph
import Foundation
import GRDB

/// `fpaudit log export --format jsonl`: the whole chain as JSON lines, which
/// ``ExportVerifier`` (and any SHA-256 tool) checks without the database.
///
/// Line 1 is a header `{"type":"header","schema":"fpaudit.log-export/v1",
/// "log_id","genesis","entries","head":{"seq","hash"},"exported_at","tool"}`;
/// then one `{"type":"entry","seq","id","hash","signature","record"}` line per
/// entry in chain order, where `record` is the stored record text exactly
/// (hash it as UTF-8); with blobs, then one `{"type":"blob","hash","kind",
/// "size","data"}` line per blob with the original bytes in base64.
public enum LogExport {
    /// `fpaudit.log-export/v1`: the `schema` of an export's header line.
    public static let schema = "fpaudit.log-export/v1"

    struct Header: Codable {
        var type = "header"
        var schema: String
        var logID: String
        var genesis: String
        var entries: Int
        var head: Head?
        var exportedAt: String
        var tool: String
        enum CodingKeys: String, CodingKey {
            case type, schema, logID = "log_id", genesis, entries, head, exportedAt = "exported_at", tool
        }
    }

    struct Head: Codable {
        var seq: Int64
        var hash: String
    }

    struct EntryLine: Codable {
        var type = "entry"
        var seq: Int64
        var id: String
        var hash: String
        var signature: String?
        var record: String
    }

    struct BlobLine: Codable {
        var type = "blob"
        var hash: String
        var kind: String
        var size: Int
        var data: String
    }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()
}

extension AuditLog {
    /// Writes the export, line by line, to `write`.
    /// - Parameters:
    ///   - includeBlobs: also write every blob (graphs, policies, reports), so the export can be replayed elsewhere.
    ///   - toolVersion: recorded in the header.
    public func export(
        includeBlobs: Bool, toolVersion: String, now: Date = Date(),
        write: (Data) throws -> Void
    ) throws {
        func line<T: Encodable>(_ value: T) throws { try write(LogExport.encoder.encode(value) + Data("\n".utf8)) }
        let genesis = genesisHash
        do {
            try queue.read { db in
                let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM entries") ?? 0
                let head = try Row.fetchOne(db, sql: "SELECT seq, hash FROM log_head WHERE singleton = 1")
                    .map { LogExport.Head(seq: $0["seq"], hash: $0["hash"]) }
                try line(
                    LogExport.Header(
                        schema: LogExport.schema, logID: logID, genesis: genesis, entries: count,
                        head: head, exportedAt: Timestamp.format(now), tool: "fpaudit \(toolVersion)"))
                let entries = try Row.fetchCursor(
                    db, sql: "SELECT seq, id, hash, signature, record FROM entries ORDER BY seq")
                while let row = try entries.next() {
                    try line(
                        LogExport.EntryLine(
                            seq: row["seq"], id: row["id"], hash: row["hash"],
                            signature: row["signature"], record: row["record"]))
                }
                guard includeBlobs else { return }
                let blobs = try Row.fetchCursor(
                    db, sql: "SELECT hash, kind, size, compression, data FROM blobs ORDER BY hash, kind")
                while let row = try blobs.next() {
                    let hash: String = row["hash"]
                    let data = try Self.unpack(row, hash: hash)
                    try line(
                        LogExport.BlobLine(
                            hash: hash, kind: row["kind"], size: data.count,
                            data: data.base64EncodedString()))
                }
            }
        } catch {
            throw Self.openError(error, path: path)
        }
    }
}

/// Checks an export file offline: the same chain checks as ``AuditLog/verifyChain(publicKeys:)``
/// on the entries, the head against the last entry, and the hash of every blob included.
public enum ExportVerifier {
    /// - Throws: ``AuditLogError/badExport(path:line:message:)`` when the file is not an export.
    public static func verify(contentsOf path: String, publicKeys: [EntryVerifier] = []) throws -> ChainReport {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AuditLogError.cannotOpen(path: path, reason: "cannot read the export file")
        }
        let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        let decoder = JSONDecoder()
        guard let first = lines.first, let header = try? decoder.decode(LogExport.Header.self, from: Data(first)),
            header.type == "header", header.schema == LogExport.schema
        else {
            throw AuditLogError.badExport(path: path, line: 1, message: "expected an \(LogExport.schema) header line")
        }
        let genesis = fileSHA256(Data("fpaudit.log-genesis/v1:\(header.logID)".utf8))
        var checker = ChainChecker(logID: header.logID, genesis: genesis, trustedSigners: publicKeys)
        if header.genesis != genesis {
            checker.problem(nil, "the header's genesis hash does not belong to log \(header.logID)")
        }
        var references: [String: Int64] = [:]
        var blobs: [String: (Int, LogExport.BlobLine)] = [:]
        for (k, raw) in lines.enumerated().dropFirst() where !raw.isEmpty {
            let number = k + 1
            struct Kind: Decodable { var type: String }
            guard let kind = try? decoder.decode(Kind.self, from: Data(raw)) else {
                throw AuditLogError.badExport(path: path, line: number, message: "not a JSON object with a \"type\"")
            }
            switch kind.type {
            case "entry":
                guard let e = try? decoder.decode(LogExport.EntryLine.self, from: Data(raw)) else {
                    throw AuditLogError.badExport(path: path, line: number, message: "malformed entry line")
                }
                if let record = checker.check(
                    seq: e.seq, id: e.id, recordText: e.record, hash: e.hash, signature: e.signature)
                {
                    for ref in record.blobReferences where references[ref.hash + "/" + ref.kind.rawValue] == nil {
                        references[ref.hash + "/" + ref.kind.rawValue] = e.seq
                    }
                }
            case "blob":
                guard let b = try? decoder.decode(LogExport.BlobLine.self, from: Data(raw)) else {
                    throw AuditLogError.badExport(path: path, line: number, message: "malformed blob line")
                }
                blobs[b.hash + "/" + b.kind] = (number, b)
            default:
                throw AuditLogError.badExport(path: path, line: number, message: "unknown line type '\(kind.type)'")
            }
        }
        var report = checker.report
        if report.entries != header.entries {
            report.problems.append(
                ChainProblem(
                    seq: nil, message: "the header announces \(header.entries) entries, the file has \(report.entries)")
            )
        }
        if let head = header.head, let last = report.head, head.seq != last.seq || head.hash != last.hash {
            report.problems.append(
                ChainProblem(
                    seq: min(head.seq, last.seq + 1),
                    message: "the header's head (entry \(head.seq)) does not match the last entry (\(last.seq))"))
        }
        for key in blobs.keys.sorted() {
            let (number, b) = blobs[key]!
            report.blobs += 1
            report.blobBytes += b.size
            guard let bytes = Data(base64Encoded: b.data), bytes.count == b.size, fileSHA256(bytes) == b.hash else {
                report.problems.append(
                    ChainProblem(
                        seq: references[key], blob: b.hash,
                        message: "line \(number): the blob's bytes do not hash to \(b.hash.prefix(16))..."))
                continue
            }
        }
        if !blobs.isEmpty {
            for (key, seq) in references where blobs[key] == nil {
                report.problems.append(
                    ChainProblem(
                        seq: seq, message: "refers to blob \(key.prefix(16))..., which the export does not include"))
            }
        }
        return report
    }
}
