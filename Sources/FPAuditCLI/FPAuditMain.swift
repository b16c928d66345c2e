import ArgumentParser
import FPAuditKit
import FPMPFR
import Foundation

/// A subcommand that runs against a ``Console`` and returns its exit code.
protocol ConsoleCommand: ParsableCommand {
    func execute(console: Console) async throws -> ExitCode
}

/// `fpaudit`: the root command.
public struct FPAudit: ParsableCommand {
    /// The command's name, help text, version and subcommands.
    public static let configuration = CommandConfiguration(
        commandName: "fpaudit",
        abstract: "Numerical-stability auditor for computation-graph rewrites.",
        discussion: """
            Exit codes: 0 pass or warn, 1 fail, 2 bad input or usage, 3 internal error.
            """,
        version: ToolVersion.current,
        subcommands: [Verify.self, Trace.self, Reduce.self, Diff.self, Eval.self, PolicyCommand.self, LogCommand.self])

    /// Creates the root command (ArgumentParser needs it; it runs nothing itself).
    public init() {}
}

/// The entry point shared by the executable and the tests.
public enum FPAuditMain {
    /// Parses `arguments` (without the program name), runs the command and
    /// returns the process exit code. Never exits the process itself.
    public static func run(_ arguments: [String], console: Console = .standard) async -> Int32 {
        var console = console
        console.arguments = arguments
        preload(for: arguments)
        let command: ParsableCommand
        do {
            command = try FPAudit.parseAsRoot(arguments)
        } catch {
            let code = FPAudit.exitCode(for: error)
            let message = FPAudit.fullMessage(for: error)
            if code == .success {
                console.out(message + "\n")
                return ExitCode.success.rawValue
            }
            console.err(message + "\n")
            return ExitCode.badInput.rawValue
        }
        guard let runnable = command as? ConsoleCommand else {
            // `--help`, `help ...`, or a command group without a subcommand.
            console.out(FPAudit.helpMessage(for: helpTarget(arguments)) + "\n")
            return ExitCode.success.rawValue
        }
        do {
            return try await runnable.execute(console: console).rawValue
        } catch {
            let (code, message) = describe(error)
            console.err(message + "\n")
            return code.rawValue
        }
    }

    /// Commands that judge with the built-in default policy unless given one.
    static let judgingCommands: Set<String> = ["verify", "trace", "reduce"]
    /// Commands that read graph files named by their arguments (through ``GraphPreload``).
    static let graphReadingCommands: Set<String> = ["verify", "reduce", "diff"]

    /// Reads the built-in default policy (for the commands that judge), then
    /// the small graph files the arguments may name (``GraphPreload``), on
    /// another core while the arguments are parsed: about a millisecond each,
    /// against several for parsing (ArgumentParser's reflection over the
    /// command's options). The policy is a lazily made static: whoever asks
    /// first makes it, and a `--policy` run only spends that millisecond of
    /// the idle core. The same core then asks the runtime what the command
    /// would ask it first (``RuntimeWarmUp``); nothing waits for that.
    static func preload(for arguments: [String]) {
        guard let command = arguments.first else { return }
        let judging = judgingCommands.contains(command)
        let graphs = graphReadingCommands.contains(command) ? GraphPreload.candidates(arguments) : []
        guard judging || !graphs.isEmpty else { return }
        GraphPreload.run(
            {
                if judging { _ = PolicyLoader.builtinDefault }
                GraphPreload.read(graphs)
            }, then: { RuntimeWarmUp.run(command: command) })
    }

    /// The exit code of a run ended by Ctrl-C (SIGINT) or SIGTERM: 128 + 2, as shells report it.
    public static let interruptedExitCode: Int32 = 130

    /// Makes Ctrl-C (SIGINT) and SIGTERM end the process cleanly: a one-line
    /// message and exit code 130. Nothing of the interrupted run is recorded:
    /// entries are appended in one SQLite transaction after the work, so the
    /// log holds either all of a run's entries or none, and output files are
    /// renamed into place whole, so none is left half written. Call it once,
    /// from the executable.
    public static func installInterruptHandler() {
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                FileHandle.standardError.write(
                    Data("\ninterrupted: the run was stopped; nothing of it was recorded or written\n".utf8))
                exit(interruptedExitCode)
            }
            source.resume()
            interruptSources.append(source)
        }
    }

    /// Keeps the signal sources alive for the life of the process.
    nonisolated(unsafe) private static var interruptSources: [DispatchSourceSignal] = []

    /// The deepest subcommand the arguments name (for help requests).
    static func helpTarget(_ arguments: [String]) -> ParsableCommand.Type {
        var current: ParsableCommand.Type = FPAudit.self
        for argument in arguments where !argument.hasPrefix("-") && argument != "help" {
            guard let next = current.configuration.subcommands.first(where: { $0._commandName == argument }) else {
                break
            }
            current = next
        }
        return current
    }

    /// Maps an error to its exit code and message: every fpaudit error is a
    /// ``ReportableError``; anything else is an internal error.
    static func describe(_ error: Error) -> (ExitCode, String) {
        if let e = error as? ReportableError { return (e.blame == .input ? .badInput : .internalError, e.report) }
        return (.internalError, "internal error: \(error)")
    }

}
