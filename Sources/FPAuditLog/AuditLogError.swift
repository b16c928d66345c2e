import FPGraph
import Foundation

/// Why the audit log could not do what was asked. These are failures of the
/// tool or its input (a file that is not a log, a lock held too long, a bad
/// key), never findings about the log's integrity: those are
/// ``ChainProblem``s in a ``ChainReport``.
public enum AuditLogError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be opened or created as an SQLite database.
    case cannotOpen(path: String, reason: String)
    /// The file is an SQLite database but not an fpaudit audit log.
    case notAnAuditLog(path: String, reason: String)
    /// The log was written by a newer fpaudit: it has migrations this version does not know.
    case newerSchema(path: String, unknownMigrations: [String])
    /// A database statement failed (the SQL and SQLite's message).
    case database(path: String, message: String, sql: String?)
    /// No entry has this id, id prefix or sequence number.
    case noSuchEntry(String)
    /// An id prefix matches more than one entry.
    case ambiguousEntry(String, matches: [String])
    /// A blob an entry refers to is missing from the store.
    case missingBlob(hash: String)
    /// A stored blob could not be decompressed.
    case corruptBlob(hash: String, reason: String)
    /// A key file could not be read or is not an Ed25519 PEM key.
    case badKey(path: String, reason: String)
    /// A query filter could not be understood (`--since 7x`).
    case badFilter(option: String, value: String, expected: String)
    /// An export file could not be parsed (line number, what was wrong).
    case badExport(path: String, line: Int, message: String)
    /// The record of an entry could not be decoded (it is validated by `log verify`).
    case undecodableRecord(seq: Int64, reason: String)

    /// The message as fpaudit prints it: `PATH: error: ...` when a file is concerned, else `error: ...`.
    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            return "\(path): error: cannot open the audit log: \(reason)"
        case .notAnAuditLog(let path, let reason):
            return "\(path): error: not an fpaudit audit log: \(reason)"
        case .newerSchema(let path, let unknown):
            return "\(path): error: the audit log was written by a newer fpaudit (unknown migrations: "
                + unknown.joined(separator: ", ") + "); upgrade fpaudit to use it"
        case .database(let path, let message, let sql):
            return "\(path): error: audit log database error: \(message)" + (sql.map { " (in: \($0))" } ?? "")
        case .noSuchEntry(let id):
            return "error: no audit log entry '\(id)' (give an entry id, a unique id prefix, or a sequence number)"
        case .ambiguousEntry(let id, let matches):
            return "error: '\(id)' matches \(matches.count) entries (\(matches.prefix(5).joined(separator: ", "))"
                + (matches.count > 5 ? ", ..." : "") + "); give more of the id"
        case .missingBlob(let hash):
            return "error: the audit log has no stored blob \(hash)"
        case .corruptBlob(let hash, let reason):
            return "error: stored blob \(hash) is corrupt: \(reason)"
        case .badKey(let path, let reason):
            return "\(path): error: \(reason)"
        case .badFilter(let option, let value, let expected):
            return "error: \(option) '\(value)': expected \(expected)"
        case .badExport(let path, let line, let message):
            return "\(path):\(line): error: \(message)"
        case .undecodableRecord(let seq, let reason):
            return "error: the record of entry \(seq) cannot be decoded (run `fpaudit log verify`): \(reason)"
        }
    }
}

extension AuditLogError: ReportableError {
    /// ``ErrorBlame/fpaudit`` for a database failure; ``ErrorBlame/input`` for
    /// the rest (a missing log, a bad reference, a broken chain).
    public var blame: ErrorBlame {
        if case .database = self { return .fpaudit }
        return .input
    }
}
