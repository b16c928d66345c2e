import ArgumentParser
import FPAuditKit
import Foundation

/// Where the audit log is: `--log`, else `FPAUDIT_LOG`, else
/// `.fpaudit/audit.db` under the working directory.
enum LogLocation {
    static let environmentVariable = "FPAUDIT_LOG"
    static let defaultRelativePath = ".fpaudit/audit.db"

    /// The path to open. A relative path stays relative (and reads as the
    /// user wrote it in messages) when the command runs in the process's own
    /// working directory; otherwise it is resolved against the command's.
    static func resolve(_ option: String?, console: Console) -> String {
        if let option, !option.isEmpty { return anchored(option, console) }
        if let env = console.environment[environmentVariable], !env.isEmpty { return anchored(env, console) }
        return anchored(defaultRelativePath, console)
    }

    private static func anchored(_ path: String, _ console: Console) -> String {
        if path.hasPrefix("/") || console.workingDirectory == FileManager.default.currentDirectoryPath { return path }
        return (console.workingDirectory as NSString).appendingPathComponent(path)
    }
}

/// The audit-log options of the commands that verify (`verify`, `trace`).
struct RecordingOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Audit log to append to (default: $FPAUDIT_LOG, else .fpaudit/audit.db).",
            valueName: "path"))
    var log: String?

    @Flag(name: .customLong("no-log"), help: "Do not record this run in the audit log.")
    var noLog = false

    @Option(
        name: .customLong("sign-key"),
        help: ArgumentHelp(
            "Sign the log entries with this Ed25519 private key (PEM; see `fpaudit log keygen`).",
            valueName: "file"))
    var signKey: String?

    func validate() throws {
        if noLog && (log != nil || signKey != nil) {
            throw ValidationError("--no-log cannot be combined with --log or --sign-key")
        }
    }

    /// The files recording reads or writes in place, which no output may
    /// replace: the log (with SQLite's companion files) and the signing key.
    func readFiles(console: Console) -> [ReadFile] {
        guard !noLog else { return [] }
        let path = LogLocation.resolve(log, console: console)
        let log = ["", "-wal", "-shm", "-journal"].map { ReadFile(path: path + $0, role: "the audit log") }
        return log + (signKey.map { [ReadFile(path: $0, role: "the signing key")] } ?? [])
    }

    /// Opens the log and reads the key before any work is done, so that a bad
    /// path or key fails at once rather than after a long verification.
    func open(console: Console) throws -> LogSink? {
        guard !noLog else { return nil }
        let signer = try signKey.map { try EntrySigner(pemFile: $0) }
        let log = try AuditLog(path: LogLocation.resolve(log, console: console))
        return LogSink(
            log: log, signer: signer,
            session: AuditSession(
                context: RunContext.capture(
                    environment: console.environment, arguments: console.arguments, cwd: console.workingDirectory)))
    }
}

/// An open log with what every entry of this invocation shares.
struct LogSink {
    let log: AuditLog
    let signer: EntrySigner?
    /// The run context and the run id every entry of this invocation shares.
    let session: AuditSession

    /// Appends the drafts in one transaction and, on a terminal, says so on standard error.
    func append(_ drafts: [EntryDraft], console: Console, quiet: Bool) throws {
        let stored = try log.append(drafts, signer: signer)
        guard !quiet, console.errIsTerminal, let first = stored.first, let last = stored.last else { return }
        let which = stored.count == 1 ? "entry \(first.seq) (\(first.id))" : "entries \(first.seq)-\(last.seq)"
        console.err("audit log: recorded \(which) in \(log.path)\(signer == nil ? "" : ", signed")\n")
    }
}
