import FPFormats
import FPGraph
import FPVerify
import Foundation

/// Real weights for a run (`--params`): checkpoints read once, bound to the graph's
/// parameters by ``FPFormats/TensorPath``'s naming rule (or a mapping), and given to
/// every sample as fixed inputs.
public struct CheckpointInputs: Sendable {
    /// The checkpoints, in the order given.
    public var checkpoints: [Checkpoint]
    /// Prefixes to strip and explicit mappings.
    public var binding: CheckpointBindingOptions
    /// `--params-strict`: a parameter without a tensor, or a tensor without a parameter, is an error.
    public var strict: Bool

    /// Inputs from checkpoints already read.
    public init(checkpoints: [Checkpoint], binding: CheckpointBindingOptions = .init(), strict: Bool = false) {
        self.checkpoints = checkpoints
        self.binding = binding
        self.strict = strict
    }

    /// Reads the checkpoint files (and the mapping file, if any).
    /// - Throws: `CheckpointError` or `FormatError` naming the file.
    public static func read(
        paths: [String], prefixes: [String] = [], mappingFile: String? = nil, strict: Bool = false,
        limits: GraphLimits = .default
    ) throws -> CheckpointInputs {
        let checkpoints = try paths.map { try Checkpoint.read(path: $0, maxElements: limits.maxElements) }
        var mapping: [String: String?] = [:]
        if let mappingFile {
            mapping = try CheckpointBindingOptions.readMapping(FileAccess.read(mappingFile), file: mappingFile)
        }
        return CheckpointInputs(
            checkpoints: checkpoints,
            binding: CheckpointBindingOptions(
                prefixes: prefixes.map { TensorPath($0) }, mapping: mapping, mappingFile: mappingFile),
            strict: strict)
    }

    /// Binds each group's checkpoints to its eligible parameters (nil: every parameter),
    /// in order, skipping the parameters in `explicit` (positions set by `--input`,
    /// `data(FILE)` or recorded inputs) and those an earlier group bound; sets the
    /// configuration's fixed inputs (by position, `#i`, so every snapshot of a trace takes
    /// them) and one record of every file and binding.
    /// - Throws: `CheckpointError` for an ambiguous or mistyped binding, or an incomplete
    ///   one in a ``strict`` group.
    static func apply(
        _ groups: [(inputs: CheckpointInputs, eligible: Set<Int>?)], to config: inout VerificationConfig,
        parameters: [GraphParameter], explicit: Set<Int>
    ) throws {
        guard !groups.isEmpty else { return }
        var files: [CheckpointRecord.File] = []
        var bindings: [CheckpointRecord.Binding] = []
        var taken = explicit
        for (group, eligible) in groups {
            let candidates = parameters.filter { p in
                !taken.contains(p.index) && eligible.map { $0.contains(p.index) } ?? true
            }
            let result = try CheckpointBinding.bind(group.checkpoints, to: candidates, options: group.binding)
            if group.strict {
                let unbound = result.unboundParameters
                if !unbound.isEmpty || !result.unusedTensors.isEmpty {
                    throw CheckpointError.incompleteBinding(
                        unboundParameters: unbound,
                        unusedTensors: result.unusedTensors.map {
                            group.checkpoints.count > 1 ? "\($0.file):\($0.tensor)" : $0.tensor
                        })
                }
            }
            for b in result.bound {
                let file = (b.file as NSString).lastPathComponent
                config.fixedInputs["#\(b.index)"] = FixedInput(
                    description: "\(file):\(b.tensor)", data: b.value.elements)
                taken.insert(b.index)
                bindings.append(
                    CheckpointRecord.Binding(
                        parameter: b.parameter, index: b.index, file: b.file, tensor: b.tensor, rule: b.rule))
            }
            files += group.checkpoints.map { c in
                CheckpointRecord.File(
                    path: c.file, format: c.format.rawValue, sha256: c.sha256,
                    unusedTensors: result.unusedTensors.filter { $0.file == c.file }.map(\.tensor))
            }
        }
        let ordered = parameters.sorted { $0.index < $1.index }
        config.checkpoints = CheckpointRecord(
            files: files, bindings: bindings.sorted { $0.index < $1.index },
            unboundParameters: ordered.filter { !taken.contains($0.index) }.map(\.name),
            keptSampled: ordered.filter { explicit.contains($0.index) }.map(\.name))
    }

