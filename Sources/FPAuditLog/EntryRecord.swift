import Foundation

/// Everything one audit log entry says about one verified transformation: the
/// exact text that is hashed (see `docs/audit-log.md`).
///
/// The record is written once, as UTF-8 JSON with sorted keys and no
/// insignificant whitespace (``canonicalData()``), and stored verbatim; an
/// entry's hash is SHA-256 over those bytes, and it contains the previous
/// entry's hash, which chains the log. Verifiers never re-serialise a record:
/// they hash the stored bytes.
public struct EntryRecord: Codable, Sendable, Equatable {
    /// `fpaudit.log-entry/v1`.
    public static let currentSchema = "fpaudit.log-entry/v1"

    /// The record format, ``currentSchema`` unless read from an older log (JSON key `schema`).
    public var schema: String = EntryRecord.currentSchema
    /// Position in the chain, from 1.
    public var seq: Int64 = 0
    /// A UUIDv7, time-ordered.
    public var id: String = ""
    /// When the entry was appended: UTC, ISO 8601 with milliseconds.
    public var timestamp: String = ""
    /// The id of the log the entry belongs to (the same for every entry).
    public var logID: String = ""
    /// The previous entry's hash; for the first entry, the log's genesis hash.
    public var prevHash: String = ""
    /// The Ed25519 public key that signs this entry (`ed25519:<hex>`), when signed.
    public var signer: String?

    /// The fpaudit that made the entry.
    public var tool: ToolStamp
    /// Who ran it, where, from which commit, in which CI job.
    public var context: RunContext
    /// One id per fpaudit invocation: every step of one trace shares it.
    public var run: String
    /// `verify` or `trace`.
    public var command: String
    /// The pass or rule name: the trace step's pass, `end-to-end`, or `verify --pass`.
    public var pass: String?
    /// Where in a trace the entry belongs (nil for `verify`).
    public var trace: TracePosition?
    /// The graph before the rewrite: its path, file hash, canonical hash and format (JSON key `original`).
    public var original: GraphReference
    /// The graph after the rewrite, described like ``original`` (JSON key `rewritten`).
    public var rewritten: GraphReference
    /// The policy that judged the pair (JSON key `policy`).
    public var policy: PolicyReference
    /// The options and input distributions the verification ran with, enough to replay it (JSON key `config`).
    public var config: RecordedConfig
    /// `verified`, `unchanged` (same canonical hash, nothing to measure) or `error`.
    public var outcome: EntryOutcome
    /// The error's message, for `error` outcomes.
    public var error: String?
    /// How the interfaces were paired (verified entries recorded since `--match` exists).
    public var interface: RecordedInterface?
    /// Sample accounting (verified entries).
    public var samples: RecordedSamples?
    /// Per-output metrics (verified entries).
    public var outputs: [RecordedOutput]
    /// The policy's findings, waived ones included (marked).
    public var findings: [RecordedFinding]
    /// Waivers that covered a failed check.
    public var waivers: [AppliedWaiver]
    /// `pass`, `warn`, `fail`, or `unchanged` / `error` for those outcomes.
    public var verdict: String
    /// Blob hash of the full `fpaudit.report/v1` JSON (verified entries).
    public var report: String?

    /// Creates a record from its parts. The chain fields (`seq`, `id`, `timestamp`, `log_id`, `prev_hash`,
    /// `signer`) keep their empty defaults until ``AuditLog/append(_:signer:now:)`` fills them in; ``interface``
    /// starts nil and is set by ``setMeasurements(_:)``.
    /// - Parameters:
    ///   - error: the message, for an ``EntryOutcome/error`` outcome.
    ///   - verdict: `pass`, `warn` or `fail`, or `unchanged` / `error` matching the outcome.
    ///   - report: the blob hash of the full report, for verified entries.
    public init(
        tool: ToolStamp, context: RunContext, run: String, command: String, pass: String?,
        trace: TracePosition?, original: GraphReference, rewritten: GraphReference, policy: PolicyReference,
        config: RecordedConfig, outcome: EntryOutcome, error: String? = nil, samples: RecordedSamples? = nil,
        outputs: [RecordedOutput] = [], findings: [RecordedFinding] = [], waivers: [AppliedWaiver] = [],
        verdict: String, report: String? = nil
    ) {
        self.tool = tool
        self.context = context
        self.run = run
        self.command = command
        self.pass = pass
        self.trace = trace
        self.original = original
        self.rewritten = rewritten
        self.policy = policy
        self.config = config
        self.outcome = outcome
        self.error = error
        self.samples = samples
        self.outputs = outputs
        self.findings = findings
        self.waivers = waivers
        self.verdict = verdict
        self.report = report
    }

