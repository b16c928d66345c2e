import ArgumentParser
import FPAuditKit
import Foundation

/// The measurement options `verify` and `trace` share. Each one given on the
/// command line overrides the policy's setting, which overrides the default.
struct MeasurementOptions: ParsableArguments {
    @Option(help: "Number of sampled input sets (default 1024).")
    var samples: Int?

    @Option(help: "Seed of the input sampler (default 1).")
    var seed: UInt64?

    @Option(
        name: .customLong("input"),
        help:
            "NAME=SPEC input distribution: normal(m,s) uniform(lo,hi) loguniform(lo,hi[,symmetric]) integers(lo,hi) ieee const(v). NAME is either graph's parameter name or #i."
    )
    var inputs: [String] = []

    @Option(help: "IEEE evaluation: declared (each op rounds to its dtype, the default) or double.")
    var exec: ExecutionMode?

    @Option(help: "Truth precision: auto (adaptive, from 128 bits; the default) or a fixed number of bits.")
    var precision: PrecisionOption?

    @Option(name: .customLong("precision-cap"), help: "Highest precision the adaptive truth may use (default 4096).")
    var precisionCap: Int?

    @Option(
        help:
            "How the truth is computed: tiered (binary64 intervals first, MPFR only where they do not decide; the default) or mpfr (MPFR for every sample). The figures are the same."
    )
    var truth: TruthMode = .tiered

    @Option(
        help: ArgumentHelp(
            "Output elements measured per output and sample: auto (256 when a graph does more than 1e6 element operations per evaluation, else all; the default), all, or a count N. A random box of about N elements per sample; only what they depend on is evaluated.",
            valueName: "auto|all|N"))
    var elements: ElementChoice = .auto

    @Option(
        help: ArgumentHelp(
            "After sampling, search for a worse input with at most N evaluations, from the worst samples (ulp steps, scaling, special values; deterministic for the seed; see docs/semantics.md). 0, the default, searches nothing.",
            valueName: "N"))
    var search: Int = 0

    @Option(name: .customLong("reduction-order"), help: "Order of reduce and dot: sequential (default) or pairwise.")
    var reductionOrder: ReductionOrder?

    @Option(
        help: "Subnormals in the declared-precision runs: keep (IEEE, default) or flush (as XLA CPU runs: FTZ and DAZ)."
    )
    var subnormals: SubnormalMode?

    @Option(help: "Concurrent workers (results do not depend on it).")
    var workers: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Policy file (YAML); without one the built-in default policy (Policies/default.yaml) applies.")
    var policy: String?

    @Option(name: .customLong("fail-on"), help: "Lowest severity that fails the run: error (default) or warning.")
    var failOn: FailOn = .error

    @Option(
        name: .customLong("max-work"),
        help: ArgumentHelp(
            "Refuse a run estimated above this many element operations (default 1e10; the estimate is samples × both graphs' element operations × 3 evaluations).",
            valueName: "ops"))
    var maxWork: Double?

    @Option(
        name: .customLong("params"),
        help: ArgumentHelp(
            "A checkpoint (.safetensors or .npz) whose tensors are bound to the graph's parameters by name and used as fixed values in every sample (repeatable; see docs/checkpoints.md).",
            valueName: "file"))
    var params: [String] = []

    @Option(
        name: .customLong("params-prefix"),
        help: ArgumentHelp(
            "Leading path components to strip from checkpoint tensor names before matching (repeatable; e.g. params).",
            valueName: "path"))
    var paramsPrefix: [String] = []

    @Option(
        name: .customLong("params-map"),
        help: ArgumentHelp(
            "A JSON object mapping parameters (name, alias or #i) to tensor names, or to null to keep them sampled; it wins over the naming rule.",
            valueName: "file"))
    var paramsMap: String?

    @Flag(
        name: .customLong("params-strict"),
        help: "Make a parameter without a tensor, or a tensor no parameter takes, an error.")
    var paramsStrict = false

    @Option(
        name: .customLong("inputs-from"),
        help: ArgumentHelp(
            "Recorded inputs: an .npz or .safetensors file whose arrays have a leading sample axis, or a JSON Lines file of values objects. Its arrays bind to parameters by name; all its samples are measured, or a seeded subset of --samples of them.",
            valueName: "file"))
    var inputsFrom: String?

    @Option(
        help: ArgumentHelp(
            "With --inputs-from: move each recorded float element by a random whole number of ulps in -ULPS...ULPS (seeded), to explore around the real data.",
            valueName: "ulps"))
    var perturb: Int?

