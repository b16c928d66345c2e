import ArgumentParser
import FPAuditKit
import Foundation

extension FPAudit {
    /// `fpaudit verify ORIGINAL REWRITTEN`: parse, run ``Audit/verify``, render, record.
    struct Verify: ConsoleCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Measure how a rewrite changes accuracy against an MPFR ground truth.")

        @Argument(help: "The original graph.") var original: String
        @Argument(help: "The rewritten graph.") var rewritten: String
        @OptionGroup var measurement: MeasurementOptions
        @OptionGroup var artifacts: ArtifactOptions
        @Option(help: "Report format: text or json.") var format: OutputFormat = .text
        @Option(help: "Write the report to this file instead of standard output.") var output: String?
        @Option(help: "Evaluate only these inputs (a values file, or a JSON report whose worst case to replay).")
        var replay: String?
        @Option(
            name: .customLong("save-worst"),
            help: "Write the worst sample's inputs (or, with --search, the worse input found) to this values file.")
        var saveWorst: String?
        @Option(
            help: ArgumentHelp(
                "The pass or rewrite rule that made REWRITTEN: recorded in the audit log and matched by policy `passes` scopes and waivers.",
                valueName: "name"))
        var pass: String?
        @Option(
            help: ArgumentHelp(
                "How the graphs' parameters and outputs are paired: auto (by name where both graphs use the same names, else by position and type; the default), name, or position.",
                valueName: "mode"))
        var match: MatchMode = .auto
        @Flag(help: "No progress on standard error.") var quiet = false
        @OptionGroup var graphOptions: GraphOptions
        @OptionGroup var recording: RecordingOptions

        func execute(console: Console) async throws -> ExitCode {
            let policy = try measurement.loadPolicy()
            try artifacts.checkTargets(
                output: output, extra: saveWorst.map { [OutputTarget(option: "--save-worst", path: $0)] } ?? [],
                reads: [
                    ReadFile(path: original, role: "the ORIGINAL graph"),
                    ReadFile(path: rewritten, role: "the REWRITTEN graph"),
                ] + (replay.map { [ReadFile(path: $0, role: "the --replay file")] } ?? [])
                    + MeasurementOptions.readFiles(of: policy) + measurement.checkpointFiles
                    + recording.readFiles(console: console))
            let sink = try recording.open(console: console)
            var options = try measurement.auditOptions(limits: graphOptions.limits)
            options.match = match
            options.pass = pass
            let audit = Audit(policy: policy, options: options, session: sink?.session)
            let a = try GraphPreload.subject(path: original, limits: options.limits)
            let b = try GraphPreload.subject(path: rewritten, limits: options.limits)
            let estimate = try audit.workEstimate(original: a, rewritten: b, replay: replay != nil)
            if !quiet && estimate.elementOps <= options.maxWork
                && (console.errIsTerminal || estimate.elementOps >= 1e9)
            {
                console.err("fpaudit: \(estimate.description)\n")
            }
            let progress = quiet || !console.errIsTerminal ? nil : ProgressLine(console: console).handler
            let pair = try await audit.verify(
                original: a, rewritten: b, replay: try replay.map { try ReplayLoader.load($0, graph: a.graph) },
                progress: progress)
            if progress != nil { console.err("\r\u{1B}[K") }
            let result = pair.result
            let rendered =
                format == .text
                ? Data(ReportText.render(result).utf8) : try ReportJSON.encode(result) + Data("\n".utf8)
            try artifacts.write(
                report: rendered, to: output, console: console, sarif: { try SARIFReport.encode(result) },
                html: { HTMLReport.render(result, diff: GraphDiff(a.graph, b.graph)) },
                junit: { JUnitReport.encode(result, failOn: options.failOn.severity) })
            if let saveWorst,
                let inputs = result.search?.inputs
                    ?? result.outputs.compactMap(\.worst).max(by: { $0.bitsLost < $1.bitsLost })?.inputs
            {
                try OutputFile.write(ValuesJSON.write(inputs), to: saveWorst)
            }
            if let sink, let draft = pair.draft { try sink.append([draft], console: console, quiet: quiet) }
            return result.verdict == .fail ? .failed : .success
        }
    }
}