    /// The fixed inputs a recorded run bound, read again from the recorded files, which
    /// must be byte for byte the same (by SHA-256).
    /// - Throws: ``FPFormats/CheckpointError/changedSinceRecorded(file:recorded:found:)`` for a
    ///   changed file, `FormatError` for a missing one, `CheckpointError` when a recorded
    ///   tensor or parameter is gone.
    public static func recorded(
        _ record: CheckpointRecord, parameters: [GraphParameter], limits: GraphLimits = .default
    ) throws -> [String: FixedInput] {
        var checkpoints: [String: Checkpoint] = [:]
        for file in record.files {
            let checkpoint = try Checkpoint.read(path: file.path, maxElements: limits.maxElements)
            guard checkpoint.sha256 == file.sha256 else {
                throw CheckpointError.changedSinceRecorded(
                    file: file.path, recorded: file.sha256, found: checkpoint.sha256)
            }
            checkpoints[file.path] = checkpoint
        }
        var fixed: [String: FixedInput] = [:]
        for b in record.bindings {
            guard let checkpoint = checkpoints[b.file], checkpoint.entry(named: b.tensor) != nil else {
                throw CheckpointError.malformed(
                    file: b.file, offset: nil, message: "the recorded tensor '\(b.tensor)' is gone")
            }
            guard let parameter = parameters.first(where: { $0.index == b.index }) else {
                throw CheckpointError.typeMismatch(
                    file: b.file, tensor: b.tensor, parameter: b.parameter,
                    message: "the graph has no parameter #\(b.index)")
            }
            let value = try CheckpointBinding.convert(
                try checkpoint.tensor(named: b.tensor), to: parameter, file: b.file, tensor: b.tensor)
            let name = (b.file as NSString).lastPathComponent
            fixed["#\(b.index)"] = FixedInput(description: "\(name):\(b.tensor)", data: value.elements)
        }
        return fixed
    }
}

/// A recorded input set for a run (`--inputs-from`), with how to sample it.
public struct RecordedInputOptions: Sendable {
    /// The recorded arrays.
    public var inputs: RecordedInputs
    /// `--perturb`: ulps each recorded float element may move (0: as recorded).
    public var perturbULPs: Int

    /// Options for a recorded set already read.
    public init(inputs: RecordedInputs, perturbULPs: Int = 0) {
        self.inputs = inputs
        self.perturbULPs = perturbULPs
    }

    /// Binds the recorded arrays to `parameters` and sets the configuration's samples:
    /// all recorded rows, or a subset of `requested` rows drawn from the seed.
    /// - Throws: `CheckpointError` when no array names a parameter, more samples are asked
    ///   for than recorded, or an array does not fit its parameter.
    func apply(to config: inout VerificationConfig, parameters: [GraphParameter], requested: Int?) throws {
        let binding = try inputs.bind(to: parameters)
        guard !binding.bound.isEmpty else {
            throw CheckpointError.unusableRecording(
                file: inputs.file,
                message: "no recorded array names a parameter of the graph (arrays: "
                    + inputs.arrays.map(\.name).joined(separator: ", ") + "; parameters: "
                    + parameters.map(\.name).joined(separator: ", ") + ")")
        }
        if let requested, requested > inputs.sampleCount {
            throw CheckpointError.unusableRecording(
                file: inputs.file,
                message: "the file records \(inputs.sampleCount) samples; --samples \(requested) asks for more")
        }
        let rows = RecordedSamples.rows(count: requested, of: inputs.sampleCount, seed: config.seed)
        config.samples = rows.count
        let record = RecordedInputsRecord(
            path: inputs.file, format: inputs.format, sha256: inputs.sha256, recordedSamples: inputs.sampleCount,
            rows: rows, perturbULPs: perturbULPs,
            bindings: binding.bound.map {
                CheckpointRecord.Binding(
                    parameter: $0.parameter, index: $0.index, file: inputs.file, tensor: $0.array, rule: $0.rule)
            },
            unusedArrays: binding.unusedArrays)
        config.recorded = RecordedSamples(values: binding.rows, rows: rows, perturbULPs: perturbULPs, record: record)
        config.recordedInputs = record
    }

    /// The recorded samples of a recorded run, read again from the recorded file, which
    /// must be byte for byte the same.
    /// - Throws: `CheckpointError.changedSinceRecorded` for a changed file; what reading throws.
    public static func recorded(_ record: RecordedInputsRecord, parameters: [GraphParameter]) throws
        -> RecordedSamples
    {
        let inputs = try RecordedInputs.read(path: record.path)
        guard inputs.sha256 == record.sha256 else {
            throw CheckpointError.changedSinceRecorded(file: record.path, recorded: record.sha256, found: inputs.sha256)
        }
        var mapping: [String: String?] = [:]
        for b in record.bindings { mapping["#\(b.index)"] = .some(b.tensor) }
        let binding = try inputs.bind(to: parameters, options: CheckpointBindingOptions(mapping: mapping))
        return RecordedSamples(
            values: binding.rows.filter { position, _ in record.bindings.contains { $0.index == position } },
            rows: record.rows, perturbULPs: record.perturbULPs, record: record)
    }
}
