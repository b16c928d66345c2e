import ArgumentParser
import FPAuditKit
import Foundation

extension FPAudit {
    /// `fpaudit diff A B`: which nodes a rewrite added, removed or changed.
    struct Diff: ConsoleCommand {
        static let configuration = CommandConfiguration(
            commandName: "diff",
            abstract: "Structural diff of two graphs (nodes matched by canonical structure, not by name).")

        @Argument(help: "The first graph.")
        var a: String

        @Argument(help: "The second graph.")
        var b: String

        @OptionGroup var graphOptions: GraphOptions

        func execute(console: Console) async throws -> ExitCode {
            let first = try GraphPreload.subject(path: a, limits: graphOptions.limits)
            let second = try GraphPreload.subject(path: b, limits: graphOptions.limits)
            let d = GraphDiff(first.graph, second.graph)
            var out = "diff \(a) \(b)\n"
            out +=
                "  canonical hashes: \(first.identity.canonicalHash.prefix(12)) vs \(second.identity.canonicalHash.prefix(12))"
            out += first.identity.canonicalHash == second.identity.canonicalHash ? " (same)\n" : "\n"
            out +=
                "  \(d.unchanged) unchanged, \(d.added.count) added, \(d.removed.count) removed, \(d.changed.count) changed\n"
            func at(_ e: GraphDiff.Entry) -> String { e.location.map { "  (\($0))" } ?? "" }
            for (from, to) in d.changed { out += "  ~ \(from) -> \(to)\(at(to))\n" }
            for e in d.added { out += "  + \(e)\(at(e))\n" }
            for e in d.removed { out += "  - \(e)\(at(e))\n" }
            console.out(out)
            return .success
        }
    }
}