    func validate() throws {
        if perturb != nil, inputsFrom == nil { throw ValidationError("--perturb needs --inputs-from") }
        if let perturb, perturb < 0 || perturb > 1 << 20 {
            throw ValidationError("--perturb must be between 0 and 1048576 ulps")
        }
        if params.isEmpty, !paramsPrefix.isEmpty || paramsMap != nil || paramsStrict {
            throw ValidationError("--params-prefix, --params-map and --params-strict need --params")
        }
        if let samples, samples < 1 { throw ValidationError("--samples must be at least 1") }
        if workers < 1 { throw ValidationError("--workers must be at least 1") }
        if let precisionCap, precisionCap < 128 { throw ValidationError("--precision-cap must be at least 128") }
        if let maxWork, !(maxWork > 0) { throw ValidationError("--max-work must be a positive number") }
        for spec in inputs where !spec.contains("=") {
            throw ValidationError("--input expects NAME=SPEC, got '\(spec)'")
        }
    }

    /// The policy to judge by: the file given, or the built-in default.
    func loadPolicy() throws -> Policy {
        guard let policy else { return PolicyLoader.builtinDefault }
        return try PolicyLoader.load(path: policy)
    }

    /// The files a policy was read from: itself, the policies it extends, its `data(FILE)` inputs.
    static func readFiles(of policy: Policy) -> [ReadFile] {
        guard policy.sourcePath != "<builtin>" else { return [] }
        return [ReadFile(path: policy.sourcePath, role: "the policy")]
            + policy.extendsChain.map { ReadFile(path: $0, role: "a policy it extends") }
            + policy.inputs.compactMap { rule in
                rule.dataFile.map {
                    ReadFile(path: $0, role: rule.isCheckpoint ? "a policy checkpoint" : "a policy data file")
                }
            }
    }

    /// The files `--params`, `--params-map` and `--inputs-from` read.
    var checkpointFiles: [ReadFile] {
        params.map { ReadFile(path: $0, role: "a --params checkpoint") }
            + (inputsFrom.map { [ReadFile(path: $0, role: "the --inputs-from file")] } ?? [])
            + (paramsMap.map { [ReadFile(path: $0, role: "the --params-map file")] } ?? [])
    }

    /// The options of an ``Audit`` as these flags set them.
    func auditOptions(limits: GraphLimits) throws -> AuditOptions {
        var o = AuditOptions()
        o.settings = PolicySettings(
            samples: samples, seed: seed, exec: exec,
            precision: precision.map { $0.bits.map(PrecisionSetting.bits) ?? .auto }, precisionCap: precisionCap,
            reductionOrder: reductionOrder, subnormals: subnormals)
        o.workers = workers
        o.truth = truth
        o.elements = elements
        guard search >= 0 else { throw CLIError.badOption("--search must be 0 or more evaluations, got \(search)") }
        o.search = search
        o.failOn = failOn
        if let maxWork { o.maxWork = maxWork }
        o.limits = limits
        if !params.isEmpty {
            o.checkpoints = try CheckpointInputs.read(
                paths: params, prefixes: paramsPrefix, mappingFile: paramsMap, strict: paramsStrict, limits: limits)
        }
        if let inputsFrom {
            o.recordedInputs = RecordedInputOptions(
                inputs: try RecordedInputs.read(path: inputsFrom, maxElements: limits.maxElements),
                perturbULPs: perturb ?? 0)
        }
        for spec in inputs {
            let (name, text) = spec.splitOnce("=")
            o.inputs[name] = try Distribution.parse(text)
        }
        return o
    }
}

extension FailOn: ExpressibleByArgument {}

struct ArtifactOptions: ParsableArguments {
    /// The files these options and `--output` (and any `extra` outputs) would
    /// write, checked against the files the command reads before any work.
    func checkTargets(output: String?, extra: [OutputTarget] = [], reads inputs: [ReadFile]) throws {
        let named: [(String, String?)] = [
            ("--output", output), ("--sarif", sarif), ("--html", html), ("--junit", junit),
        ]
        let targets = named.compactMap { option, path in path.map { OutputTarget(option: option, path: $0) } } + extra
        try OutputFile.checkTargets(targets, reads: inputs)
    }

    /// Writes the report (`text`/`json`) to `output` or the console, then the
    /// artifacts asked for. The closures render one result or one trace.
    func write(
        report: Data, to output: String?, console: Console, sarif makeSARIF: () throws -> Data,
        html makeHTML: () -> String, junit makeJUnit: () -> Data
    ) throws {
        if let output {
            try OutputFile.write(report, to: output)
        } else {
            console.out(String(decoding: report, as: UTF8.self))
        }
        if let sarif { try OutputFile.write(try makeSARIF(), to: sarif) }
        if let html { try OutputFile.write(Data(makeHTML().utf8), to: html) }
        if let junit { try OutputFile.write(makeJUnit(), to: junit) }
    }

    @Option(help: "Also write SARIF 2.1.0 (for code-scanning UIs) to this file.")
    var sarif: String?

    @Option(help: "Also write JUnit XML (a test case per output and rule) to this file.")
    var junit: String?

    @Option(help: "Also write a self-contained HTML report (inline CSS and SVG) to this file.")
    var html: String?
}
