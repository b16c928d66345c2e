import Foundation
import GRDB

/// The rows an entry is stored as, derived from its record alone.
///
/// Every column of `entries`, `entry_outputs` and `entry_findings` except
/// `record`, `hash` and `signature` is a copy of something in the record,
/// kept for plain `sqlite3` queries. Appending writes exactly these values and
/// `log verify` recomputes them and compares every column, so an edit of any
/// copy is found like an edit of the record itself.
struct EntryColumns {
    /// `entries` columns other than `record`, `hash` and `signature`.
    var entry: [(String, DatabaseValue)]
    /// One row per output, in order.
    var outputs: [[(String, DatabaseValue)]]
    /// One row per finding, in order.
    var findings: [[(String, DatabaseValue)]]

    init(_ r: EntryRecord) {
        entry = [
            ("seq", .int(r.seq)),
            ("id", .text(r.id)),
            ("timestamp", .text(r.timestamp)),
            ("run_id", .text(r.run)),
            ("command", .text(r.command.rawValue)),
            ("pass", .text(r.pass)),
            ("module", .text(r.trace?.module)),
            ("step", .int(r.trace.map { Int64($0.step) })),
            ("outcome", .text(r.outcome.rawValue)),
            ("verdict", .text(r.verdict.rawValue)),
            ("worst_bits_lost", .real(r.worstBitsLost)),
            ("original_path", .text(r.original.path)),
            ("original_sha256", .text(r.original.sha256)),
            ("original_canonical", .text(r.original.canonicalHash)),
            ("rewritten_path", .text(r.rewritten.path)),
            ("rewritten_sha256", .text(r.rewritten.sha256)),
            ("rewritten_canonical", .text(r.rewritten.canonicalHash)),
            ("policy_name", .text(r.policy.name)),
            ("policy_version", .text(r.policy.version)),
            ("policy_hash", .text(r.policy.canonicalHash)),
            ("samples", .int(Int64(r.config.verification.samples))),
            ("seed", .text(String(r.config.verification.seed))),
            ("tool_version", .text(r.tool.version)),
            ("user", .text(r.context.user)),
            ("host", .text(r.context.host)),
            ("git_commit", .text(r.context.git?.commit)),
            ("git_branch", .text(r.context.git?.branch)),
            ("prev_hash", .text(r.prevHash)),
            ("signer", .text(r.signer)),
        ]
        outputs = r.outputs.enumerated().map { k, o in
            [
                ("seq", .int(r.seq)),
                ("position", .int(Int64(k))),
                ("name", .text(o.name)),
                ("dtype", .text(o.type.dtype.rawValue)),
                ("shape", .text("[" + o.type.dimensions.map(String.init).joined(separator: ",") + "]")),
                ("bits_lost_max", .real(o.bitsLost.max)),
                ("bits_lost_mean", .real(o.bitsLost.mean)),
                ("worse_share", .real(o.bitsLost.shareOfSamplesWorseThan1Bit)),
                ("new_nonfinite", .int(Int64(o.newNonfinite))),
                ("semantic_max_ulps", .real(o.semantic.maxULPs)),
                ("original_bits_max", .real(o.original.bits.max)),
                ("original_bits_mean", .real(o.original.bits.mean)),
                ("rewritten_bits_max", .real(o.rewritten.bits.max)),
                ("rewritten_bits_mean", .real(o.rewritten.bits.mean)),
                ("rewritten_bits_p99", .real(o.rewritten.bits.p99)),
                ("original_ulps_max", .real(o.original.ulps.max)),
                ("rewritten_ulps_max", .real(o.rewritten.ulps.max)),
                ("rewritten_relative_max", .real(o.rewritten.relativeMax)),
                ("rewritten_nonfinite", .int(Int64(o.rewritten.nonfinite))),
            ]
        }
        findings = r.findings.enumerated().map { k, f in
            [
                ("seq", .int(r.seq)),
                ("position", .int(Int64(k))),
                ("rule", .text(f.rule)),
                ("severity", .text(f.severity.rawValue)),
                ("output", .text(f.output)),
                ("message", .text(f.message)),
                ("value", .real(f.value)),
                ("threshold", .real(f.threshold)),
                ("waiver", .text(f.waiver)),
            ]
        }
    }

    /// `INSERT INTO table (columns...) VALUES (?...)` with the values.
    static func insert(into table: String, _ row: [(String, DatabaseValue)], extra: [(String, DatabaseValue)] = [])
        -> (String, StatementArguments)
    {
        let all = row + extra
        let sql =
            "INSERT INTO \(table) (\(all.map(\.0).joined(separator: ", "))) VALUES ("
            + Array(repeating: "?", count: all.count).joined(separator: ", ") + ")"
        return (sql, StatementArguments(all.map(\.1)))
    }
}

extension DatabaseValue {
    static func text(_ s: String?) -> DatabaseValue { s.map { $0.databaseValue } ?? .null }
    static func int(_ i: Int64?) -> DatabaseValue { i.map { $0.databaseValue } ?? .null }
    /// SQLite stores NaN as NULL; infinities are kept.
    static func real(_ x: Double?) -> DatabaseValue {
        guard let x, !x.isNaN else { return .null }
        return x.databaseValue
    }

    /// Same storage class and the same value, bit for bit (unlike `==`, which
    /// equates the integer 1 with the real 1.0).
    func isIdentical(to other: DatabaseValue) -> Bool {
        switch (storage, other.storage) {
        case (.null, .null): return true
        case (.int64(let a), .int64(let b)): return a == b
        case (.double(let a), .double(let b)): return a.bitPattern == b.bitPattern
        case (.string(let a), .string(let b)): return Array(a.utf8) == Array(b.utf8)
        case (.blob(let a), .blob(let b)): return a == b
        default: return false
        }
    }

    /// For messages: the value, shortened.
    var shortDescription: String {
        switch storage {
        case .null: return "NULL"
        case .int64(let i): return String(i)
        case .double(let d): return "\(d)"
        case .string(let s): return s.count > 60 ? "'" + s.prefix(57) + "...'" : "'\(s)'"
        case .blob(let b): return "<\(b.count) bytes>"
        }
    }
}
