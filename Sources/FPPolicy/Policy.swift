import FPEval
import FPGraph
import FPVerify
import Foundation

/// A verification policy: settings, input distributions, rules and waivers,
/// as read from a YAML file (see `docs/policy-language.md`) and merged with
/// the policies it extends.
public struct Policy: Sendable, Equatable {
    /// The policy's `name`.
    public var name: String
    /// The policy's `version` (free text, e.g. `"1.2"`).
    public var version: String
    /// The file it was loaded from (`<builtin>` for ``PolicyLoader/builtinDefault``).
    public var sourcePath: String
    /// Paths of the files this policy extends, nearest parent first (already merged in).
    public var extendsChain: [String]
    /// Verification settings; `nil` fields keep the tool's defaults.
    public var settings: PolicySettings
    /// Input distributions by parameter name or glob; the first matching rule wins.
    public var inputs: [InputRule]
    /// The rules, in evaluation order.
    public var rules: [PolicyRule]
    /// Waivers, in file order (the child's after its parents').
    public var waivers: [Waiver]

    /// Creates a policy from its parts.
    public init(
        name: String, version: String, sourcePath: String, extendsChain: [String] = [],
        settings: PolicySettings = PolicySettings(), inputs: [InputRule] = [],
        rules: [PolicyRule] = [], waivers: [Waiver] = []
    ) {
        self.name = name
        self.version = version
        self.sourcePath = sourcePath
        self.extendsChain = extendsChain
        self.settings = settings
        self.inputs = inputs
        self.rules = rules
        self.waivers = waivers
    }

    /// The rule with the given id, if any.
    public func rule(id: String) -> PolicyRule? { rules.first { $0.id == id } }
}

/// The truth precision a policy asks for.
public enum PrecisionSetting: Sendable, Equatable, CustomStringConvertible {
    /// Adaptive precision (doubling up to the cap).
    case auto
    /// A fixed number of bits.
    case bits(Int)

    /// `auto` or the number of bits.
    public var description: String {
        switch self {
        case .auto: return "auto"
        case .bits(let n): return String(n)
        }
    }
}

/// The `settings:` section. Every field is optional; `nil` keeps the default
/// of ``VerificationConfig`` (or the command line's value).
public struct PolicySettings: Sendable, Equatable {
    /// `samples`: number of sampled input sets (>= 1).
    public var samples: Int?
    /// `seed`: seed of the input sampler.
    public var seed: UInt64?
    /// `exec`: `declared` or `double`.
    public var exec: ExecutionMode?
    /// `precision`: `auto` or a number of bits (64 ... 1048576).
    public var precision: PrecisionSetting?
    /// `precision_cap`: highest adaptive truth precision in bits.
    public var precisionCap: Int?
    /// `reduction_order`: `sequential` or `pairwise`.
    public var reductionOrder: ReductionOrder?
    /// `subnormals`: `keep` or `flush`.
    public var subnormals: SubnormalMode?

    /// Creates settings; every field defaults to `nil` (unset).
    public init(
        samples: Int? = nil, seed: UInt64? = nil, exec: ExecutionMode? = nil,
        precision: PrecisionSetting? = nil, precisionCap: Int? = nil,
        reductionOrder: ReductionOrder? = nil, subnormals: SubnormalMode? = nil
    ) {
        self.samples = samples
        self.seed = seed
        self.exec = exec
        self.precision = precision
        self.precisionCap = precisionCap
        self.reductionOrder = reductionOrder
        self.subnormals = subnormals
    }
}

/// One entry of `inputs:`: a parameter name or glob and its distribution.
public struct InputRule: Sendable, Equatable {
    /// Parameter name or glob (`*` any run of characters, `?` one character).
    public var pattern: String
    /// The distribution spelling, validated with `Distribution.parse` at load
    /// time, `data(FILE)` for fixed data, or `checkpoint(FILE)` for tensors bound by name.
    public var distribution: String
    /// For `data(FILE)`: the file, resolved against the policy's directory
    /// (a `.npy` array or a values `.json` file).
    public var dataFile: String?
    /// For `data(FILE)`: SHA-256 of the file's bytes (part of the policy's canonical hash).
    public var dataSHA256: String?
    /// For `data(FILE)`: the file's bytes, read once when the policy was
    /// loaded (the inputs and the audit log's blob both come from them).
    public var dataBytes: Data?

