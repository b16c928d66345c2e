import FPAuditKit
import Foundation

/// What a command runs in: where it writes (standard output and error by
/// default, buffers in tests) and the environment it reads (`FPAUDIT_LOG`,
/// CI variables for the audit log).
public struct Console: Sendable {
    /// Writes text to standard output as is (the text carries its own newlines).
    public var out: @Sendable (String) -> Void
    /// Writes text to standard error as is (diagnostics and progress).
    public var err: @Sendable (String) -> Void
    /// Whether standard error is an interactive terminal (progress is shown only then).
    public var errIsTerminal: Bool
    /// The environment variables.
    public var environment: [String: String]
    /// The working directory (the default audit log lives under it).
    public var workingDirectory: String
    /// The command line being run, without the program name (set by ``FPAuditMain/run(_:console:)``).
    public var arguments: [String] = []

    /// Creates a console writing through `out` and `err`; the environment and the
    /// working directory default to the process's.
    public init(
        out: @escaping @Sendable (String) -> Void, err: @escaping @Sendable (String) -> Void,
        errIsTerminal: Bool = false, environment: [String: String] = ProcessInfo.processInfo.environment,
        workingDirectory: String = FileManager.default.currentDirectoryPath
    ) {
        self.out = out
        self.err = err
        self.errIsTerminal = errIsTerminal
        self.environment = environment
        self.workingDirectory = workingDirectory
    }

    /// The process's standard output and error, environment and working directory.
    public static var standard: Console {
        Console(
            out: { FileHandle.standardOutput.write(Data($0.utf8)) },
            err: { FileHandle.standardError.write(Data($0.utf8)) },
            errIsTerminal: isatty(2) == 1)
    }
}

/// Exit codes of every command.
public enum ExitCode: Int32 {
    /// Verdict pass or warn, or a command that succeeded.
    case success = 0
    /// Verdict fail.
    case failed = 1
    /// Bad input or usage.
    case badInput = 2
    /// A bug or an environment failure.
    case internalError = 3
}

/// Usage and input errors found by the CLI itself.
public enum CLIError: ReportableError, Equatable {
    case badOption(String)
    case unreadableFile(path: String, reason: String)
    case unwritableFile(path: String, reason: String)
    /// An output option names a file the command reads.
    case outputIsInput(option: String, path: String, role: String)
    /// Two output options name the same file.
    case outputsCollide(first: String, second: String, path: String)

    /// The message for the user, starting with `error:` or the path concerned.
    public var description: String {
        switch self {
        case .badOption(let m): return "error: \(m)"
        case .unreadableFile(let path, let reason): return "\(path): error: cannot read file: \(reason)"
        case .unwritableFile(let path, let reason): return "\(path): error: cannot write file: \(reason)"
        case .outputIsInput(let option, let path, let role):
            return "\(path): error: \(option) would overwrite \(role); nothing was run or written (choose another file)"
        case .outputsCollide(let first, let second, let path):
            return "\(path): error: \(first) and \(second) name the same file; nothing was run or written"
        }
    }
}