    enum CodingKeys: String, CodingKey {
        case schema, seq, id, timestamp, logID = "log_id", prevHash = "prev_hash", signer, tool, context, run, command,
            pass, trace, original, rewritten, policy, config, outcome, error, interface, samples, outputs, findings,
            waivers, verdict, report
    }

    /// The bytes that are stored and hashed: sorted keys, no whitespace, `/`
    /// unescaped, non-finite numbers as the strings `inf`, `-inf`, `nan`.
    public func canonicalData() throws -> Data { try Self.encoder.encode(self) }

    /// Decodes stored record bytes.
    public static func decode(_ data: Data) throws -> EntryRecord { try decoder.decode(EntryRecord.self, from: data) }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        e.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return e
    }()

    static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return d
    }()

    /// The largest `bits_lost.max` over the outputs (nil when nothing was measured).
    public var worstBitsLost: Double? { outputs.map(\.bitsLost.max).max() }

    /// Every blob the entry refers to, with the kind it must have.
    public var blobReferences: [(hash: String, kind: BlobKind)] {
        var refs: [(String, BlobKind)] = []
        for g in [original, rewritten] { if let h = g.sha256 { refs.append((h, .graph)) } }
        refs.append((policy.canonicalHash, .policy))
        for d in policy.data { refs.append((d.sha256, .data)) }
        if let r = config.replayInputs { refs.append((r, .values)) }
        if let r = report { refs.append((r, .report)) }
        var seen = Set<String>()
        return refs.filter { seen.insert($0.0 + "/" + $0.1.rawValue).inserted }
    }
}

/// What an entry's verification came to.
public enum EntryOutcome: String, Codable, Sendable, CaseIterable {
    /// Both graphs were run and measured.
    case verified
    /// The graphs have the same canonical hash: the pass changed nothing that matters.
    case unchanged
    /// A snapshot could not be read or the pair could not be verified.
    case error
}

/// The program that made an entry.
public struct ToolStamp: Codable, Sendable, Equatable {
    /// The program's name, `fpaudit` unless given otherwise (JSON key `name`).
    public var name: String
    /// The program's version (JSON key `version`); a replay by another version can legitimately differ.
    public var version: String

    /// Creates a stamp; `name` defaults to `fpaudit`.
    public init(name: String = "fpaudit", version: String) {
        self.name = name
        self.version = version
    }
}

/// A trace step's place in its pipeline.
public struct TracePosition: Codable, Sendable, Equatable {
    /// The traced module.
    public var module: String
    /// 1-based step number (the end-to-end entry has `steps + 1`).
    public var step: Int
    /// Number of steps in the trace.
    public var steps: Int
    /// `step` or `end-to-end`.
    public var kind: String
    /// The pass that produced the original snapshot.
    public var fromPass: String

    /// Creates a trace position from its parts (`fromPass` is stored under the JSON key `from_pass`).
    public init(module: String, step: Int, steps: Int, kind: String, fromPass: String) {
        self.module = module
        self.step = step
        self.steps = steps
        self.kind = kind
        self.fromPass = fromPass
    }

    enum CodingKeys: String, CodingKey { case module, step, steps, kind, fromPass = "from_pass" }
}

