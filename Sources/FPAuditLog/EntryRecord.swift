import FPEval
import FPFormats
import FPVerify
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
    /// `fpaudit.log-entry/v2`: the measured sections are the report's own
    /// encoding (`fpaudit.report/v1`'s outputs, samples and findings).
    public static let currentSchema = "fpaudit.log-entry/v2"
    /// The record format before the schemas were unified (still read and replayed).
    public static let v1Schema = "fpaudit.log-entry/v1"
    /// Every record format this fpaudit reads, verifies and replays.
    public static let knownSchemas: Set<String> = [v1Schema, currentSchema]

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
    /// The command that verified the pair.
    public var command: AuditedCommand
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
    public var outcome: VerificationStatus
    /// The error's message, for `error` outcomes.
    public var error: String?
    /// How the interfaces were paired (verified entries recorded since `--match` exists).
    public var interface: InterfacePairings?
    /// Sample accounting (verified entries).
    public var samples: SampleCounts?
    /// Per-output metrics (verified entries), as the report has them minus the
    /// worst point's inputs (those are in the stored report).
    public var outputs: [OutputMetrics]
    /// The policy's findings, waived ones included (marked).
    public var findings: [Finding]
    /// Waivers that covered a failed check.
    public var waivers: [AppliedWaiver]
    /// `pass`, `warn`, `fail`, or `unchanged` / `error` for those outcomes.
    public var verdict: StepVerdict
    /// Blob hash of the full `fpaudit.report/v1` JSON (verified entries).
    public var report: String?

    /// Creates a record from its parts. The chain fields (`seq`, `id`, `timestamp`, `log_id`, `prev_hash`,
    /// `signer`) keep their empty defaults until ``AuditLog/append(_:signer:now:)`` fills them in; ``interface``
    /// starts nil and is set by ``setMeasurements(_:)``.
    /// - Parameters:
    ///   - error: the message, for an ``VerificationStatus/error`` outcome.
    ///   - verdict: the policy's verdict, or `unchanged` / `error` matching the outcome.
    ///   - report: the blob hash of the full report, for verified entries.
    public init(
        tool: ToolStamp, context: RunContext, run: String, command: AuditedCommand, pass: String?,
        trace: TracePosition?, original: GraphReference, rewritten: GraphReference, policy: PolicyReference,
        config: RecordedConfig, outcome: VerificationStatus, error: String? = nil, samples: SampleCounts? = nil,
        outputs: [OutputMetrics] = [], findings: [Finding] = [], waivers: [AppliedWaiver] = [],
        verdict: StepVerdict, report: String? = nil
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

    static let encoder = JSONCoding.encoder(pretty: false)

    static let decoder = JSONCoding.decoder()

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

/// The command that recorded an entry.
public enum AuditedCommand: String, Codable, Sendable, CaseIterable {
    /// `fpaudit verify`: one pair.
    case verify
    /// `fpaudit trace`: every step of a pipeline and the end-to-end pair.
    case trace
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
    /// A step of the pipeline, or the first snapshot against the last.
    public var kind: Kind
    /// The pass that produced the original snapshot.
    public var fromPass: String

    /// Which pair of snapshots an entry is about.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// Two consecutive snapshots.
        case step
        /// The first snapshot against the last.
        case endToEnd = "end-to-end"
    }

    /// Creates a trace position from its parts (`fromPass` is stored under the JSON key `from_pass`).
    public init(module: String, step: Int, steps: Int, kind: Kind, fromPass: String) {
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

/// Everything that decided the numbers, enough to run the verification
/// again: the verification's own settings, and what the log adds to them.
/// Encoded as one flat object (`samples`, `seed`, ... `fail_on`, `max_elements`).
public struct RecordedConfig: Codable, Sendable, Equatable {
    /// The settings the figures were measured with (without fixed inputs,
    /// which ``fixed`` names, and without the worker count, which decides nothing).
    public var verification: VerificationConfig
    /// The original graph's default distributions, by parameter name, as the run used them.
    public var defaults: [String: String]
    /// Fixed inputs (policy `data(FILE)`), by parameter name.
    public var fixed: [String: FixedReference]
    /// Blob hash of the values file of `--replay` inputs, when the run evaluated one input set.
    public var replayInputs: String?
    /// `--fail-on`.
    public var failOn: FailOn
    /// The UTC date (`YYYY-MM-DD`) waivers were judged against: a waiver expiring before it did not apply.
    public var waiversAsOf: String
    /// `--max-elements`.
    public var maxElements: Int

    /// Creates a configuration record from its parts.
    public init(
        verification: VerificationConfig, defaults: [String: String], fixed: [String: FixedReference],
        replayInputs: String?, failOn: FailOn, waiversAsOf: String, maxElements: Int
    ) {
        self.verification = verification
        self.defaults = defaults
        self.fixed = fixed
        self.replayInputs = replayInputs
        self.failOn = failOn
        self.waiversAsOf = waiversAsOf
        self.maxElements = maxElements
    }

    enum CodingKeys: String, CodingKey {
        case defaults, fixed, replayInputs = "replay_inputs", failOn = "fail_on", waiversAsOf = "waivers_as_of",
            maxElements = "max_elements"
    }

    /// Encodes the verification's settings and the log's fields in one object.
    public func encode(to encoder: Encoder) throws {
        try verification.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(defaults, forKey: .defaults)
        try c.encode(fixed, forKey: .fixed)
        try c.encodeIfPresent(replayInputs, forKey: .replayInputs)
        try c.encode(failOn, forKey: .failOn)
        try c.encode(waiversAsOf, forKey: .waiversAsOf)
        try c.encode(maxElements, forKey: .maxElements)
    }

    /// Decodes what ``encode(to:)`` writes, or a v1 record's config.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            verification: try VerificationConfig(from: decoder),
            defaults: try c.decode([String: String].self, forKey: .defaults),
            fixed: try c.decode([String: FixedReference].self, forKey: .fixed),
            replayInputs: try c.decodeIfPresent(String.self, forKey: .replayInputs),
            failOn: try c.decode(FailOn.self, forKey: .failOn),
            waiversAsOf: try c.decode(String.self, forKey: .waiversAsOf),
            maxElements: try c.decode(Int.self, forKey: .maxElements))
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
