import FPGraph
import Foundation
import GRDB

/// The audit log: an append-only, hash-chained record of every verified
/// transformation, in one SQLite file (see `docs/audit-log.md`).
///
/// Opening a log runs its named, forward-only migrations; a log written by a
/// newer fpaudit is refused. Every append is one `BEGIN IMMEDIATE`
/// transaction in which the chain link is computed, so concurrent writers
/// (several CI jobs on one file) queue on SQLite's lock and the chain stays
/// linear; a process killed during an append leaves the entry wholly present
/// or wholly absent (SQLite's atomic commit, WAL mode).
public final class AuditLog: @unchecked Sendable {
    /// The file, or `:memory:`.
    public let path: String
    /// The log's id (`log_meta.log_id`), fixed when the log was created.
    public let logID: String
    let queue: DatabaseQueue

    /// How long an append waits for another writer's lock before giving up.
    public static let defaultBusyTimeout: TimeInterval = 120

    /// Opens (and, when `create` is true, creates) the log at `path`.
    /// - Parameters:
    ///   - create: create the file and its directory when missing; when false a missing file is an error.
    ///   - readOnly: open without write access (no migrations are run; the log must be current).
    /// - Throws: ``AuditLogError``.
    public convenience init(
        path: String, create: Bool = true, readOnly: Bool = false,
        busyTimeout: TimeInterval = AuditLog.defaultBusyTimeout
    ) throws {
        let exists = FileManager.default.fileExists(atPath: path)
        if !exists {
            guard create, !readOnly else {
                throw AuditLogError.cannotOpen(path: path, reason: "no such file")
            }
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty {
                do {
                    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                } catch {
                    throw AuditLogError.cannotOpen(
                        path: path,
                        reason: "cannot create directory '\(directory)': "
                            + error.localizedDescription)
                }
            }
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw AuditLogError.cannotOpen(path: path, reason: "it is a directory")
        }
        var config = Configuration()
        config.journalMode = readOnly ? .default : .wal
        config.readonly = readOnly
        config.busyMode = .timeout(busyTimeout)
        config.label = "fpaudit.audit-log"
        // Switching a new file to WAL needs a moment alone with it, and SQLite
        // does not wait for that (no busy handler): when several processes open
        // a new log at once, the losers retry.
        var attempt = 0
        while true {
            do {
                let queue = try DatabaseQueue(path: path, configuration: config)
                if !readOnly {
                    // WAL's default (NORMAL) may lose the last commits on power loss; an audit log may not.
                    try queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = FULL") }
                }
                let logID = try Self.prepare(queue, path: path, migrate: !readOnly)
                self.init(queue: queue, path: path, logID: logID)
                return
            } catch {
                attempt += 1
                guard attempt < 60, Self.isTransientLock(error) else { throw Self.openError(error, path: path) }
                usleep(UInt32.random(in: 5_000...50_000))
            }
        }
    }

    /// SQLite's "busy"/"locked" answers that no busy handler waited out.
    static func isTransientLock(_ error: Error) -> Bool {
        if let e = error as? DatabaseError {
            return e.resultCode == .SQLITE_BUSY || e.resultCode == .SQLITE_LOCKED
                || (e.message ?? "").contains("could not activate WAL")
        }
        if case AuditLogError.database(_, let message, _)? = error as? AuditLogError {
            return message.contains("database is locked") || message.contains("could not activate WAL")
        }
        return false
    }

    /// A new, empty log in memory (for tests and dry runs).
    public static func inMemory() throws -> AuditLog {
        do {
            let queue = try DatabaseQueue()
            return AuditLog(queue: queue, path: ":memory:", logID: try prepare(queue, path: ":memory:", migrate: true))
        } catch let e as AuditLogError {
            throw e
        } catch {
            throw AuditLogError.cannotOpen(path: ":memory:", reason: "\(error)")
        }
    }

    private init(queue: DatabaseQueue, path: String, logID: String) {
        self.queue = queue
        self.path = path
        self.logID = logID
    }

