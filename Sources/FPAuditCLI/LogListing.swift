import FPAuditKit
import Foundation

/// Entry listings and pass statistics as a table, JSON, JSON lines or CSV.
enum LogListing {
    static func render(_ entries: [StoredEntry], format: ListingFormat) throws -> String {
        switch format {
        case .table: return table(entries)
        case .json: return try json(entries, pretty: true) + "\n"
        case .jsonl: return try entries.map { try json([$0], pretty: false, array: false) + "\n" }.joined()
        case .csv: return csv(header: csvColumns, rows: entries.map(csvRow))
        }
    }

    /// `{seq, id, hash, signature, record}` per entry, the record as an object.
    static func json(_ entries: [StoredEntry], pretty: Bool, array: Bool = true) throws -> String {
        let objects: [[String: Any]] = try entries.map { e in
            var o: [String: Any] = [
                "seq": e.seq, "id": e.id, "hash": e.hash,
                "record": try JSONSerialization.jsonObject(with: Data(e.recordText.utf8)),
            ]
            if let s = e.signature { o["signature"] = s }
            return o
        }
        var options: JSONSerialization.WritingOptions = [.sortedKeys, .withoutEscapingSlashes]
        if pretty { options.insert(.prettyPrinted) }
        let value: Any = array ? objects : objects[0]
        return String(decoding: try JSONSerialization.data(withJSONObject: value, options: options), as: UTF8.self)
    }

    static func table(_ entries: [StoredEntry]) -> String {
        guard !entries.isEmpty else { return "no entries\n" }
        let rows = entries.map { e -> [String] in
            let r = e.record
            let subject: String
            if let t = r.trace {
                subject = "\(t.module) " + (t.kind == .endToEnd ? "(end-to-end)" : "(step \(t.step)/\(t.steps))")
            } else {
                subject = (r.rewritten.path as NSString).lastPathComponent
            }
            return [
                String(e.seq), displayTime(r.timestamp), r.command.rawValue, r.pass ?? "-",
                r.verdict.rawValue, r.worstBitsLost.map { CFormat.string("%.2f", $0) } ?? "-", subject,
            ]
        }
        return TextTable.render(
            header: ["seq", "time (UTC)", "command", "pass", "verdict", "bits lost", "graph"],
            rows: rows, rightAligned: [0, 5])
    }

    static func pageFooter(_ page: LogPage, query: LogQuery, page number: Int) -> String {
        guard !page.entries.isEmpty else { return "" }
        let first = query.offset + 1
        let last = query.offset + page.entries.count
        var line = "entries \(first)-\(last) of \(page.total), newest first"
        if last < page.total { line += "; next: --page \(number + 1)" }
        return line + "\n"
    }

    static let csvColumns = [
        "seq", "id", "timestamp", "command", "pass", "module", "step", "verdict",
        "worst_bits_lost", "original_path", "original_canonical", "rewritten_path",
        "rewritten_canonical", "policy", "policy_hash", "samples", "seed", "user", "host",
        "git_commit", "git_branch", "run", "hash",
    ]

    static func csvRow(_ e: StoredEntry) -> [String] {
        let r = e.record
        return [
            String(e.seq), e.id, r.timestamp, r.command.rawValue, r.pass ?? "", r.trace?.module ?? "",
            r.trace.map { String($0.step) } ?? "", r.verdict.rawValue, r.worstBitsLost.map { "\($0)" } ?? "",
            r.original.path, r.original.canonicalHash ?? "", r.rewritten.path, r.rewritten.canonicalHash ?? "",
            r.policy.name, r.policy.canonicalHash, String(r.config.verification.samples),
            String(r.config.verification.seed),
            r.context.user ?? "", r.context.host ?? "", r.context.git?.commit ?? "", r.context.git?.branch ?? "",
            r.run, e.hash,
        ]
    }

    /// RFC 4180 CSV: fields with commas, quotes or line breaks quoted, quotes doubled; CRLF line ends.
    static func csv(header: [String], rows: [[String]]) -> String {
        func field(_ s: String) -> String {
            s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        return ([header] + rows).map { $0.map(field).joined(separator: ",") + "\r\n" }.joined()
    }

    static func render(_ stats: [PassStatistics], format: ListingFormat) throws -> String {
        func number(_ x: Double?) -> String { x.map { CFormat.string("%.2f", $0) } ?? "-" }
        switch format {
        case .table, .jsonl:
            guard !stats.isEmpty else { return "no entries\n" }
            let rows = stats.map { s in
                [
                    s.pass, String(s.runs), String(s.failures), String(s.warnings), String(s.passes),
                    String(s.unchanged),
                    String(s.errors), number(s.worstBitsLost), number(s.meanWorstBitsLost), displayTime(s.lastRun),
                ]
            }
            return TextTable.render(
                header: [
                    "pass", "runs", "fail", "warn", "pass", "unchanged", "error", "worst bits lost",
                    "mean worst", "last run (UTC)",
                ],
                rows: rows, rightAligned: Set(1...8))
        case .json:
            let objects: [[String: Any]] = stats.map { s in
                var o: [String: Any] = [
                    "pass": s.pass, "runs": s.runs, "failures": s.failures, "warnings": s.warnings,
                    "passes": s.passes, "unchanged": s.unchanged, "errors": s.errors,
                    "last_run": s.lastRun,
                ]
                o["worst_bits_lost"] = s.worstBitsLost.map { $0.isFinite ? $0 as Any : "\($0)" } ?? NSNull()
                o["mean_worst_bits_lost"] = s.meanWorstBitsLost.map { $0.isFinite ? $0 as Any : "\($0)" } ?? NSNull()
                return o
            }
            let data = try JSONSerialization.data(withJSONObject: objects, options: [.sortedKeys, .prettyPrinted])
            return String(decoding: data, as: UTF8.self) + "\n"
        case .csv:
            return csv(
                header: [
                    "pass", "runs", "failures", "warnings", "passes", "unchanged", "errors",
                    "worst_bits_lost", "mean_worst_bits_lost", "last_run",
                ],
                rows: stats.map { s in
                    [
                        s.pass, String(s.runs), String(s.failures), String(s.warnings), String(s.passes),
                        String(s.unchanged), String(s.errors), s.worstBitsLost.map { "\($0)" } ?? "",
                        s.meanWorstBitsLost.map { "\($0)" } ?? "", s.lastRun,
                    ]
                })
        }
    }

    /// `2026-12-01T18:24:37.123Z` as `2026-12-01 18:24:37`.
    static func displayTime(_ timestamp: String) -> String {
        String(timestamp.prefix(19)).replacingOccurrences(of: "T", with: " ")
    }
}

/// A plain text table with two spaces between columns.
enum TextTable {
    static func render(header: [String], rows: [[String]], rightAligned: Set<Int> = []) -> String {
        let all = [header] + rows
        let widths = header.indices.map { c in all.map { $0[c].count }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { c, cell in
                let pad = String(repeating: " ", count: widths[c] - cell.count)
                return rightAligned.contains(c) ? pad + cell : (c == row.count - 1 ? cell : cell + pad)
            }.joined(separator: "  ") + "\n"
        }.joined()
    }
}