/// One graph of the pair: where it was and what it hashes to. Its bytes are
/// stored as the blob named by ``sha256``.
public struct GraphReference: Codable, Sendable, Equatable {
    /// The graph file's path as fpaudit was given it: `verify`'s argument or the trace snapshot's (JSON key `path`).
    public var path: String
    /// SHA-256 of the file's bytes (nil when the file could not be read).
    public var sha256: String?
    /// The graph's canonical hash (nil when it could not be parsed).
    public var canonicalHash: String?
    /// `json` or `hlo-text` (nil when unknown).
    public var format: String?

    /// Creates a graph reference from its parts; pass nil for what could not be determined.
    public init(path: String, sha256: String?, canonicalHash: String?, format: String?) {
        self.path = path
        self.sha256 = sha256
        self.canonicalHash = canonicalHash
        self.format = format
    }

    enum CodingKeys: String, CodingKey { case path, sha256, canonicalHash = "canonical_hash", format }
}

/// The policy that judged the entry. Its canonical text is stored as the blob
/// named by ``canonicalHash``; its `data(FILE)` inputs as blobs too.
public struct PolicyReference: Codable, Sendable, Equatable {
    /// The file the policy was loaded from, `<builtin>/default.yaml` for the built-in default (JSON key `path`).
    public var path: String
    /// The policy's `name` (JSON key `name`); `log query --policy` matches it.
    public var name: String
    /// The policy's `version`, free text (JSON key `version`).
    public var version: String
    /// SHA-256 of the effective (merged) policy's canonical text, hex: the name of the `policy` blob holding
    /// that text (JSON key `canonical_hash`).
    public var canonicalHash: String
    /// The fixed-data files the policy reads (`data(FILE)`).
    public var data: [PolicyData]

    /// Creates a policy reference from its parts; `data` defaults to none.
    public init(path: String, name: String, version: String, canonicalHash: String, data: [PolicyData] = []) {
        self.path = path
        self.name = name
        self.version = version
        self.canonicalHash = canonicalHash
        self.data = data
    }

    enum CodingKeys: String, CodingKey { case path, name, version, canonicalHash = "canonical_hash", data }
}

/// One `data(FILE)` input of a policy.
public struct PolicyData: Codable, Sendable, Equatable {
    /// The `inputs:` pattern.
    public var pattern: String
    /// The file as the policy names it (`weights.npy`).
    public var file: String
    /// SHA-256 of the file's bytes, hex: the name of the `data` blob holding them (JSON key `sha256`).
    public var sha256: String

    /// Creates a policy data reference from its parts.
    public init(pattern: String, file: String, sha256: String) {
        self.pattern = pattern
        self.file = file
        self.sha256 = sha256
    }
}

/// Everything that decided the numbers, enough to run the verification again.
public struct RecordedConfig: Codable, Sendable, Equatable {
    /// Number of input sets to sample (`--samples`; JSON key `samples`).
    public var samples: Int
    /// Seed of the input sampler (`--seed`); with the parameter and the sample index it fixes every sampled
    /// input (JSON key `seed`).
    public var seed: UInt64
    /// `declared` or `double`.
    public var exec: String
    /// `auto` or a number of bits.
    public var precision: String
    /// First precision of the adaptive truth, in bits; it doubles from here (JSON key `precision_start`).
    public var precisionStart: Int
    /// Highest precision the adaptive truth may reach, in bits (`--precision-cap`; JSON key `precision_cap`).
    public var precisionCap: Int
    /// Order of reductions and dot products in the IEEE runs: `sequential` or `pairwise` (`--reduction-order`;
    /// JSON key `reduction_order`).
    public var reductionOrder: String
    /// Subnormal handling of the declared-precision runs: `keep` (IEEE gradual underflow) or `flush` (flushed to
    /// zero, as XLA's CPU backend does); JSON key `subnormals`.
    public var subnormals: String
    /// Parameters and outputs matched by position only (`--match position`, trace steps).
    public var matchByPosition: Bool
    /// `--match`: `auto`, `name` or `position` (absent in entries recorded
    /// before the option existed: they matched by name unless ``matchByPosition``).
    public var match: String?
    /// The original graph's default distributions, by parameter name, as the run used them.
    public var defaults: [String: String]
    /// Distribution overrides (policy `inputs:` and `--input`), by name, alias or `#i`.
    public var inputs: [String: String]
    /// Fixed inputs (policy `data(FILE)`), by parameter name.
    public var fixed: [String: FixedReference]
    /// Blob hash of the values file of `--replay` inputs, when the run evaluated one input set.
    public var replayInputs: String?
    /// `error` or `warning` (`--fail-on`).
    public var failOn: String
    /// The UTC date (`YYYY-MM-DD`) waivers were judged against: a waiver expiring before it did not apply.
    public var waiversAsOf: String
    /// `--max-elements`.
    public var maxElements: Int

