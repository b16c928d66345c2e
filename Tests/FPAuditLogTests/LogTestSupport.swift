import FPAuditLog
import Foundation
import GRDB
import XCTest
import _TestSupport

/// A log on disk or in memory, removed at the end of the test.
struct TestLog {
    let log: AuditLog
    let directory: TemporaryDirectory?

    static func onDisk(_ name: String = "audit.db") throws -> TestLog {
        let dir = try TemporaryDirectory(prefix: "fpaudit-log-test")
        return TestLog(log: try AuditLog(path: dir.file(name).path), directory: dir)
    }

    static func inMemory() throws -> TestLog { TestLog(log: try AuditLog.inMemory(), directory: nil) }

    func remove() { directory?.remove() }
}

/// Both stores, as the style guide asks: every store test runs on each.
func withEachStore(_ body: (AuditLog, String) throws -> Void) throws {
    for make in [TestLog.inMemory, { try TestLog.onDisk() }] {
        let t = try make()
        defer { t.remove() }
        try body(t.log, t.directory == nil ? "in memory" : "on disk")
    }
}

/// Raw SQL on a log file, bypassing `AuditLog` (as someone editing the file would).
func rawSQL(_ path: String, _ sql: String, arguments: StatementArguments = StatementArguments()) throws {
    var config = Configuration()
    config.foreignKeysEnabled = false
    let queue = try DatabaseQueue(path: path, configuration: config)
    try queue.writeWithoutTransaction { db in try db.execute(sql: sql, arguments: arguments) }
    try queue.close()
}

/// The SQL that removes the append-only triggers, as a tamperer must first.
let dropTriggers = """
    DROP TRIGGER IF EXISTS entries_no_update; DROP TRIGGER IF EXISTS entries_no_delete;
    DROP TRIGGER IF EXISTS entry_outputs_no_update; DROP TRIGGER IF EXISTS entry_outputs_no_delete;
    DROP TRIGGER IF EXISTS entry_findings_no_update; DROP TRIGGER IF EXISTS entry_findings_no_delete;
    DROP TRIGGER IF EXISTS blobs_no_update; DROP TRIGGER IF EXISTS blobs_no_delete;
    DROP TRIGGER IF EXISTS log_meta_no_update; DROP TRIGGER IF EXISTS log_meta_no_delete;
    DROP TRIGGER IF EXISTS log_head_forward_only; DROP TRIGGER IF EXISTS log_head_no_delete;
    """

/// A running child process with its output collected.
final class Child {
    let process = Process()
    private let pipe = Pipe()
    private let errors: URL

    init(_ executable: URL, _ arguments: [String]) throws {
        process.executableURL = executable
        process.arguments = arguments
        process.standardOutput = pipe
        errors = FileManager.default.temporaryDirectory.appendingPathComponent("fpaudit-child-\(UUID().uuidString).err")
        FileManager.default.createFile(atPath: errors.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
    }

    /// Waits for the exit and returns the status and what it printed (on standard output and error).
    func finish() -> (status: Int32, output: String, errors: String) {
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let err = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(at: errors)
        return (process.terminationStatus, String(decoding: data, as: UTF8.self), err)
    }
}
