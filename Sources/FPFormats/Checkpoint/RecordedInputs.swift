import FPGraph
import Foundation

/// A recorded input set (`--inputs-from`): the values some parameters really took, one
/// row per sample.
///
/// - `.npz` and `.safetensors`: each array holds every sample, along a leading axis
///   (`x` of shape `[S, 16, 2]` is 16×2 points for each of S samples); all arrays have the same S.
/// - `.jsonl` (JSON Lines): one values object per line (the values format of
///   `docs/values-format.md`), every line with the same keys, dtypes and shapes.
///
/// Arrays bind to parameters as checkpoint tensors do (``TensorPath``'s rule, a mapping,
/// or, for JSON Lines keys, the parameter's name, alias or `#i`).
public struct RecordedInputs: Sendable {
    /// One recorded array: its name, the type of one sample's value, and every sample's value.
    public struct Array: Sendable, Equatable {
        /// The array's name in the file.
        public var name: String
        /// The type of one sample's value (the file's shape without the sample axis).
        public var type: ArrayType
        /// Each sample's elements, row-major.
        public var rows: [Tensor.Elements]
    }

    /// The file's path as given.
    public let file: String
    /// `npz`, `safetensors` or `jsonl`.
    public let format: String
    /// SHA-256 of the file's bytes, lowercase hex.
    public let sha256: String
    /// How many samples the file records.
    public let sampleCount: Int
    /// The arrays, in the file's order.
    public let arrays: [Array]

    /// Reads a recorded input set; `.jsonl` files by extension, the others by content.
    /// - Throws: ``CheckpointError`` or ``FormatError`` naming the file (and for JSON
    ///   Lines, the line).
    public static func read(path: String, maxElements: Int = GraphLimits.default.maxElements) throws -> RecordedInputs {
        if path.hasSuffix(".jsonl") {
            return try parseJSONLines(FileAccess.read(path), file: path)
        }
        return try fromCheckpoint(Checkpoint.read(path: path, maxElements: maxElements))
    }

    /// The arrays of a checkpoint, split along their leading (sample) axis.
    static func fromCheckpoint(_ checkpoint: Checkpoint) throws -> RecordedInputs {
        func fail(_ message: String) -> CheckpointError {
            .malformed(file: checkpoint.file, offset: nil, message: message)
        }
        guard let first = checkpoint.entries.first else { throw fail("the file records no arrays") }
        guard let samples = first.type.dimensions.first else {
            throw fail("array '\(first.name)' is a scalar; recorded inputs have a leading sample axis")
        }
        var arrays: [Array] = []
        for entry in checkpoint.entries {
            guard entry.type.dimensions.first == samples else {
                throw fail(
                    "array '\(entry.name)' has shape \(entry.type.dimensions), but '\(first.name)' records \(samples) samples; "
                        + "every array needs the same leading sample axis")
            }
            let type = ArrayType(entry.type.dtype, Swift.Array(entry.type.dimensions.dropFirst()))
            let count = type.elementCount
            let rows: [Tensor.Elements]
            switch try checkpoint.tensor(named: entry.name).elements {
            case .floats(let v): rows = (0..<samples).map { .floats(Swift.Array(v[($0 * count)..<(($0 + 1) * count)])) }
            case .integers(let v):
                rows = (0..<samples).map { .integers(Swift.Array(v[($0 * count)..<(($0 + 1) * count)])) }
            }
            arrays.append(Array(name: entry.name, type: type, rows: rows))
        }
        return RecordedInputs(
            file: checkpoint.file, format: checkpoint.format.rawValue, sha256: checkpoint.sha256, sampleCount: samples,
            arrays: arrays)
    }

