import ArgumentParser
import FPAuditKit
import Foundation

extension FPAudit {
    /// `fpaudit reduce ORIGINAL REWRITTEN --out DIR`: parse, run ``Audit/reduce``, write the reproducer.
    struct Reduce: ConsoleCommand {
        static let configuration = CommandConfiguration(
            commandName: "reduce",
            abstract:
                "Cut a failing rewrite down to the smallest pair of subgraphs that still fails (delta debugging).",
            discussion: """
                Verifies the pair, takes the failing rule on the output that lost the most bits, and reduces the \
                pair at that output's worst input: outputs moved inwards, values common to both graphs cut to \
                parameters fed their value there. Writes original.json, rewritten.json, values.json and \
                command.txt (the fpaudit verify command that reproduces the failure) to DIR, and original.hlo and \
                rewritten.hlo when the inputs are HLO; never overwrites. \
                See docs/reduce.md.
                """)

        @Argument(help: "The original graph.") var original: String
        @Argument(help: "The rewritten graph.") var rewritten: String
        @Option(help: ArgumentHelp("The directory to write the reduced pair to (created if needed).", valueName: "dir"))
        var out: String
        @OptionGroup var measurement: MeasurementOptions
        @Option(help: ArgumentHelp("The pass or rewrite rule that made REWRITTEN (policy scopes).", valueName: "name"))
        var pass: String?
        @Option(
            help: ArgumentHelp(
                "How the graphs' parameters and outputs are paired: auto, name, or position.", valueName: "mode"))
        var match: MatchMode = .auto
        @OptionGroup var graphOptions: GraphOptions

        func execute(console: Console) async throws -> ExitCode {
            let policy = try measurement.loadPolicy()
            var files = ReproducerFiles(directory: out, option: "--out")
            try files.prepare(
                reads: [
                    ReadFile(path: original, role: "the ORIGINAL graph"),
                    ReadFile(path: rewritten, role: "the REWRITTEN graph"),
                ] + MeasurementOptions.readFiles(of: policy) + measurement.checkpointFiles)
            do {
                var options = try measurement.auditOptions(limits: graphOptions.limits)
                options.match = match
                options.pass = pass
                let audit = Audit(policy: policy, options: options)
                let a = try GraphPreload.subject(path: original, limits: options.limits)
                let b = try GraphPreload.subject(path: rewritten, limits: options.limits)
                let reduction = try await audit.reduce(original: a, rewritten: b)
                let command = files.command(measurement: measurement, pass: pass)
                let written = try files.write(reduction, command: command, sources: (a, b))
                console.out(files.summary(reduction, command: command, written: written))
                return .success
            } catch {
                files.discard()
                throw error
            }
        }
    }
}
