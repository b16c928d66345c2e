import FPEval
import FPGraph
import FPNumerics

/// Everything that decides a verification's numbers; recorded in every report.
public struct VerificationConfig: Sendable, Equatable {
    /// Number of sampled input sets.
    public var samples: Int
    /// Seed of the input sampler.
    public var seed: UInt64
    /// Distributions that override the graph's defaults, by parameter name, alias or `#i`.
    public var inputs: [String: Distribution]
    /// Fixed values (the same in every sample) by parameter name, alias or `#i`; they win over `inputs`.
    public var fixedInputs: [String: FixedInput] = [:]
    /// The checkpoint tensors bound to parameters (`--params`), when any; their values are in ``fixedInputs``.
    public var checkpoints: CheckpointRecord?
    /// Recorded samples (`--inputs-from`), when any: they win over everything else for
    /// the parameters they record, and set the sample count.
    public var recorded: RecordedSamples?
    /// What ``recorded`` is, as reports and the audit log record it (the values are not
    /// recorded: a decoded configuration has this and a nil ``recorded`` until the file is read again).
    public var recordedInputs: RecordedInputsRecord?
    /// IEEE evaluation mode of the measured runs.
    public var exec: ExecutionMode
    /// Order of reductions and dot products in the IEEE runs.
    public var reductionOrder: ReductionOrder
    /// Subnormal handling of the declared-precision runs.
    public var subnormals: SubnormalMode
    /// Truth precision: nil = adaptive from ``startPrecision`` doubling up to ``maxPrecision``; a number = fixed.
    public var fixedPrecision: Int?
    /// The first precision of the adaptive truth, in bits (default 128).
    public var startPrecision: Int
    /// The highest precision the adaptive truth may use, in bits (`--precision-cap`,
    /// default 4096).
    public var maxPrecision: Int
    /// Number of concurrent workers (results do not depend on it).
    public var workers: Int
    /// How the truth is computed: binary64 intervals first and MPFR only where
    /// they do not decide (`tiered`, the default), or MPFR for every sample
    /// (`mpfr`). Both give the same figures; only the cost and
    /// ``SampleCounts/truthPoints`` differ. A fixed ``fixedPrecision`` always uses MPFR.
    public var truth: TruthMode = .tiered
    /// Output elements measured per output and sample (`--elements`, see
    /// ``ElementSampling``); nil measures every element.
    public var elements: Int?
    /// Evaluations of the worst-case search after sampling (`--search N`,
    /// ``WorstCaseSearch``); 0 searches nothing.
    public var search = 0
    /// How the two graphs' parameters and outputs are paired: by name where
    /// they agree, by position and type (the snapshots of one pipeline, or two
    /// separately lowered HLO modules), or as `auto` decides.
    public var match: MatchMode

    /// Creates a configuration; ``fixedInputs`` starts empty. The defaults are those
    /// of `fpaudit verify`, except ``workers``, which the CLI sets to the core count.
    public init(
        samples: Int = 1024, seed: UInt64 = 1, inputs: [String: Distribution] = [:],
        exec: ExecutionMode = .declared, reductionOrder: ReductionOrder = .sequential,
        subnormals: SubnormalMode = .keep, fixedPrecision: Int? = nil, startPrecision: Int = 128,
        maxPrecision: Int = 4096, workers: Int = 2,
        match: MatchMode = .auto
    ) {
        self.samples = samples
        self.seed = seed
        self.inputs = inputs
        self.exec = exec
        self.reductionOrder = reductionOrder
        self.subnormals = subnormals
        self.fixedPrecision = fixedPrecision
        self.startPrecision = startPrecision
        self.maxPrecision = maxPrecision
        self.workers = workers
        self.match = match
    }

    /// `auto` or the fixed number of bits.
    public var precisionDescription: String { fixedPrecision.map(String.init) ?? "auto" }
}

/// Values a parameter takes in every sample (e.g. a model's weights).
public struct FixedInput: Sendable, Equatable {
    /// Where they came from, for reports (`data(weights.npy)`).
    public var description: String
    /// The values, row-major: as many as the parameter's elements, floats for a float
    /// dtype and integers otherwise.
    public var data: Tensor.Elements

