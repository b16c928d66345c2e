import ArgumentParser
import FPAuditKit
import Foundation

extension FPAudit {
    /// `fpaudit log ...`: read, query, check and replay the audit log.
    struct LogCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "log",
            abstract: "Query, verify and replay the audit log of verified transformations.",
            discussion: """
                Every `verify` and `trace` appends to the log (--log, else $FPAUDIT_LOG, else \
                .fpaudit/audit.db). See docs/audit-log.md.
                """,
            subcommands: [
                List.self, Show.self, Query.self, Stats.self, Export.self, VerifyLog.self, Replay.self,
                Head.self, Keygen.self,
            ])
    }
}

/// `--log` for the commands that read a log: it must exist.
struct LogSelection: ParsableArguments {
    @Option(help: ArgumentHelp("The audit log (default: $FPAUDIT_LOG, else .fpaudit/audit.db).", valueName: "path"))
    var log: String?

    func open(console: Console) throws -> AuditLog {
        let path = LogLocation.resolve(log, console: console)
        guard FileManager.default.fileExists(atPath: path) else {
            throw AuditLogError.cannotOpen(
                path: path,
                reason: "no such file (nothing has been recorded there yet; "
                    + "give --log or set \(LogLocation.environmentVariable))")
        }
        do {
            return try AuditLog(path: path, create: false)
        } catch AuditLogError.cannotOpen(_, let reason) where FileManager.default.isReadableFile(atPath: path) {
            // A copy the auditor may only read (an artifact, a read-only mount): read it as it is.
            do {
                return try AuditLog(path: path, create: false, readOnly: true)
            } catch {
                throw AuditLogError.cannotOpen(path: path, reason: reason)
            }
        }
    }
}

/// The entry filters shared by `log query` and `log stats`.
struct EntryFilters: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Only entries with this verdict: pass, warn, fail, unchanged, error (repeatable, or comma-separated).",
            valueName: "verdict"))
    var verdict: [String] = []

    @Option(help: ArgumentHelp("Only passes matching this glob (* and ?).", valueName: "glob"))
    var pass: String?

    @Option(
        help: ArgumentHelp(
            "Only entries where either graph's canonical hash or file SHA-256 starts with these hex digits.",
            valueName: "hash"))
    var graph: String?

    @Option(help: ArgumentHelp("Only entries judged by a policy whose name matches this glob.", valueName: "name"))
    var policy: String?

    @Option(
        help: ArgumentHelp(
            "Only entries with an output matching this glob (and --where looks only at those outputs).",
            valueName: "name"))
    var output: String?

    @Option(help: ArgumentHelp("Only entries of this command: verify or trace.", valueName: "command"))
    var command: String?

    @Option(help: ArgumentHelp("Only entries of this invocation (a run id or its prefix).", valueName: "run"))
    var run: String?

    @Option(
        help: ArgumentHelp(
            "Recorded at or after this UTC date/time or this long ago (7d, 12h, 30m, 2w).",
            valueName: "when"))
    var since: String?

    @Option(help: ArgumentHelp("Recorded before this UTC date/time or this long ago.", valueName: "when"))
    var until: String?

    @Option(
        name: .customLong("where"),
        help: ArgumentHelp(
            "A policy expression an output (or, for samples.* expressions, the run) must satisfy, e.g. 'bits_lost.max > 2'.",
            valueName: "expression"))
    var condition: String?

    static let verdicts = ["pass", "warn", "fail", "unchanged", "error"]

    func validate() throws {
        for v in verdictList where !Self.verdicts.contains(v) {
            throw ValidationError("--verdict '\(v)': expected one of \(Self.verdicts.joined(separator: ", "))")
        }
        if let command, !["verify", "trace"].contains(command) {
            throw ValidationError("--command '\(command)': expected verify or trace")
        }
    }

    var verdictList: [String] {
        verdict.flatMap { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
    }

    /// The SQL-side filters.
    func query(now: Date = Date()) throws -> LogQuery {
        var q = LogQuery()
        q.verdicts = verdictList
        q.pass = pass
        q.graph = graph
        q.policy = policy
        q.output = output
        q.command = command
        q.run = run
        q.since = try since.map { try LogQuery.parseTime($0, option: "--since", now: now) }
        q.until = try until.map { try LogQuery.parseTime($0, option: "--until", now: now) }
        return q
    }

    /// The `--where` predicate (nil without one): an entry matches when the
    /// expression holds on one of its outputs (those matching `--output`),
    /// or, for an expression over `samples.*` only, on the run.
    func predicate() throws -> ((StoredEntry) -> Bool)? {
        guard let condition else { return nil }
        let expression = try PolicyExpression.parse(
            condition, origin: PolicyLocation(file: "--where", line: 1, column: 1),
            keyPath: "where")
        let outputGlob = output
        return { entry in
            guard let samples = entry.record.samples else { return false }
            if expression.isPerRun { return expression.holds(output: nil, samples: samples) }
            return entry.record.outputs.contains { o in
                guard outputGlob.map({ Glob.matches($0, o.name) }) ?? true else {
                    return false
                }
                return expression.holds(output: o, samples: samples)
            }
        }
    }
}

/// Output format of entry listings.
enum ListingFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, jsonl, csv
}

extension FPAudit.LogCommand {
    /// `fpaudit log list`: newest first, a page at a time.
    struct List: ConsoleCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List entries, newest first.")

        @OptionGroup var selection: LogSelection

        @Option(help: "Entries per page.")
        var limit: Int = 20

        @Option(help: "Page number, from 1.")
        var page: Int = 1

