import FPGraph
import Foundation
import GRDB

/// Filters over the log. Every filter set must hold (they are ANDed); unset
/// filters match everything. Globs use `*` (any run) and `?` (one character),
/// case-sensitively, as policy scopes do.
public struct LogQuery: Sendable, Equatable {
    /// Entries with one of these verdicts (`pass`, `warn`, `fail`, `unchanged`, `error`).
    public var verdicts: [String] = []
    /// Glob over the pass name.
    public var pass: String?
    /// A hex prefix of either graph's canonical hash or file SHA-256.
    public var graph: String?
    /// Glob over the policy's name.
    public var policy: String?
    /// Glob over output names: entries with a matching output.
    public var output: String?
    /// `verify` or `trace`.
    public var command: String?
    /// One invocation's entries (`run` id prefix).
    public var run: String?
    /// Appended at or after this time.
    public var since: Date?
    /// Appended before this time.
    public var until: Date?
    /// Newest first (the default) or oldest first.
    public var newestFirst = true
    /// At most this many entries (after `offset`).
    public var limit: Int?
    /// Skip this many matching entries first.
    public var offset = 0

    /// A query with no filters: every entry, newest first, no limit.
    public init() {}
}

/// A page of matching entries and how many match in all.
public struct LogPage: Sendable {
    /// The entries of the page, in the query's order.
    public var entries: [StoredEntry]
    /// Matching entries before `limit` and `offset`.
    public var total: Int
}

/// Per-pass figures over matching entries.
public struct PassStatistics: Sendable, Equatable {
    /// The pass (`(none)` for verify runs without `--pass`).
    public var pass: String
    /// Matching entries of this pass: one per verified pair or trace step, not one per invocation.
    public var runs: Int
    /// Entries with the verdict `fail`.
    public var failures: Int
    /// Entries with the verdict `warn`.
    public var warnings: Int
    /// Entries with the verdict `pass`.
    public var passes: Int
    /// Entries with the verdict `unchanged`.
    public var unchanged: Int
    /// Entries with the verdict `error` (or any verdict not counted above).
    public var errors: Int
    /// The largest `bits_lost.max` of any output of any entry (nil when nothing was measured).
    public var worstBitsLost: Double?
    /// Mean over measured entries of their largest `bits_lost.max`.
    public var meanWorstBitsLost: Double?
    /// Timestamp of the latest matching entry: UTC, ISO 8601 with milliseconds.
    public var lastRun: String
}

extension AuditLog {
    /// Entries matching `query`, in its order and page, and the total count.
    /// - Parameter predicate: a further filter evaluated on each decoded entry
    ///   (e.g. a policy expression); `limit`/`offset` apply after it.
    public func entries(_ query: LogQuery, where predicate: ((StoredEntry) throws -> Bool)? = nil) throws -> LogPage {
        let (clause, arguments) = try Self.filter(query)
        let order = query.newestFirst ? "DESC" : "ASC"
        let sql = "SELECT seq, id, record, hash, signature FROM entries\(clause) ORDER BY seq \(order)"
        return try read { db in
            var page: [StoredEntry] = []
            var total = 0
            let limit = query.limit ?? Int.max
            if predicate == nil {
                total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM entries\(clause)", arguments: arguments) ?? 0
                let paged = sql + " LIMIT ? OFFSET ?"
                let rows = try Row.fetchCursor(
                    db, sql: paged, arguments: arguments + [min(limit, Int(Int64.max)), query.offset])
                while let row = try rows.next() { page.append(try Self.storedEntry(row)) }
                return LogPage(entries: page, total: total)
            }
            let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
            while let row = try rows.next() {
                let entry = try Self.storedEntry(row)
                guard try predicate!(entry) else { continue }
                if total >= query.offset && page.count < limit { page.append(entry) }
                total += 1
            }
            return LogPage(entries: page, total: total)
        }
    }

    /// The entry a user names: a sequence number, a full id, or a unique id prefix.
    /// - Throws: ``AuditLogError/noSuchEntry(_:)``, ``AuditLogError/ambiguousEntry(_:matches:)``.
    public func entry(_ reference: String) throws -> StoredEntry {
        let text = reference.trimmingCharacters(in: .whitespaces).lowercased()
        return try read { db in
            if let seq = Int64(text),
                let row = try Row.fetchOne(
                    db, sql: "SELECT seq, id, record, hash, signature FROM entries WHERE seq = ?", arguments: [seq])
            {
                return try Self.storedEntry(row)
            }
            guard text.count >= 4, text.allSatisfy({ $0.isHexDigit || $0 == "-" }) else {
                throw AuditLogError.noSuchEntry(reference)
            }
            let rows = try Row.fetchAll(
                db,
                sql:
                    "SELECT seq, id, record, hash, signature FROM entries WHERE substr(id, 1, ?) = ? ORDER BY seq LIMIT 21",
                arguments: [text.count, text])
            if rows.count > 1 { throw AuditLogError.ambiguousEntry(reference, matches: rows.map { $0["id"] }) }
            guard let row = rows.first else { throw AuditLogError.noSuchEntry(reference) }
            return try Self.storedEntry(row)
        }
    }

