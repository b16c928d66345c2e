import FPAuditCLI
import Foundation
import _TestSupport

/// Output of one CLI run.
struct CLIResult {
    var code: Int32
    var out: String
    var err: String

    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(out.utf8))) as? [String: Any] ?? [:]
    }
}

/// Thread-safe text sink.
final class TextSink: @unchecked Sendable {
    private let lock = NSLock()
    private var text = ""
    func append(_ s: String) {
        lock.lock()
        text += s
        lock.unlock()
    }
    var value: String {
        lock.lock()
        defer { lock.unlock() }
        return text
    }
}

/// The audit log the CLI tests write to unless a test names its own: one
/// per test process, under the temporary directory, so that no test writes
/// `.fpaudit/` into the repository.
let sharedTestLog: String = {
    atexit { try? FileManager.default.removeItem(atPath: sharedTestLogDirectory) }
    return (sharedTestLogDirectory as NSString).appendingPathComponent("audit.db")
}()

private let sharedTestLogDirectory = FileManager.default.temporaryDirectory
    .appendingPathComponent("fpaudit-cli-tests-\(ProcessInfo.processInfo.processIdentifier)").path

/// Runs `fpaudit ARGS` in-process with captured output.
/// - Parameters:
///   - environment: replaces the process environment (`FPAUDIT_LOG` defaults to ``sharedTestLog``).
///   - workingDirectory: the directory the command runs in.
///   - terminal: whether standard error is to look like a terminal.
func fpaudit(
    _ arguments: [String], environment: [String: String]? = nil,
    workingDirectory: String = FileManager.default.currentDirectoryPath, terminal: Bool = false
) async -> CLIResult {
    let out = TextSink()
    let err = TextSink()
    var env = environment ?? ProcessInfo.processInfo.environment
    if environment == nil { env["FPAUDIT_LOG"] = sharedTestLog }
    let console = Console(
        out: out.append, err: err.append, errIsTerminal: terminal, environment: env,
        workingDirectory: workingDirectory)
    let code = await FPAuditMain.run(arguments, console: console)
    return CLIResult(code: code, out: out.value, err: err.value)
}

/// Path of a file in the repository.
func repoPath(_ relative: String) -> String { fixtureURL(relative).path }

/// Async variant of `withTemporaryDirectory` for the CLI tests.
func withTemporaryDirectory(_ body: (TemporaryDirectory) async throws -> Void) async throws {
    let directory = try TemporaryDirectory(prefix: "fpaudit-cli-test")
    defer { directory.remove() }
    try await body(directory)
}
