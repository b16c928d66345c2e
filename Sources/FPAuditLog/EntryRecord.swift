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
    public var original: GraphReference
    public var rewritten: GraphReference
    public var policy: PolicyReference
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
    public var name: String
    public var version: String

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
    public var path: String
    /// SHA-256 of the file's bytes (nil when the file could not be read).
    public var sha256: String?
    /// The graph's canonical hash (nil when it could not be parsed).
    public var canonicalHash: String?
    /// `json` or `hlo-text` (nil when unknown).
    public var format: String?

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
    public var path: String
    public var name: String
    public var version: String
    public var canonicalHash: String
    /// The fixed-data files the policy reads (`data(FILE)`).
    public var data: [PolicyData]

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
    public var sha256: String

    public init(pattern: String, file: String, sha256: String) {
        self.pattern = pattern
        self.file = file
        self.sha256 = sha256
    }
}

/// Everything that decided the numbers, enough to run the verification again.
public struct RecordedConfig: Codable, Sendable, Equatable {
    public var samples: Int
    public var seed: UInt64
    /// `declared` or `double`.
    public var exec: String
    /// `auto` or a number of bits.
    public var precision: String
    public var precisionStart: Int
    public var precisionCap: Int
    public var reductionOrder: String
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
    public var sha256: String

    public init(description: String, file: String, sha256: String) {
        self.description = description
        self.file = file
        self.sha256 = sha256
    }
}

/// Sample accounting of a verified entry.
public struct RecordedSamples: Codable, Sendable, Equatable {
    public var requested: Int
    public var measured: Int
    public var referenceUnstable: Int
    public var rewrittenReferenceUnstable: Int
    public var branchFlips: Int
    public var maxPrecisionUsed: Int

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
    public var max, mean, p50, p95, p99: Double

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
    public var bits: RecordedSummary
    public var ulps: RecordedSummary
    public var relativeMax: Double
    public var relativeMean: Double
    public var absoluteMax: Double
    public var nonfinite: Int
    public var bitsHistogram: [Int]

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
    public var max: Double
    public var mean: Double
    /// Share of measured samples in which some element lost more than 1 bit.
    public var worseShare: Double

    public init(max: Double, mean: Double, worseShare: Double) {
        self.max = max
        self.mean = mean
        self.worseShare = worseShare
    }

    enum CodingKeys: String, CodingKey { case max, mean, worseShare = "worse_share" }
}

/// Distance between the two graphs' truths.
public struct RecordedSemantic: Codable, Sendable, Equatable {
    public var maxUlps: Double
    public var samplesCompared: Int
    public var samplesDiffering: Int

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
    public var sample: Int
    public var element: Int
    public var bitsLost: Double
    /// C99 hex floats.
    public var original, rewritten, truth: String

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
    public var name: String
    public var dtype: String
    public var shape: [Int]
    public var original: RecordedSide
    public var rewritten: RecordedSide
    public var bitsLost: RecordedBitsLost
    public var newNonfinite: Int
    public var semantic: RecordedSemantic
    public var worst: RecordedWorst?
    /// The distribution-level comparison (absent in entries recorded before it was measured).
    public var comparison: RecordedComparison?

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
    public var points: Int
    public var changedPoints: Int
    public var worsePoints: Int
    public var betterPoints: Int
    public var reductionDepth: Int
    public var signTestZ: Double

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
    public var parameters: String
    public var outputs: String

    public init(parameters: String, outputs: String) {
        self.parameters = parameters
        self.outputs = outputs
    }
}

/// One policy finding.
public struct RecordedFinding: Codable, Sendable, Equatable {
    public var rule: String
    /// `info`, `warning` or `error`.
    public var severity: String
    public var output: String?
    public var message: String
    public var value: Double?
    public var threshold: Double?
    /// The waiver covering it, described (waived findings do not count).
    public var waiver: String?

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
    public var rule: String
    public var output: String?
    /// `waived by ALICE until 2026-12-31: reason`.
    public var waiver: String

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
