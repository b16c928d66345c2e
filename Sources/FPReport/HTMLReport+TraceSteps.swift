import FPTrace
import FPVerify
import Foundation

// The trace page's step table: the steps in pipeline order, each step that
// changed the graph on its own row, each run of unchanged steps folded into one.

extension HTMLReport {
    /// A row of the trace's step table.
    enum TraceRow: Equatable {
        /// A step that changed the graph (verified, or could not be verified): its index in the steps.
        case step(Int)
        /// Consecutive steps that left the graph unchanged: their indices in the steps.
        case unchanged(ClosedRange<Int>)
    }

    /// The steps in pipeline order, each run of consecutive unchanged steps folded into one row.
    static func traceRows(_ steps: [TraceStepResult]) -> [TraceRow] {
        var rows: [TraceRow] = []
        for (k, s) in steps.enumerated() {
            guard case .unchanged = s.outcome else {
                rows.append(.step(k))
                continue
            }
            if case .unchanged(let run) = rows.last {
                rows[rows.count - 1] = .unchanged(run.lowerBound...k)
            } else {
                rows.append(.unchanged(k...k))
            }
        }
        return rows
    }

    /// Short names for snapshot files: each file name without the dot-separated parts
    /// that every file name shares at its start and at its end (an XLA dump's
    /// `module_NNNN.NAME.` and `.txt`), so at least one part is left; the whole file
    /// name when all the files have the same name.
    /// - Returns: the short name by path.
    static func shortNames(_ paths: [String]) -> [String: String] {
        let files = paths.map { ($0 as NSString).lastPathComponent }
        guard Set(files).count > 1 else { return Dictionary(zip(paths, files)) { a, _ in a } }
        let parts = files.map { $0.split(separator: ".").map(String.init) }
        let fewest = parts.map(\.count).min() ?? 0
        let prefix = sharedCount(parts, limit: fewest - 1)
        let suffix = sharedCount(parts.map { $0.reversed() }, limit: fewest - 1 - prefix)
        var names: [String: String] = [:]
        for (path, (file, p)) in zip(paths, zip(files, parts)) {
            let short = p[prefix..<(p.count - suffix)].joined(separator: ".")
            names[path] = short.isEmpty ? file : short
        }
        return names
    }

    /// How many leading elements all the lists share, at most `limit`.
    static func sharedCount(_ lists: [[String]], limit: Int) -> Int {
        guard let first = lists.first else { return 0 }
        var n = 0
        while n < limit, lists.allSatisfy({ $0[n] == first[n] }) { n += 1 }
        return n
    }

    /// The step table: one row per step that changed the graph, one folded row per run
    /// of unchanged steps, then the end-to-end pair.
    static func stepsTable(_ t: TraceResult) -> String {
        let names = shortNames(t.steps.flatMap { [$0.from.path, $0.to.path] } + [t.endToEnd.to.path])
        let header = ["step", "pass", "snapshot", "diff (+added -removed ~changed)", "bits lost max", "verdict"]
        var out = "<table class=\"trace-steps\"><thead><tr>" + header.map { el("th", $0) }.joined()
        out += "</tr></thead><tbody>\n"
        for row in traceRows(t.steps) {
            switch row {
            case .step(let k):
                out += stepRow(
                    t.steps[k], number: "\(k + 1)", id: "step\(k + 1)", firstFailure: k == t.firstFailure, names: names)
            case .unchanged(let run):
                out += unchangedRow(run.map { ($0 + 1, t.steps[$0]) }, names: names)
            }
        }
        out += stepRow(t.endToEnd, number: "all", id: "end-to-end", firstFailure: false, names: names)
        return out + "</tbody></table>\n"
    }

    /// The row of a step that changed the graph: its number links to its section.
    static func stepRow(
        _ s: TraceStepResult, number: String, id: String, firstFailure: Bool, names: [String: String]
    ) -> String {
        let cells: [String]
        let cls: String?
        switch s.outcome {
        case .unchanged:
            cells = [escape(number), escape(s.pass), snapshotName(s.to.path, names), "unchanged", "", "unchanged"]
            cls = nil
        case .error(let message):
            cells = [
                link(number, id), escape(s.pass), snapshotName(s.to.path, names), "", "", escape("error: \(message)"),
            ]
            cls = "error"
        case .verified(let r):
            let lost = r.outputs.map(\.bitsLost.max).max() ?? 0
            cells = [
                link(number, id), escape(s.pass), snapshotName(s.to.path, names), escape(s.diff?.summary ?? ""),
                escape(fmt(lost)), escape(r.verdict.rawValue),
            ]
            cls = firstFailure ? "first-fail" : r.verdict == .pass ? nil : r.verdict.rawValue
        }
        return "<tr\(cls.map { " class=\"\($0)\"" } ?? "")>" + cells.map { "<td>\($0)</td>" }.joined() + "</tr>\n"
    }

    /// One row for consecutive unchanged steps (`number`, step): a summary line naming the
    /// first passes, which opens to list every step with its pass and snapshot.
    static func unchangedRow(_ run: [(number: Int, step: TraceStepResult)], names: [String: String]) -> String {
        guard let first = run.first, let last = run.last else { return "" }
        let numbers = run.count == 1 ? "\(first.number)" : "\(first.number)–\(last.number)"
        let shown = run.prefix(unchangedPassesShown).map(\.step.pass)
        let summary =
            "\(run.count == 1 ? "step" : "steps") \(numbers): \(run.count) "
            + "\(run.count == 1 ? "pass left" : "passes left") the graph unchanged: "
            + shown.joined(separator: ", ") + (run.count > shown.count ? ", …" : "")
        var out = "<tr class=\"unchanged-run\"><td>\(escape(numbers))</td><td colspan=\"5\"><details>"
        out += el("summary", summary) + "\n<ol start=\"\(first.number)\">\n"
        for (_, s) in run {
            out += "<li>\(escape(s.pass)) — \(snapshotName(s.to.path, names))</li>\n"
        }
        return out + "</ol></details></td></tr>\n"
    }

    /// How many pass names a folded row's summary line shows before `…`.
    static let unchangedPassesShown = 3

    /// A snapshot's short name, its full path in the `title` attribute.
    static func snapshotName(_ path: String, _ names: [String: String]) -> String {
        "<span class=\"snapshot\" title=\"\(escape(path))\">\(escape(names[path] ?? path))</span>"
    }

    /// An in-page link to the element with `id`.
    static func link(_ text: String, _ id: String) -> String {
        "<a href=\"#\(escape(id))\">\(escape(text))</a>"
    }
}
