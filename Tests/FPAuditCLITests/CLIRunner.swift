import Foundation
import FPAuditCLI
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
    func append(_ s: String) { lock.lock(); text += s; lock.unlock() }
    var value: String { lock.lock(); defer { lock.unlock() }; return text }
}

/// Runs `fpaudit ARGS` in-process with captured output.
func fpaudit(_ arguments: [String]) async -> CLIResult {
    let out = TextSink(), err = TextSink()
    let code = await FPAuditMain.run(arguments, console: Console(out: out.append, err: err.append))
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
