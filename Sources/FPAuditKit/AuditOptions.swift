import FPEval
import FPGraph
import FPNumerics
import FPPolicy
import FPVerify
import Foundation

/// How an ``Audit`` measures and judges, on top of what its policy says.
///
/// A setting left nil keeps the policy's (or fpaudit's default when the
/// policy has none); a setting that is given wins over the policy, as the
/// command line's flags do.
public struct AuditOptions: Sendable {
    /// Samples, seed, exec, truth precision and cap, reduction order and
    /// subnormals (`--samples`, `--seed`, ...): the fields of a policy's
    /// `settings:`, applied over the policy's own.
    public var settings = PolicySettings()
    /// Input distributions by parameter name, alias or `#i` (`--input`), over the policy's `inputs:`.
    public var inputs: [String: Distribution] = [:]
    /// Real weights (`--params`): checkpoint tensors bound to parameters by name. Parameters
    /// given by ``inputs`` or a policy's `data(FILE)` keep those.
    public var checkpoints: CheckpointInputs?
    /// Recorded samples (`--inputs-from`): they set the sample count (all recorded rows, or
    /// a seeded subset of ``PolicySettings/samples`` when the options set it) and win for
    /// the parameters they record.
    public var recordedInputs: RecordedInputOptions?
    /// How `verify` pairs the graphs' parameters and outputs (`--match`); trace steps always pair by position.
    public var match: MatchMode = .auto
    /// Concurrent workers (the figures do not depend on it).
    public var workers: Int = ProcessInfo.processInfo.activeProcessorCount
    /// How the truth is computed (the figures do not depend on it): intervals
    /// first, MPFR where they do not decide (the default), or MPFR alone.
    public var truth: TruthMode = .tiered
    /// Output elements measured per sample (`--elements`): `auto` samples
    /// ``ElementSampling/defaultElements`` per output when the graphs are big.
    public var elements: ElementChoice = .auto
    /// Evaluations of the worst-case search after sampling (`--search N`); 0 for none.
    public var search = 0
    /// The least severity that fails (`--fail-on`).
    public var failOn: FailOn = .error
    /// The pass or rule that made the rewritten graph (`verify --pass`), for policy scopes and waivers.
    public var pass: String?
    /// Size limits for reading graphs.
    public var limits: GraphLimits = .default
    /// The day waivers are judged on (their `expires` dates are compared with it).
    public var judgedOn: Date = Date()
    /// The most element operations a run may be estimated to take (`--max-work`;
    /// ``WorkEstimate``): above it, nothing is run and the error says how to cut the work.
    public var maxWork: Double = AuditOptions.defaultMaxWork

    /// The default ``maxWork``: 10^10 element operations, several minutes at the
    /// rate measured on this project's 2-core machine (about 2·10^7 element
    /// operations a second for `trace` of `Fixtures/xla/transformer_block`; BENCHMARKS.md).
    public static let defaultMaxWork = 1e10

    /// Options that leave everything to the policy.
    public init() {}
}