    /// Creates a configuration record from its parts; leave `match` nil only to reproduce an entry made before
    /// `--match` existed.
    public init(
        samples: Int, seed: UInt64, exec: String, precision: String, precisionStart: Int, precisionCap: Int,
        reductionOrder: String, subnormals: String, matchByPosition: Bool, match: String? = nil,
        defaults: [String: String], inputs: [String: String], fixed: [String: FixedReference],
        replayInputs: String?, failOn: String, waiversAsOf: String, maxElements: Int
    ) {
        self.samples = samples
        self.seed = seed
        self.exec = exec
        self.precision = precision
        self.precisionStart = precisionStart
        self.precisionCap = precisionCap
        self.reductionOrder = reductionOrder
        self.subnormals = subnormals
        self.matchByPosition = matchByPosition
        self.match = match
        self.defaults = defaults
        self.inputs = inputs
        self.fixed = fixed
        self.replayInputs = replayInputs
        self.failOn = failOn
        self.waiversAsOf = waiversAsOf
        self.maxElements = maxElements
    }

    enum CodingKeys: String, CodingKey {
        case samples, seed, exec, precision, precisionStart = "precision_start", precisionCap = "precision_cap",
            reductionOrder = "reduction_order", subnormals, matchByPosition = "match_by_position", match, defaults,
            inputs,
            fixed, replayInputs = "replay_inputs", failOn = "fail_on", waiversAsOf = "waivers_as_of",
            maxElements = "max_elements"
    }
}

/// A fixed input: the data file it came from (stored as the blob ``sha256``).
public struct FixedReference: Codable, Sendable, Equatable {
    /// As reports show it (`data(weights.npy)`).
    public var description: String
    /// The file's name (its extension says `.npy` or values `.json`).
    public var file: String
    /// SHA-256 of the file's bytes, hex: the name of the `data` blob holding them (JSON key `sha256`).
    public var sha256: String

    /// Creates a fixed-input reference from its parts.
    public init(description: String, file: String, sha256: String) {
        self.description = description
        self.file = file
        self.sha256 = sha256
    }
}

/// Sample accounting of a verified entry.
public struct RecordedSamples: Codable, Sendable, Equatable {
    /// Number of input samples the run asked for (JSON key `requested`).
    public var requested: Int
    /// Samples whose original truth was stable and that were measured (JSON key `measured`).
    public var measured: Int
    /// Samples whose original truth did not stabilise up to the precision cap; they were not measured
    /// (JSON key `reference_unstable`).
    public var referenceUnstable: Int
    /// Samples whose rewritten graph's truth did not stabilise; they have no semantic figure
    /// (JSON key `rewritten_reference_unstable`).
    public var rewrittenReferenceUnstable: Int
    /// Samples in which a float comparison changed outcome between two truth precisions (JSON key `branch_flips`).
    public var branchFlips: Int
    /// Highest truth precision any sample needed, in bits (JSON key `max_precision_used`).
    public var maxPrecisionUsed: Int

    /// Creates sample accounting from its parts.
    public init(
        requested: Int, measured: Int, referenceUnstable: Int, rewrittenReferenceUnstable: Int,
        branchFlips: Int, maxPrecisionUsed: Int
    ) {
        self.requested = requested
        self.measured = measured
        self.referenceUnstable = referenceUnstable
        self.rewrittenReferenceUnstable = rewrittenReferenceUnstable
        self.branchFlips = branchFlips
        self.maxPrecisionUsed = maxPrecisionUsed
    }

