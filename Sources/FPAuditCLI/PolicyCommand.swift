import ArgumentParser
import FPAuditKit
import Foundation

extension FPAudit {
    /// `fpaudit policy check|explain FILE`.
    struct PolicyCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "policy",
            abstract: "Validate a policy, or print it merged with every default explicit.",
            subcommands: [Check.self, Explain.self])

        struct Check: ConsoleCommand {
            static let configuration = CommandConfiguration(
                commandName: "check",
                abstract: "Validate a policy file (exit 2 with a located error).")

            @Argument(help: "The policy (YAML).")
            var file: String

            func execute(console: Console) async throws -> ExitCode {
                let p = try PolicyLoader.load(path: file)
                console.out(
                    "\(file): ok: policy \(p.name) v\(p.version), \(p.rules.count) rules, \(p.waivers.count) waivers, canonical hash \(p.canonicalHash)\n"
                )
                return .success
            }
        }

        struct Explain: ConsoleCommand {
            static let configuration = CommandConfiguration(
                commandName: "explain",
                abstract: "Print the effective policy: extends merged, every default explicit (itself a valid policy).")

            @Argument(help: "The policy (YAML).")
            var file: String

            func execute(console: Console) async throws -> ExitCode {
                console.out(try PolicyLoader.load(path: file).explained())
                return .success
            }
        }
    }
}