    /// Creates a fixed input from its parts.
    public init(description: String, data: Tensor.Elements) {
        self.description = description
        self.data = data
    }
}

extension VerificationConfig: Codable {
    enum CodingKeys: String, CodingKey {
        case samples, seed, exec, precision, precisionStart = "precision_start", precisionCap = "precision_cap",
            reductionOrder = "reduction_order", subnormals, match, inputs, checkpoints, recordedInputs =
            "recorded_inputs", truth, elements, search
        /// The field `match` replaced (audit log entries made before `--match` existed), read only.
        case matchByPosition = "match_by_position"
    }

    /// Encodes what decides the numbers: samples, seed, exec, `precision`
    /// (`auto` or the bits), its start and cap, reduction order, subnormals,
    /// match, `elements` when element sampling is on, the input overrides as their spellings, and ``checkpoints`` and the
    /// ``recorded`` inputs' record when there are any (older records have none). ``fixedInputs``
    /// (data, recorded by whoever knows their files) and ``workers`` (which
    /// decides nothing) are not encoded.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(samples, forKey: .samples)
        try c.encode(seed, forKey: .seed)
        try c.encode(exec, forKey: .exec)
        try c.encode(precisionDescription, forKey: .precision)
        try c.encode(startPrecision, forKey: .precisionStart)
        try c.encode(maxPrecision, forKey: .precisionCap)
        try c.encode(reductionOrder, forKey: .reductionOrder)
        try c.encode(subnormals, forKey: .subnormals)
        try c.encode(match, forKey: .match)
        try c.encode(truth, forKey: .truth)
        try c.encodeIfPresent(elements, forKey: .elements)
        try c.encode(inputs.mapValues(\.description), forKey: .inputs)
        try c.encodeIfPresent(checkpoints, forKey: .checkpoints)
        try c.encodeIfPresent(recordedInputs, forKey: .recordedInputs)
        if search > 0 { try c.encode(search, forKey: .search) }
    }

    /// Decodes what ``encode(to:)`` writes (with ``workers`` at its default
    /// and no ``fixedInputs``); a record without `match` pairs by position
    /// when its `match_by_position` says so, else by name.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let precision = try c.decode(String.self, forKey: .precision)
        let fixed: Int?
        if precision == "auto" {
            fixed = nil
        } else if let bits = Int(precision) {
            fixed = bits
        } else {
            throw DecodingError.dataCorruptedError(
                forKey: .precision, in: c, debugDescription: "precision '\(precision)' is neither auto nor bits")
        }
        let match =
            try c.decodeIfPresent(MatchMode.self, forKey: .match)
            ?? (try c.decodeIfPresent(Bool.self, forKey: .matchByPosition) == true ? .position : .name)
        var inputs: [String: Distribution] = [:]
        for (name, text) in try c.decode([String: String].self, forKey: .inputs) {
            do {
                inputs[name] = try Distribution.parse(text)
            } catch {
                throw DecodingError.dataCorruptedError(
                    forKey: .inputs, in: c, debugDescription: "input '\(name)': \(error)")
            }
        }
        self.init(
            samples: try c.decode(Int.self, forKey: .samples), seed: try c.decode(UInt64.self, forKey: .seed),
            inputs: inputs, exec: try c.decode(ExecutionMode.self, forKey: .exec),
            reductionOrder: try c.decode(ReductionOrder.self, forKey: .reductionOrder),
            subnormals: try c.decode(SubnormalMode.self, forKey: .subnormals), fixedPrecision: fixed,
            startPrecision: try c.decode(Int.self, forKey: .precisionStart),
            maxPrecision: try c.decode(Int.self, forKey: .precisionCap), match: match)
        checkpoints = try c.decodeIfPresent(CheckpointRecord.self, forKey: .checkpoints)
        // Records made before the tiered truth computed it with MPFR alone.
        truth = try c.decodeIfPresent(TruthMode.self, forKey: .truth) ?? .mpfr
        elements = try c.decodeIfPresent(Int.self, forKey: .elements)
        search = try c.decodeIfPresent(Int.self, forKey: .search) ?? 0
        // The values are not recorded: a replay reads them again from the recorded file.
        recordedInputs = try c.decodeIfPresent(RecordedInputsRecord.self, forKey: .recordedInputs)
    }
}