    /// Parses a JSON Lines file of values objects (blank lines are skipped).
    static func parseJSONLines(_ data: Data, file: String) throws -> RecordedInputs {
        let bytes = [UInt8](data)
        var arrays: [Array] = []
        var firstLine = 0
        var lineNumber = 0
        var start = 0
        var samples = 0
        while start < bytes.count {
            lineNumber += 1
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            let line = bytes[start..<end]
            start = end + 1
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            let entries = try ValuesJSON.readEntries(data: Data(line), file: file, firstLine: lineNumber)
            if samples == 0 {
                firstLine = lineNumber
                arrays = entries.map { Array(name: $0.key, type: $0.value.type, rows: [$0.value.elements]) }
            } else {
                guard entries.map(\.key) == arrays.map(\.name) else {
                    throw FormatError.invalidValue(
                        what: "line \(lineNumber)",
                        message: "has the keys \(entries.map(\.key)), line \(firstLine) has \(arrays.map(\.name)); "
                            + "every line records the same parameters in the same order",
                        location: SourceLocation(file: file, line: lineNumber, column: 1))
                }
                for (k, entry) in entries.enumerated() {
                    guard entry.value.type == arrays[k].type else {
                        throw FormatError.typeMismatch(
                            key: entry.key,
                            message:
                                "'\(entry.key)' is \(entry.value.type) here but \(arrays[k].type) on line \(firstLine)",
                            location: entry.location)
                    }
                    arrays[k].rows.append(entry.value.elements)
                }
            }
            samples += 1
        }
        guard samples > 0 else {
            throw FormatError.emptyDocument(location: SourceLocation(file: file, line: 1, column: 1))
        }
        return RecordedInputs(
            file: file, format: "jsonl", sha256: fileSHA256(data),
            sampleCount: samples, arrays: arrays)
    }

    /// Which recorded array each parameter takes: a JSON Lines key that names a parameter
    /// (name, alias or `#i`) binds to it; the rest go by ``TensorPath``'s rule or the mapping.
    /// Each bound parameter's rows are converted to its dtype (exactly) and checked for shape.
    /// - Throws: ``CheckpointError`` as ``CheckpointBinding/bind(_:to:options:)`` does.
    public func bind(to parameters: [GraphParameter], options: CheckpointBindingOptions = .init()) throws
        -> RecordedBinding
    {
        var options = options
        if format == "jsonl" {
            for array in arrays {
                if let p = parameters.parameter(named: array.name), options.mapping[p.name] == nil {
                    options.mapping[p.name] = .some(array.name)
                }
            }
        }
        let named = arrays.map { CheckpointBinding.NamedTensor(name: $0.name, label: $0.name, source: 0) }
        let (chosen, excluded) = try CheckpointBinding.match(named, to: parameters, options: options) { _ in file }
        var rows: [Int: [Tensor.Elements]] = [:]
        var bound: [RecordedBinding.Bound] = []
        var unbound: [String] = []
        for parameter in parameters.sorted(by: { $0.index < $1.index }) {
            guard let choice = chosen[parameter.index] else {
                if !excluded.contains(parameter.index) { unbound.append(parameter.name) }
                continue
            }
            let array = arrays[choice.tensor]
            rows[parameter.index] = try array.rows.map {
                try CheckpointBinding.convert(
                    Tensor(type: array.type, elements: $0), to: parameter, file: file, tensor: array.name
                ).elements
            }
            bound.append(.init(parameter: parameter.name, index: parameter.index, array: array.name, rule: choice.rule))
        }
        let used = Set(chosen.values.map(\.tensor))
        return RecordedBinding(
            bound: bound, rows: rows, unboundParameters: unbound,
            unusedArrays: arrays.indices.filter { !used.contains($0) }.map { arrays[$0].name })
    }
}

/// Recorded arrays bound to parameters.
public struct RecordedBinding: Sendable {
    /// One parameter bound to one recorded array.
    public struct Bound: Sendable, Equatable {
        /// The parameter's name.
        public var parameter: String
        /// Its position.
        public var index: Int
        /// The array's name in the file.
        public var array: String
        /// `mapping`, `exact` or `suffix`.
        public var rule: String
    }

    /// The bound parameters, in parameter order.
    public var bound: [Bound]
    /// Each bound parameter's value per recorded sample, in its dtype, by parameter position.
    public var rows: [Int: [Tensor.Elements]]
    /// Parameters the file does not record (they keep their distributions or checkpoint values).
    public var unboundParameters: [String]
    /// Arrays bound to no parameter.
    public var unusedArrays: [String]
}
