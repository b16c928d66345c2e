import ArgumentParser
import FPPolicy
import FPReport
import FPTrace
import Foundation

extension FPAudit {
    /// `fpaudit trace DUMP_DIR|MANIFEST`: verify a pipeline pass by pass.
    struct Trace: ConsoleCommand {
        static let configuration = CommandConfiguration(
            abstract: "Verify an optimisation pipeline pass by pass (an XLA dump directory or a trace.json manifest).")

        @Argument(help: "An XLA dump directory (--xla_dump_to with --xla_dump_hlo_pass_re=.*) or a trace.json manifest.")
        var trace: String

        @Option(help: "The module to trace when the dump holds several (e.g. module_0000.jit_f or jit_f).")
        var module: String?

        @OptionGroup var measurement: MeasurementOptions

        @OptionGroup var artifacts: ArtifactOptions

        @Option(help: "Report format: text or json (fpaudit.trace/v1 with one fpaudit.report/v1 per step).")
        var format: OutputFormat = .text

        @Option(help: "Write the report to this file instead of standard output.")
        var output: String?

        @Flag(help: "No progress on standard error.")
        var quiet = false

        @OptionGroup var graphOptions: GraphOptions

        func execute(console: Console) async throws -> ExitCode {
            let (name, snapshots): (String, [TraceSnapshot])
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: trace, isDirectory: &isDirectory), isDirectory.boolValue {
                (name, snapshots) = try XLADumpDirectory(path: trace).snapshots(module: module)
            } else if FileManager.default.fileExists(atPath: trace) {
                (name, snapshots) = (trace, try TraceManifest.read(path: trace))
            } else {
                throw CLIError.unreadableFile(path: trace, reason: "no such file or directory")
            }
            let showProgress = !quiet && console.errIsTerminal
            let policy = try measurement.loadPolicy()
            let first = try GraphLoader.load(snapshots[0].path, limits: graphOptions.limits)
            let config = try measurement.config(policy: policy, parameters: first.graph.parameters)
            let runner = TraceRunner(config: config, limits: graphOptions.limits)
            let started = Date()
            var result = await runner.run(module: name, snapshots: snapshots) { step, total, pass in
                guard showProgress else { return }
                let elapsed = Date().timeIntervalSince(started)
                let left = step > 1 ? elapsed / Double(step - 1) * Double(total - step + 1) : 0
                console.err("\r\u{1B}[K  step \(step)/\(total): \(pass)" + (step > 1 ? ", about \(Int(left.rounded(.up))) s left" : ""))
            }
            if showProgress { console.err("\r\u{1B}[K") }
            let evaluator = PolicyEvaluator(policy: policy)
            result.judge { r, pass in evaluator.judge(&r, pass: pass, failOn: measurement.failSeverity) }
            let rendered: Data
            switch format {
            case .text: rendered = Data(TraceReport.text(result).utf8)
            case .json: rendered = try TraceReport.json(result) + Data("\n".utf8)
            }
            try artifacts.write(report: rendered, to: output, console: console,
                                sarif: { try SARIFReport.encode(result) }, html: { HTMLReport.render(result) },
                                junit: { JUnitReport.encode(result, failOn: measurement.failSeverity) })
            let all = result.steps + [result.endToEnd]
            if all.contains(where: { $0.verdict == .fail }) { return .failed }
            if all.contains(where: { if case .error = $0.outcome { return true } else { return false } }) { return .badInput }
            return .success
        }
    }
}