    /// Checks the file is a log this fpaudit can use, migrates it, and returns its id.
    private static func prepare(_ queue: DatabaseQueue, path: String, migrate: Bool) throws -> String {
        let migrator = Self.migrator
        do {
            try queue.read { db in try Self.checkIsAuditLog(db, path: path, migrator: migrator) }
            if migrate { try Self.migrate(queue, migrator, path: path) }
            return try queue.read { db in
                guard try migrator.hasCompletedMigrations(db) else {
                    throw AuditLogError.notAnAuditLog(
                        path: path, reason: "the log's schema is out of date; open it for writing once to migrate it")
                }
                guard let id = try String.fetchOne(db, sql: "SELECT value FROM log_meta WHERE key = 'log_id'") else {
                    throw AuditLogError.notAnAuditLog(path: path, reason: "log_meta has no log_id")
                }
                return id
            }
        } catch {
            throw isTransientLock(error) ? error : openError(error, path: path)
        }
    }

    /// Refuses files that are SQLite but not ours, and logs from a newer fpaudit.
    private static func checkIsAuditLog(_ db: Database, path: String, migrator: DatabaseMigrator) throws {
        let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
        if tables.isEmpty { return }  // new file
        let foreign = tables.filter { !ownTables.contains($0) && !$0.hasPrefix("sqlite_") }
        guard tables.contains("grdb_migrations"), foreign.isEmpty else {
            let shown = (foreign.isEmpty ? tables : foreign).sorted()
            throw AuditLogError.notAnAuditLog(
                path: path,
                reason: "it holds other tables ("
                    + shown.prefix(5).joined(separator: ", ") + ")")
        }
        let unknown = try migrator.appliedIdentifiers(db).subtracting(migrator.migrations)
        if !unknown.isEmpty { throw AuditLogError.newerSchema(path: path, unknownMigrations: unknown.sorted()) }
    }

    /// The tables a log has.
    static let ownTables: Set<String> = [
        "grdb_migrations", "log_meta", "entries", "entry_outputs", "entry_findings",
        "blobs", "log_head",
    ]

    /// Runs the migrations. Several processes may open a new log at once; the
    /// losers of the race find the migration already applied and retry.
    private static func migrate(_ queue: DatabaseQueue, _ migrator: DatabaseMigrator, path: String) throws {
        var attempt = 0
        while true {
            do {
                if try queue.read({ try migrator.hasCompletedMigrations($0) }) { return }
                try migrator.migrate(queue)
                return
            } catch {
                attempt += 1
                if attempt >= 8 { throw error }
                usleep(UInt32(20_000 * attempt))
            }
        }
    }

    static func openError(_ error: Error, path: String) -> AuditLogError {
        if let e = error as? AuditLogError { return e }
        if let e = error as? DatabaseError {
            switch e.resultCode {
            case .SQLITE_NOTADB: return .notAnAuditLog(path: path, reason: "the file is not an SQLite database")
            case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_READONLY:
                return .cannotOpen(path: path, reason: e.message ?? "\(e.resultCode)")
            default: return .database(path: path, message: e.message ?? "\(e.resultCode)", sql: e.sql)
            }
        }
        return .cannotOpen(path: path, reason: "\(error)")
    }

    /// Runs `body` on the database, turning SQLite errors into ``AuditLogError``.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try queue.read(body)
        } catch {
            throw Self.openError(error, path: path)
        }
    }

    /// The genesis hash, which the first entry's `prev_hash` holds:
    /// SHA-256 of `fpaudit.log-genesis/v1:<log id>`.
    public var genesisHash: String { fileSHA256(Data("fpaudit.log-genesis/v1:\(logID)".utf8)) }

    /// Number of entries.
    public func count() throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM entries") ?? 0 }
    }

    /// The head: the last entry's sequence number and hash as `log_head` holds them (nil when empty).
    public func head() throws -> (seq: Int64, hash: String)? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT seq, hash FROM log_head WHERE singleton = 1").map {
                ($0["seq"], $0["hash"])
            }
        }
    }
}

/// One stored entry: its record, the exact stored bytes, hash and signature.
public struct StoredEntry: Sendable {
    /// Position in the chain, from 1 (the record's `seq`).
    public var seq: Int64
    /// The entry's UUIDv7 in text form (the record's `id`).
    public var id: String
    /// The record, decoded.
    public var record: EntryRecord
    /// The stored record bytes (what ``hash`` hashes).
    public var recordText: String
    /// The hash stored with the entry: SHA-256 of ``recordText``'s UTF-8 bytes, lowercase hex. The next entry's
    /// `prev_hash` names it; `log verify` recomputes it rather than trusting this value.
    public var hash: String
    /// Base64 Ed25519 signature, when signed.
    public var signature: String?
}