    enum CodingKeys: String, CodingKey {
        case requested, measured, referenceUnstable = "reference_unstable",
            rewrittenReferenceUnstable = "rewritten_reference_unstable", branchFlips = "branch_flips",
            maxPrecisionUsed = "max_precision_used"
    }
}

/// max / mean / p50 / p95 / p99.
public struct RecordedSummary: Codable, Sendable, Equatable {
    /// The largest value, the mean, and the nearest-rank 50th, 95th and 99th percentiles, over all points.
    public var max, mean, p50, p95, p99: Double

    /// Creates a summary from its five statistics.
    public init(max: Double, mean: Double, p50: Double, p95: Double, p99: Double) {
        self.max = max
        self.mean = mean
        self.p50 = p50
        self.p95 = p95
        self.p99 = p99
    }
}

/// One graph's error on one output.
public struct RecordedSide: Codable, Sendable, Equatable {
    /// Error in bits, `log2(1 + ulps)` per point, summarised over all points (JSON key `bits`).
    public var bits: RecordedSummary
    /// Error in ULPs: the ordinal distance between the result and the original graph's truth rounded to the
    /// output dtype (f64 with `--exec double`), summarised over all points (JSON key `ulps`).
    public var ulps: RecordedSummary
    /// Largest relative error `|r - t| / |t|` (in binary64) over the points; infinite when t = 0 ≠ r or on a
    /// finiteness mismatch (JSON key `relative_max`).
    public var relativeMax: Double
    /// Mean relative error over the points where it is finite (JSON key `relative_mean`).
    public var relativeMean: Double
    /// Largest absolute error `|r - t|` over the points (JSON key `absolute_max`).
    public var absoluteMax: Double
    /// Points whose finiteness differs from the truth's, each counted as a maximal error (JSON key `nonfinite`).
    public var nonfinite: Int
    /// Points per 1-bit bin of error: bin k counts k ≤ bits < k + 1, and the last bin (index: the dtype's bit
    /// width) the maximal errors (JSON key `bits_histogram`).
    public var bitsHistogram: [Int]

    /// Creates one graph's error record from its parts.
    public init(
        bits: RecordedSummary, ulps: RecordedSummary, relativeMax: Double, relativeMean: Double,
        absoluteMax: Double, nonfinite: Int, bitsHistogram: [Int]
    ) {
        self.bits = bits
        self.ulps = ulps
        self.relativeMax = relativeMax
        self.relativeMean = relativeMean
        self.absoluteMax = absoluteMax
        self.nonfinite = nonfinite
        self.bitsHistogram = bitsHistogram
    }

    enum CodingKeys: String, CodingKey {
        case bits, ulps, relativeMax = "relative_max", relativeMean = "relative_mean", absoluteMax = "absolute_max",
            nonfinite, bitsHistogram = "bits_histogram"
    }
}

/// `rewritten bits - original bits`.
public struct RecordedBitsLost: Codable, Sendable, Equatable {
    /// Largest `rewritten bits - original bits` over the points; negative when the rewrite is more accurate
    /// at every point (JSON key `max`).
    public var max: Double
    /// Mean of `rewritten bits - original bits` over the points (JSON key `mean`).
    public var mean: Double
    /// Share of measured samples in which some element lost more than 1 bit.
    public var worseShare: Double

    /// Creates a bits-lost record from its parts; `worseShare` is a fraction from 0 to 1.
    public init(max: Double, mean: Double, worseShare: Double) {
        self.max = max
        self.mean = mean
        self.worseShare = worseShare
    }

    enum CodingKeys: String, CodingKey { case max, mean, worseShare = "worse_share" }
}

/// Distance between the two graphs' truths.
public struct RecordedSemantic: Codable, Sendable, Equatable {
    /// Largest distance, in output-dtype ULPs, between the original graph's truth and the rewritten graph's own
    /// truth; non-zero means the rewrite changed the real-number function (JSON key `max_ulps`).
    public var maxUlps: Double
    /// Samples where both truths were stable and compared (JSON key `samples_compared`).
    public var samplesCompared: Int
    /// Samples where the two truths differ by at least one ULP (JSON key `samples_differing`).
    public var samplesDiffering: Int