    /// Creates an input rule; for `data(FILE)`, give the file, its bytes and their SHA-256.
    public init(
        pattern: String, distribution: String, dataFile: String? = nil, dataSHA256: String? = nil,
        dataBytes: Data? = nil
    ) {
        self.pattern = pattern
        self.distribution = distribution
        self.dataFile = dataFile
        self.dataSHA256 = dataSHA256
        self.dataBytes = dataBytes
    }

    /// For `data(FILE)`: the file's name as the policy writes it (`w.npy`).
    public var dataName: String? {
        guard dataFile != nil, distribution.hasPrefix("data("), distribution.hasSuffix(")") else { return nil }
        return String(distribution.dropFirst("data(".count).dropLast())
    }

    /// True for `checkpoint(FILE)`: the matching parameters take their values from the
    /// checkpoint's tensors, bound by name (its file, SHA-256 and bytes are in ``dataFile``,
    /// ``dataSHA256`` and ``dataBytes``).
    public var isCheckpoint: Bool { distribution.hasPrefix("checkpoint(") && distribution.hasSuffix(")") }
}

/// Which evaluations a rule applies to. An empty list means "any".
public struct RuleScope: Sendable, Equatable {
    /// `outputs`: globs over output names.
    public var outputs: [String]
    /// `dtypes`: output dtypes (`f32`, `bf16`, ...).
    public var dtypes: [DType]
    /// `passes`: globs over trace pass names. A rule with a pass scope applies
    /// only in traces, to steps whose pass matches.
    public var passes: [String]
    /// `graphs`: globs over the graph name (or path), or prefixes of the
    /// rewritten graph's canonical hash.
    public var graphs: [String]

    /// Creates a scope; empty lists match everything.
    public init(outputs: [String] = [], dtypes: [DType] = [], passes: [String] = [], graphs: [String] = []) {
        self.outputs = outputs
        self.dtypes = dtypes
        self.passes = passes
        self.graphs = graphs
    }
}

/// One entry of `rules:`.
public struct PolicyRule: Sendable, Equatable {
    /// `id`: unique within the merged policy.
    public var id: String
    /// `description`: what the rule protects against.
    public var description: String
    /// `severity`: `error`, `warning` or `info`.
    public var severity: Severity
    /// `scope`.
    public var scope: RuleScope
    /// `require`: the boolean condition that must hold.
    public var require: PolicyExpression

    /// Creates a rule.
    public init(
        id: String, description: String = "", severity: Severity, scope: RuleScope = RuleScope(),
        require: PolicyExpression
    ) {
        self.id = id
        self.description = description
        self.severity = severity
        self.scope = scope
        self.require = require
    }
}

/// What a waiver covers; `nil` fields match anything.
public struct WaiverMatch: Sendable, Equatable {
    /// `graph`: glob over the graph name/path, or a prefix of the rewritten graph's canonical hash.
    public var graph: String?
    /// `pass`: glob over the trace pass name.
    public var pass: String?
    /// `output`: glob over the output name.
    public var output: String?

    /// Creates a match.
    public init(graph: String? = nil, pass: String? = nil, output: String? = nil) {
        self.graph = graph
        self.pass = pass
        self.output = output
    }
}

/// One entry of `waivers:`.
public struct Waiver: Sendable, Equatable {
    /// `rule`: the id of the rule waived.
    public var rule: String
    /// `match`.
    public var match: WaiverMatch
    /// `reason`.
    public var reason: String
    /// `approved_by`.
    public var approvedBy: String
    /// `expires`: ISO date `YYYY-MM-DD`; the waiver applies up to and including that day (UTC).
    public var expires: String

    /// Creates a waiver.
    public init(rule: String, match: WaiverMatch = WaiverMatch(), reason: String, approvedBy: String, expires: String) {
        self.rule = rule
        self.match = match
        self.reason = reason
        self.approvedBy = approvedBy
        self.expires = expires
    }

    /// `waived by ALICE until 2026-12-31: reason`, for ``Finding/waiver``.
    public var summary: String { "waived by \(approvedBy) until \(expires): \(reason)" }
}
