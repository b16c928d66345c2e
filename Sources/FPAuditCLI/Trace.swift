import ArgumentParser
import FPAuditKit
import Foundation

extension FPAudit {
    /// `fpaudit trace DUMP_DIR|MANIFEST`: parse, run ``Audit/trace``, render, record.
    struct Trace: ConsoleCommand {
        static let configuration = CommandConfiguration(
            commandName: "trace",
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
        @Option(help: "Write the report to this file instead of standard output.") var output: String?
        @Option(
            name: .customLong("reduce"),
            help: ArgumentHelp(
                "Reduce the first failing step to the smallest pair of subgraphs that still fails and write it to this directory (as `fpaudit reduce --out`; see docs/reduce.md).",
                valueName: "dir"))
        var reduceTo: String?
        @Flag(help: "No progress on standard error.") var quiet = false
        @OptionGroup var graphOptions: GraphOptions
        @OptionGroup var recording: RecordingOptions

        func execute(console: Console) async throws -> ExitCode {
            let (name, snapshots) = try TraceSource.snapshots(trace, module: module)
            let policy = try measurement.loadPolicy()
            try artifacts.checkTargets(
                output: output,
                reads: [ReadFile(path: trace, role: "the trace manifest")]
                    + snapshots.map { ReadFile(path: $0.path, role: "a snapshot of the trace") }
                    + MeasurementOptions.readFiles(of: policy) + measurement.checkpointFiles
                    + recording.readFiles(console: console))
            var reproducer = reduceTo.map { ReproducerFiles(directory: $0, option: "--reduce") }
            try reproducer?.prepare(
                reads: [ReadFile(path: trace, role: "the trace manifest")]
                    + snapshots.map { ReadFile(path: $0.path, role: "a snapshot of the trace") }
                    + MeasurementOptions.readFiles(of: policy) + measurement.checkpointFiles
                    + [output, artifacts.sarif, artifacts.html, artifacts.junit].compactMap { $0 }.map {
                        ReadFile(path: $0, role: "another output of this trace")
                    })
            do {
                return try await run(
                    console: console, name: name, snapshots: snapshots, policy: policy, reproducer: reproducer)
            } catch {
                reproducer?.discard()
                throw error
            }
        }

        private func run(
            console: Console, name: String, snapshots: [TraceSnapshot], policy: Policy, reproducer: ReproducerFiles?
        ) async throws -> ExitCode {
            let sink = try recording.open(console: console)
            let options = try measurement.auditOptions(limits: graphOptions.limits)
            let audit = Audit(policy: policy, options: options, session: sink?.session)
            let showProgress = !quiet && console.errIsTerminal
            let display = TraceProgressLine(console: console, started: Date())
            var progress: (@Sendable (TraceProgress) -> Void)?
            if showProgress { progress = { display.show($0) } }
            let traced = try await audit.trace(
                module: name, snapshots: snapshots,
                estimated: { estimate in
                    if !quiet && (console.errIsTerminal || estimate.elementOps >= 1e9) {
                        console.err("fpaudit: \(estimate.description)\n")
                    }
                }, progress: progress)
            if showProgress { console.err("\r\u{1B}[K") }
            let result = traced.result
            // The first failing step is reduced before the reports are written,
            // so that the HTML page can link the reproducer from that step.
            var reduced: Result<StepReduction?, Error> = .success(nil)
            if let reproducer {
                do {
                    reduced = .success(try await reduceFirstFailure(of: result, audit: audit, files: reproducer))
                } catch {
                    reduced = .failure(error)
                }
            }
            let link = (try? reduced.get())?.flatMap { $0.link(from: artifacts.html, files: reproducer!) }
            let rendered =
                format == .text ? Data(TraceReport.text(result).utf8) : try TraceReport.json(result) + Data("\n".utf8)
            try artifacts.write(
                report: rendered, to: output, console: console, sarif: { try SARIFReport.encode(result) },
                html: { HTMLReport.render(result, reproducer: link) },
                junit: { JUnitReport.encode(result, failOn: options.failOn.severity) })
            if let sink { try sink.append(traced.drafts, console: console, quiet: quiet) }
            if let files = reproducer {
                if case .failure = reduced { files.discard() }
                guard let step = try reduced.get() else {
                    files.discard()
                    console.err("fpaudit: --reduce: no step fails; nothing was reduced or written\n")
                    return traced.failed ? .failed : (traced.undecided ? .badInput : .success)
                }
                let written = try files.write(step.reduction, command: step.command, sources: step.sources)
                console.err(
                    "fpaudit: --reduce: step \(step.index + 1) (\(step.pass)) fails\n"
                        + files.summary(step.reduction, command: step.command, written: written))
            }
            return traced.failed ? .failed : (traced.undecided ? .badInput : .success)
        }

        /// The first failing step reduced (replaying at its worst input), not
        /// yet written; nil when no step fails.
        private func reduceFirstFailure(
            of result: TraceResult, audit: Audit, files: ReproducerFiles
        ) async throws -> StepReduction? {
            guard let k = result.firstFailure, case .verified(let judged) = result.steps[k].outcome else { return nil }
            let step = result.steps[k]
            var stepAudit = audit
            stepAudit.options.pass = step.pass
            stepAudit.options.match = .position
            let a = try VerificationSubject.read(path: step.from.path, limits: audit.options.limits)
            let b = try VerificationSubject.read(path: step.to.path, limits: audit.options.limits)
            let reduction = try await stepAudit.reduce(original: a, rewritten: b, judged: judged)
            return StepReduction(
                index: k, pass: step.pass, reduction: reduction,
                command: files.command(measurement: measurement, pass: step.pass), sources: (a, b))
        }
    }

    /// A trace step reduced by `--reduce`, before its files are written.
    struct StepReduction {
        let index: Int
        let pass: String
        let reduction: AuditedReduction
        let command: [String]
        let sources: (VerificationSubject, VerificationSubject)

        /// How the HTML page at `page` links the reproducer's `command.txt`; nil without a page.
        func link(from page: String?, files: ReproducerFiles) -> TraceReproducer? {
            guard let page else { return nil }
            return TraceReproducer(
                step: index, href: RelativePath.href(from: page, to: files.path("command.txt")),
                label: files.directory,
                summary:
                    "\(reduction.pair.nodeCount) of \(reduction.fullNodeCount) nodes; still fails \(reduction.rule)",
                command: ReproducerFiles.shellLine(command))
        }
    }
}
