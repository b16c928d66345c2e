import FPGraph
import FPNumerics

/// Measured samples from a recorded input set (`--inputs-from`): sample `s` takes row
/// ``rows``[s] of every recorded parameter, optionally moved by a few ulps.
public struct RecordedSamples: Sendable, Equatable {
    /// Each recorded parameter's value per recorded row, by parameter position
    /// (the original graph's, or a trace's first snapshot's).
    public var values: [Int: [Tensor.Elements]]
    /// The recorded row each sample uses, in sample order.
    public var rows: [Int]
    /// With `u` > 0, every float element of a recorded value is moved by a random whole
    /// number of ulps of its dtype in `-u...u`, drawn from `(seed, parameter, sample)`.
    public var perturbULPs: Int
    /// What the report and the audit log record of it.
    public var record: RecordedInputsRecord

    /// Recorded samples from their parts.
    public init(values: [Int: [Tensor.Elements]], rows: [Int], perturbULPs: Int, record: RecordedInputsRecord) {
        self.values = values
        self.rows = rows
        self.perturbULPs = perturbULPs
        self.record = record
    }

    /// The rows `count` samples use out of `recorded`: all of them in order when `count`
    /// is nil or equal, else a subset drawn from `seed` (in file order).
    public static func rows(count: Int?, of recorded: Int, seed: UInt64) -> [Int] {
        guard let count, count < recorded else { return Array(0..<recorded) }
        var rng = Xoshiro256StarStar.forSample(seed: seed, stream: subsetStream, index: 0)
        var all = Array(0..<recorded)
        for i in 0..<count {
            let j = i + Int(rng.next() % UInt64(recorded - i))
            all.swapAt(i, j)
        }
        return all.prefix(count).sorted()
    }

    /// Sample `sample`'s value of the parameter at `position` with type `type`, or nil when not recorded.
    func value(position: Int, type: ArrayType, sample: Int, seed: UInt64) -> Tensor.Elements? {
        guard let perRow = values[position], sample < rows.count else { return nil }
        let recorded = perRow[rows[sample]]
        guard perturbULPs > 0, case .floats(let xs) = recorded, let format = FloatFormat(name: type.dtype.rawValue)
        else { return recorded }
        var rng = Xoshiro256StarStar.forSample(
            seed: seed, stream: Self.perturbStream &+ UInt64(position), index: UInt64(sample))
        let span = UInt64(2 * perturbULPs + 1)
        return .floats(xs.map { format.stepped($0, by: Int64(rng.next() % span) - Int64(perturbULPs)) })
    }

    /// Random streams of their own, apart from the parameters' sampling streams (0, 1, ...).
    static let subsetStream: UInt64 = 0x5245_4344_5355_4253  // "RECDSUBS"
    static let perturbStream: UInt64 = 0x5045_5254_0000_0000  // "PERT"
}

/// What a run's recorded input set was, in the configuration (reports, audit log).
public struct RecordedInputsRecord: Codable, Sendable, Equatable {
    /// The file's path as given.
    public var path: String
    /// `npz`, `safetensors` or `jsonl`.
    public var format: String
    /// SHA-256 of its bytes.
    public var sha256: String
    /// How many samples the file records.
    public var recordedSamples: Int
    /// The rows measured, in sample order (all of them unless `--samples` asked for fewer).
    public var rows: [Int]
    /// `--perturb`: ulps each recorded float element may move (0: used as recorded).
    public var perturbULPs: Int
    /// Parameter → recorded array name, in parameter order.
    public var bindings: [CheckpointRecord.Binding]
    /// Arrays of the file no parameter took.
    public var unusedArrays: [String]

    /// A record from its parts.
    public init(
        path: String, format: String, sha256: String, recordedSamples: Int, rows: [Int], perturbULPs: Int,
        bindings: [CheckpointRecord.Binding], unusedArrays: [String]
    ) {
        self.path = path
        self.format = format
        self.sha256 = sha256
        self.recordedSamples = recordedSamples
        self.rows = rows
        self.perturbULPs = perturbULPs
        self.bindings = bindings
        self.unusedArrays = unusedArrays
    }

    enum CodingKeys: String, CodingKey {
        case path, format, sha256, recordedSamples = "recorded_samples", rows, perturbULPs = "perturb_ulps", bindings
        case unusedArrays = "unused_arrays"
    }

    /// One line for reports: `inputs.npz (sha256 …): 32 of 32 recorded samples of x, ±2 ulps`.
    public var summary: String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        var text =
            "\(name) (sha256 \(sha256.prefix(12)), \(format)): \(rows.count) of \(recordedSamples) recorded samples of "
            + bindings.map(\.parameter).joined(separator: ", ")
        if perturbULPs > 0 { text += ", each float moved by up to ±\(perturbULPs) ulps" }
        if !unusedArrays.isEmpty { text += "; unused arrays: " + unusedArrays.joined(separator: ", ") }
        return text
    }
}
