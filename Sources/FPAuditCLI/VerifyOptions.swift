import ArgumentParser
import FPEval
import FPFormats
import FPGraph
import FPNumerics
import FPPolicy
import FPVerify
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

    func validate() throws {
        if let samples, samples < 1 { throw ValidationError("--samples must be at least 1") }
        if workers < 1 { throw ValidationError("--workers must be at least 1") }
        if let precisionCap, precisionCap < 128 { throw ValidationError("--precision-cap must be at least 128") }
        for spec in inputs where !spec.contains("=") {
            throw ValidationError("--input expects NAME=SPEC, got '\(spec)'")
        }
    }

    /// The policy to judge by: the file given, or the built-in default.
    func loadPolicy() throws -> Policy {
        guard let policy else { return PolicyLoader.builtinDefault }
        return try PolicyLoader.load(path: policy)
    }

    /// The verification configuration: defaults, then the policy's settings and
    /// inputs (for these parameter names), then the command line.
    func config(policy: Policy, parameters: [GraphParameter]) throws -> VerificationConfig {
        var c = VerificationConfig(workers: workers)
        policy.settings.apply(to: &c)
        c.inputs = policy.inputDistributions(for: parameters.map(\.name))
        for (name, file) in policy.inputDataFiles(for: parameters.map(\.name)).sorted(by: { $0.key < $1.key }) {
            c.fixedInputs[name] = try FixedData.load(file, parameter: parameters.first { $0.name == name }!)
        }
        if let samples { c.samples = samples }
        if let seed { c.seed = seed }
        if let exec { c.exec = exec }
        if let precision { c.fixedPrecision = precision.bits }
        if let precisionCap { c.maxPrecision = precisionCap }
        if let reductionOrder { c.reductionOrder = reductionOrder }
        if let subnormals { c.subnormals = subnormals }
        for spec in inputs {
            let (name, text) = spec.splitOnce("=")
            c.inputs[name] = try Distribution.parse(text)
        }
        return c
    }

    /// The severity at which the run fails.
    var failSeverity: Severity { failOn == .warning ? .warning : .error }
}

/// Fixed parameter values from a policy's `data(FILE)` inputs.
enum FixedData {
    /// Reads a `.npy` array or a values `.json` file (its entry named after the
    /// parameter, or its only entry) and checks it against the parameter.
    static func load(_ file: String, parameter: GraphParameter) throws -> FixedInput {
        try load(bytes: FileAccess.read(file), file: file, parameter: parameter)
    }

    /// The same from the file's bytes (`file` names it in errors and decides the format).
    static func load(bytes: Data, file: String, parameter: GraphParameter) throws -> FixedInput {
        let value: Tensor
        if file.hasSuffix(".npy") {
            value = try NumpyArray.read(data: bytes, file: file)
        } else {
            let entries = try ValuesJSON.read(data: bytes, file: file)
            guard
                let entry = entries.first(where: { $0.key == parameter.name })
                    ?? (entries.count == 1 ? entries[0] : nil)
            else {
                throw CLIError.badOption("\(file): no entry named '\(parameter.name)' (and more than one entry)")
            }
            value = entry.value
        }
        let bound = try ValuesJSON.bind([(key: parameter.name, value: value)], to: [parameter])[0]
        let data: Tensor.Elements
        switch bound.elements {
        case .floats(let v): data = .floats(v)
        case .integers(let v): data = .integers(v)
        }
        return FixedInput(description: "data(\((file as NSString).lastPathComponent))", data: data)
    }
}

/// `--fail-on`.
enum FailOn: String, ExpressibleByArgument, CaseIterable {
    case error, warning
}

/// Machine-readable artifacts for CI, written next to the report.
struct ArtifactOptions: ParsableArguments {
    /// Writes the report (`text`/`json`) to `output` or the console, then the
    /// artifacts asked for. The closures render one result or one trace.
    func write(
        report: Data, to output: String?, console: Console, sarif makeSARIF: () throws -> Data,
        html makeHTML: () -> String, junit makeJUnit: () -> Data
    ) throws {
        if let output {
            try FileAccess.write(report, to: output)
        } else {
            console.out(String(decoding: report, as: UTF8.self))
        }
        if let sarif { try FileAccess.write(try makeSARIF(), to: sarif) }
        if let html { try FileAccess.write(Data(makeHTML().utf8), to: html) }
        if let junit { try FileAccess.write(makeJUnit(), to: junit) }
    }

    @Option(help: "Also write SARIF 2.1.0 (for code-scanning UIs) to this file.")
    var sarif: String?

    @Option(help: "Also write JUnit XML (a test case per output and rule) to this file.")
    var junit: String?

    @Option(help: "Also write a self-contained HTML report (inline CSS and SVG) to this file.")
    var html: String?
}
