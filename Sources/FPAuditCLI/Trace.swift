import ArgumentParser
import FPAuditLog
import FPPolicy
import FPReport
import FPTrace
import FPVerify
import Foundation

extension FPAudit {
    /// `fpaudit trace DUMP_DIR|MANIFEST`: verify a pipeline pass by pass.
    struct Trace: ConsoleCommand {
        static let configuration = CommandConfiguration(
            abstract: "Verify an optimisation pipeline pass by pass (an XLA dump directory or a trace.json manifest).")

        @Argument(
            help: "An XLA dump directory (--xla_dump_to with --xla_dump_hlo_pass_re=.*) or a trace.json manifest.")
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

        @OptionGroup var recording: RecordingOptions

        func execute(console: Console) async throws -> ExitCode {
            let sink = try recording.open(console: console)
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
            let display = TraceProgressLine(console: console, started: started)
            var progress: (@Sendable (TraceProgress) -> Void)?
            if showProgress { progress = { display.show($0) } }
            var result = await runner.run(module: name, snapshots: snapshots, progress: progress)
            if showProgress { console.err("\r\u{1B}[K") }
            let evaluator = PolicyEvaluator(policy: policy)
            result.judge { r, pass in evaluator.judge(&r, pass: pass, failOn: measurement.failSeverity) }
            let rendered: Data
            switch format {
            case .text: rendered = Data(TraceReport.text(result).utf8)
            case .json: rendered = try TraceReport.json(result) + Data("\n".utf8)
            }
            try artifacts.write(
                report: rendered, to: output, console: console,
                sarif: { try SARIFReport.encode(result) }, html: { HTMLReport.render(result) },
                junit: { JUnitReport.encode(result, failOn: measurement.failSeverity) })
            if let sink {
                let recorder = try EntryRecorder(
                    sink: sink, command: "trace", policy: policy, config: runner.config,
                    failOn: measurement.failOn, waiversAsOf: evaluator.today,
                    maxElements: graphOptions.maxElements)
                try sink.append(
                    try drafts(result, recorder: recorder, config: runner.config), console: console,
                    quiet: quiet)
            }
            let all = result.steps + [result.endToEnd]
            if all.contains(where: { $0.verdict == .fail }) { return .failed }
            if all.contains(where: { if case .error = $0.outcome { return true } else { return false } }) {
                return .badInput
            }
            return .success
        }

        /// One entry per step (unchanged and failed steps included) and one for the end-to-end pair.
        func drafts(_ result: TraceResult, recorder: EntryRecorder, config: VerificationConfig) throws -> [EntryDraft] {
            var bytes: [String: Data] = [:]
            func graph(_ snapshot: TraceSnapshot, _ identity: GraphIdentity?) throws -> RecordedGraph {
                if bytes[snapshot.path] == nil { bytes[snapshot.path] = try? FileAccess.read(snapshot.path) }
                return try RecordedGraph(path: snapshot.path, identity: identity, bytes: bytes[snapshot.path])
            }
            let steps = result.steps.count
            return try (result.steps + [result.endToEnd]).enumerated().map { k, step in
                let position = TracePosition(
                    module: result.module, step: k + 1, steps: steps,
                    kind: k < steps ? "step" : "end-to-end", fromPass: step.from.pass)
                return try recorder.draft(
                    pass: step.pass, trace: position, original: graph(step.from, step.fromIdentity),
                    rewritten: graph(step.to, step.toIdentity), config: config,
                    defaults: step.defaults, replayInputs: nil, outcome: step.outcome)
            }
        }
    }
}

/// `step 3/38 simplification/algsimp: 2048/9216 samples, about 41 s left` on a terminal.
struct TraceProgressLine: Sendable {
    let console: Console
    let started: Date

    func show(_ p: TraceProgress) {
        let step = max(p.samplesTotal / 200, 1)
        guard p.samplesDone % step == 0 || p.samplesDone == p.samplesTotal else { return }
        var line = "\r\u{1B}[K  step \(p.step)/\(p.steps) \(p.pass): \(p.samplesDone)/\(p.samplesTotal) samples"
        if p.samplesDone > 0 {
            let elapsed = Date().timeIntervalSince(started)
            let left = elapsed / Double(p.samplesDone) * Double(p.samplesTotal - p.samplesDone)
            line += ", about \(Int(left.rounded(.up))) s left"
        }
        console.err(line)
    }
}