    /// Creates a semantic-deviation record from its parts.
    public init(maxUlps: Double, samplesCompared: Int, samplesDiffering: Int) {
        self.maxUlps = maxUlps
        self.samplesCompared = samplesCompared
        self.samplesDiffering = samplesDiffering
    }

    enum CodingKeys: String, CodingKey {
        case maxUlps = "max_ulps", samplesCompared = "samples_compared", samplesDiffering = "samples_differing"
    }
}

/// The worst point (its inputs are in the stored report).
public struct RecordedWorst: Codable, Sendable, Equatable {
    /// Index of the sample, from 0 (JSON key `sample`).
    public var sample: Int
    /// Index of the element within the output, row-major, from 0 (JSON key `element`).
    public var element: Int
    /// `rewritten bits - original bits` at this point (JSON key `bits_lost`).
    public var bitsLost: Double
    /// C99 hex floats.
    public var original, rewritten, truth: String

    /// Creates a worst-point record from its parts; `original`, `rewritten` and `truth` are C99 hex floats.
    public init(sample: Int, element: Int, bitsLost: Double, original: String, rewritten: String, truth: String) {
        self.sample = sample
        self.element = element
        self.bitsLost = bitsLost
        self.original = original
        self.rewritten = rewritten
        self.truth = truth
    }

    enum CodingKeys: String, CodingKey { case sample, element, bitsLost = "bits_lost", original, rewritten, truth }
}

/// Everything measured on one output.
public struct RecordedOutput: Codable, Sendable, Equatable {
    /// The output's name in the original graph (JSON key `name`).
    public var name: String
    /// The output's dtype name, such as `f32` (JSON key `dtype`).
    public var dtype: String
    /// The output's dimensions; empty for a scalar (JSON key `shape`).
    public var shape: [Int]
    /// The original graph's error against the truth (JSON key `original`).
    public var original: RecordedSide
    /// The rewritten graph's error against the same truth (JSON key `rewritten`).
    public var rewritten: RecordedSide
    /// The accuracy the rewrite lost, per point, in bits (JSON key `bits_lost`).
    public var bitsLost: RecordedBitsLost
    /// Points where the rewritten result's finiteness differs from the truth's and the original's does not
    /// (JSON key `new_nonfinite`).
    public var newNonfinite: Int
    /// How far the rewritten graph's truth is from the original's (JSON key `semantic`).
    public var semantic: RecordedSemantic
    /// The point with the largest bits lost; nil when no point was measured (JSON key `worst`).
    public var worst: RecordedWorst?
    /// The distribution-level comparison (absent in entries recorded before it was measured).
    public var comparison: RecordedComparison?

    /// Creates an output record from its parts; leave `comparison` nil only to reproduce an entry recorded
    /// before it was measured.
    public init(
        name: String, dtype: String, shape: [Int], original: RecordedSide, rewritten: RecordedSide,
        bitsLost: RecordedBitsLost, newNonfinite: Int, semantic: RecordedSemantic, worst: RecordedWorst?,
        comparison: RecordedComparison? = nil
    ) {
        self.name = name
        self.dtype = dtype
        self.shape = shape
        self.original = original
        self.rewritten = rewritten
        self.bitsLost = bitsLost
        self.newNonfinite = newNonfinite
        self.semantic = semantic
        self.worst = worst
        self.comparison = comparison
    }

    enum CodingKeys: String, CodingKey {
        case name, dtype, shape, original, rewritten, bitsLost = "bits_lost", newNonfinite = "new_nonfinite",
            semantic, worst, comparison
    }
}

