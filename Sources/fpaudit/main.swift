import FPAuditCLI
import Foundation

/// Runs the command and exits from the thread that finished it: returning to
/// top-level code would first hop to the main actor, whose queue a fresh
/// thread has to be started to drain once `main` is parked.
nonisolated func runAndExit(_ arguments: [String]) async -> Never {
    exit(await FPAuditMain.run(arguments))
}

FPAuditMain.installInterruptHandler()
await runAndExit(Array(CommandLine.arguments.dropFirst()))