        @Option(help: "table, json, jsonl or csv.")
        var format: ListingFormat = .table

        func validate() throws {
            if limit < 1 { throw ValidationError("--limit must be at least 1") }
            if page < 1 { throw ValidationError("--page must be at least 1") }
        }

        func execute(console: Console) async throws -> ExitCode {
            let log = try selection.open(console: console)
            var q = LogQuery()
            q.limit = limit
            q.offset = (page - 1) * limit
            let result = try log.entries(q)
            console.out(try LogListing.render(result.entries, format: format))
            if format == .table {
                console.out(LogListing.pageFooter(result, query: q, page: page))
            }
            return .success
        }
    }

    /// `fpaudit log query`: entries matching filters.
    struct Query: ConsoleCommand {
        static let configuration = CommandConfiguration(
            commandName: "query",
            abstract: "Entries matching filters (e.g. --pass 'algsimp*' --since 30d --where 'bits_lost.max > 2').")

        @OptionGroup var selection: LogSelection

        @OptionGroup var filters: EntryFilters

        @Option(help: "table, json, jsonl or csv.")
        var format: ListingFormat = .table

        @Option(help: "At most this many entries.")
        var limit: Int?

        @Flag(help: "Oldest first (default: newest first).")
        var oldestFirst = false

        func execute(console: Console) async throws -> ExitCode {
            let log = try selection.open(console: console)
            var q = try filters.query()
            q.limit = limit
            q.newestFirst = !oldestFirst
            let result = try log.entries(q, where: try filters.predicate())
            console.out(try LogListing.render(result.entries, format: format))
            if format == .table {
                let shown = result.entries.count
                console.out(
                    shown == result.total
                        ? "\(shown) matching entr\(shown == 1 ? "y" : "ies")\n"
                        : "\(shown) of \(result.total) matching entries shown (raise --limit)\n")
            }
            return .success
        }
    }

    /// `fpaudit log stats`: per pass.
    struct Stats: ConsoleCommand {
        static let configuration = CommandConfiguration(
            commandName: "stats",
            abstract: "Per pass: runs, verdicts and the worst bits lost (the query filters apply).")

        @OptionGroup var selection: LogSelection

        @OptionGroup var filters: EntryFilters

        @Option(help: "table, json or csv.")
        var format: ListingFormat = .table

        func validate() throws {
            if format == .jsonl { throw ValidationError("log stats writes table, json or csv") }
        }

        func execute(console: Console) async throws -> ExitCode {
            let log = try selection.open(console: console)
            let stats = try log.statistics(try filters.query(), where: try filters.predicate())
            console.out(try LogListing.render(stats, format: format))
            return .success
        }
    }

    /// `fpaudit log show ID`.
    struct Show: ConsoleCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Everything an entry records.")

        @Argument(help: "An entry id, a unique prefix of one, or a sequence number.")
        var entry: String

        @OptionGroup var selection: LogSelection

        @Option(help: "text or json.")
        var format: OutputFormat = .text

        @Flag(help: "Print the full stored fpaudit.report/v1 document instead.")
        var report = false

        func execute(console: Console) async throws -> ExitCode {
            let log = try selection.open(console: console)
            let e = try log.entry(entry)
            if report {
                guard let hash = e.record.report else {
                    throw CLIError.badOption(
                        "entry \(e.seq) has no report (its outcome is \(e.record.outcome.rawValue))")
                }
                console.out(String(decoding: try log.blob(hash, kind: .report), as: UTF8.self) + "\n")
                return .success
            }
            switch format {
            case .json: console.out(try LogListing.json([e], pretty: true) + "\n")
            case .text: console.out(LogEntryText.render(e))
            }
            return .success
        }
    }

    /// `fpaudit log export`.
    struct Export: ConsoleCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Write the whole chain as JSON lines, verifiable offline (`fpaudit log verify --export FILE`).")

        @OptionGroup var selection: LogSelection

        @Option(help: "jsonl (the only format).")
        var format: String = "jsonl"

        @Option(name: [.customShort("o"), .long], help: "Write to this file instead of standard output.")
        var output: String?

        @Flag(help: "Include every stored blob (graphs, policies, data, reports) in base64.")
        var blobs = false

        func validate() throws {
            if format != "jsonl" { throw ValidationError("--format: log export writes jsonl") }
        }

        func execute(console: Console) async throws -> ExitCode {
            let log = try selection.open(console: console)
            if let output {
                try OutputFile.checkTargets(
                    [OutputTarget(option: "--output", path: output)],
                    reads: ["", "-wal", "-shm", "-journal"].map { ReadFile(path: log.path + $0, role: "the audit log") }
                )
                try OutputFile.stream(to: output) { handle in
                    try log.export(includeBlobs: blobs, toolVersion: ToolVersion.current) { handle.write($0) }
                }
            } else {
                try log.export(includeBlobs: blobs, toolVersion: ToolVersion.current) {
                    console.out(String(decoding: $0, as: UTF8.self))
                }
            }
            return .success
        }
    }

    /// `fpaudit log head`: the last entry's sequence number and hash, to keep outside the log.
    struct Head: ConsoleCommand {
        static let configuration = CommandConfiguration(
            commandName: "head",
            abstract:
                "Print the last entry's sequence number and hash (keep it elsewhere; `log verify --anchor` checks it).")

        @OptionGroup var selection: LogSelection

        func execute(console: Console) async throws -> ExitCode {
            let log = try selection.open(console: console)
            guard let head = try log.head() else {
                console.out("empty\n")
                return .success
            }
            console.out("\(head.seq):\(head.hash)\n")
            return .success
        }
    }
}