/// The point counts and budget behind the default policy's judgement.
public struct RecordedComparison: Codable, Sendable, Equatable {
    /// Measured points: samples × elements (JSON key `points`).
    public var points: Int
    /// Points where the two graphs' declared-precision (or `--exec double`) results differ in bit pattern, every
    /// NaN counting as equal to every NaN; 0 means bit-identical outputs (JSON key `changed_points`).
    public var changedPoints: Int
    /// Points where the rewritten result is farther from the truth, in ULPs, than the original's
    /// (JSON key `worse_points`).
    public var worsePoints: Int
    /// Points where the rewritten result is nearer to the truth, in ULPs, than the original's
    /// (JSON key `better_points`).
    public var betterPoints: Int
    /// The original graph's reduction depth for this output; the error budget is `max(0.5, depth / 2)` ULPs
    /// (JSON key `reduction_depth`).
    public var reductionDepth: Int
    /// The sign test over samples, `Σ d / √(Σ d²)` with d a sample's worse minus better points (0 when every d
    /// is 0): about standard normal when the rewrite only moves rounding errors around (JSON key `sign_test_z`).
    public var signTestZ: Double

    /// Creates a comparison record from its parts.
    public init(
        points: Int, changedPoints: Int, worsePoints: Int, betterPoints: Int, reductionDepth: Int,
        signTestZ: Double
    ) {
        self.points = points
        self.changedPoints = changedPoints
        self.worsePoints = worsePoints
        self.betterPoints = betterPoints
        self.reductionDepth = reductionDepth
        self.signTestZ = signTestZ
    }

    enum CodingKeys: String, CodingKey {
        case points, changedPoints = "changed_points", worsePoints = "worse_points", betterPoints = "better_points",
            reductionDepth = "reduction_depth", signTestZ = "sign_test_z"
    }
}

/// How the two graphs' interfaces were paired: `name` or `position`, for parameters and for outputs.
public struct RecordedInterface: Codable, Sendable, Equatable {
    /// How the parameters were paired: `name` or `position` (JSON key `parameters`).
    public var parameters: String
    /// How the outputs were paired: `name` or `position` (JSON key `outputs`).
    public var outputs: String

    /// Creates an interface record from its parts.
    public init(parameters: String, outputs: String) {
        self.parameters = parameters
        self.outputs = outputs
    }
}

/// One policy finding.
public struct RecordedFinding: Codable, Sendable, Equatable {
    /// The id of the policy rule that made the finding (JSON key `rule`).
    public var rule: String
    /// `info`, `warning` or `error`.
    public var severity: String
    /// The output concerned; nil for a finding about the run as a whole (JSON key `output`).
    public var output: String?
    /// The explanation, as reports show it (JSON key `message`).
    public var message: String
    /// The left side of the comparison that decided the rule, typically the measured figure; nil when no single
    /// comparison decided it (JSON key `value`).
    public var value: Double?
    /// The right side of that comparison, typically the rule's limit; nil like ``value`` (JSON key `threshold`).
    public var threshold: Double?
    /// The waiver covering it, described (waived findings do not count).
    public var waiver: String?

    /// Creates a finding record from its parts.
    public init(
        rule: String, severity: String, output: String?, message: String, value: Double?,
        threshold: Double?, waiver: String?
    ) {
        self.rule = rule
        self.severity = severity
        self.output = output
        self.message = message
        self.value = value
        self.threshold = threshold
        self.waiver = waiver
    }
}

/// A waiver that covered a failed rule check.
public struct AppliedWaiver: Codable, Sendable, Equatable {
    /// The rule whose failed check the waiver covered (JSON key `rule`).
    public var rule: String
    /// The output of that check; nil for a check over the run as a whole (JSON key `output`).
    public var output: String?
    /// `waived by ALICE until 2026-12-31: reason`.
    public var waiver: String

    /// Creates a waiver record from its parts.
    public init(rule: String, output: String?, waiver: String) {
        self.rule = rule
        self.output = output
        self.waiver = waiver
    }
}

/// What a stored blob holds.
public enum BlobKind: String, Codable, Sendable, CaseIterable {
    /// A graph file's bytes (JSON or HLO text).
    case graph
    /// A policy's canonical text.
    case policy
    /// A `data(FILE)` input file (`.npy` or values JSON).
    case data
    /// A values file of replayed inputs.
    case values
    /// An `fpaudit.report/v1` document.
    case report
}