    /// Per-pass statistics over the entries matching `query` (its paging is ignored), by pass name.
    public func statistics(_ query: LogQuery, where predicate: ((StoredEntry) throws -> Bool)? = nil) throws
        -> [PassStatistics]
    {
        var all = query
        all.limit = nil
        all.offset = 0
        var rows: [(pass: String, verdict: String, worst: Double?, timestamp: String)] = []
        if let predicate {
            for e in try entries(all, where: predicate).entries {
                rows.append(
                    (e.record.pass ?? "(none)", e.record.verdict.rawValue, e.record.worstBitsLost, e.record.timestamp))
            }
        } else {
            let (clause, arguments) = try Self.filter(all)
            try read { db in
                let cursor = try Row.fetchCursor(
                    db, sql: "SELECT pass, verdict, worst_bits_lost, timestamp FROM entries\(clause)",
                    arguments: arguments)
                while let r = try cursor.next() {
                    rows.append(
                        ((r["pass"] as String?) ?? "(none)", r["verdict"], r["worst_bits_lost"], r["timestamp"]))
                }
            }
        }
        var byPass: [String: PassStatistics] = [:]
        var measured: [String: (sum: Double, count: Int)] = [:]
        for r in rows {
            var s =
                byPass[r.pass]
                ?? PassStatistics(
                    pass: r.pass, runs: 0, failures: 0, warnings: 0, passes: 0,
                    unchanged: 0, errors: 0, worstBitsLost: nil,
                    meanWorstBitsLost: nil, lastRun: r.timestamp)
            s.runs += 1
            switch r.verdict {
            case "fail": s.failures += 1
            case "warn": s.warnings += 1
            case "pass": s.passes += 1
            case "unchanged": s.unchanged += 1
            default: s.errors += 1
            }
            if let w = r.worst {
                s.worstBitsLost = max(s.worstBitsLost ?? -.infinity, w)
                measured[r.pass, default: (0, 0)].sum += w
                measured[r.pass, default: (0, 0)].count += 1
            }
            s.lastRun = max(s.lastRun, r.timestamp)
            byPass[r.pass] = s
        }
        for (pass, m) in measured where m.count > 0 { byPass[pass]?.meanWorstBitsLost = m.sum / Double(m.count) }
        return byPass.values.sorted { $0.pass < $1.pass }
    }

    static func storedEntry(_ row: Row) throws -> StoredEntry {
        let seq: Int64 = row["seq"]
        let text: String = row["record"]
        let record: EntryRecord
        do {
            record = try EntryRecord.decode(Data(text.utf8))
        } catch {
            throw AuditLogError.undecodableRecord(seq: seq, reason: "\(error)")
        }
        return StoredEntry(
            seq: seq, id: row["id"], record: record, recordText: text, hash: row["hash"],
            signature: row["signature"])
    }

    /// The `WHERE` clause and its arguments for a query.
    static func filter(_ q: LogQuery) throws -> (String, StatementArguments) {
        var terms: [String] = []
        var arguments: [DatabaseValueConvertible?] = []
        if !q.verdicts.isEmpty {
            terms.append("verdict IN (" + Array(repeating: "?", count: q.verdicts.count).joined(separator: ", ") + ")")
            arguments += q.verdicts
        }
        if let p = q.pass {
            terms.append("COALESCE(pass, '') GLOB ?")
            arguments.append(sqliteGlob(p))
        }
        if let g = q.graph {
            let prefix = g.lowercased()
            guard prefix.count >= 4, prefix.allSatisfy(\.isHexDigit) else {
                throw AuditLogError.badFilter(
                    option: "--graph", value: g, expected: "at least 4 hex digits of a graph hash")
            }
            let columns = ["original_canonical", "rewritten_canonical", "original_sha256", "rewritten_sha256"]
            terms.append("(" + columns.map { "substr(\($0), 1, \(prefix.count)) = ?" }.joined(separator: " OR ") + ")")
            arguments += Array(repeating: prefix, count: columns.count)
        }
        if let p = q.policy {
            terms.append("policy_name GLOB ?")
            arguments.append(sqliteGlob(p))
        }
        if let o = q.output {
            terms.append("EXISTS (SELECT 1 FROM entry_outputs o WHERE o.seq = entries.seq AND o.name GLOB ?)")
            arguments.append(sqliteGlob(o))
        }
        if let c = q.command {
            terms.append("command = ?")
            arguments.append(c)
        }
        if let r = q.run {
            terms.append("substr(run_id, 1, ?) = ?")
            arguments += [r.count, r.lowercased()]
        }
        if let s = q.since {
            terms.append("timestamp >= ?")
            arguments.append(Timestamp.format(s))
        }
        if let u = q.until {
            terms.append("timestamp < ?")
            arguments.append(Timestamp.format(u))
        }
        let clause = terms.isEmpty ? "" : " WHERE " + terms.joined(separator: " AND ")
        return (clause, StatementArguments(arguments))
    }

    /// Our globs (`*`, `?`, all else literal) as SQLite `GLOB` patterns, where `[` opens a class.
    static func sqliteGlob(_ pattern: String) -> String {
        pattern.replacingOccurrences(of: "[", with: "[[]")
    }
}

extension LogQuery {
    /// A `--since`/`--until` value: a UTC date or time (`2026-11-30`,
    /// `2026-11-30T08:00`, `2026-11-30T08:00:00.000Z`) or a duration back
    /// from `now` (`90s`, `30m`, `12h`, `7d`, `2w`).
    /// - Throws: ``AuditLogError/badFilter(option:value:expected:)``.
    public static func parseTime(_ text: String, option: String, now: Date = Date()) throws -> Date {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800]
        if let unit = text.last, let seconds = units[unit], let n = Double(text.dropLast()), n >= 0, n.isFinite,
            text.dropLast().allSatisfy({ $0.isNumber || $0 == "." })
        {
            return now.addingTimeInterval(-n * seconds)
        }
        if let date = Timestamp.parse(text) { return date }
        throw AuditLogError.badFilter(
            option: option, value: text,
            expected: "a UTC date (2026-11-30, 2026-11-30T08:00) or a duration (30m, 12h, 7d, 2w)")
    }
}
