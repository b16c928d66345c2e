import FPGraph

/// Why a pair could not be reduced. Each case means fpaudit could not build a
/// reproducer; none is a verdict on the rewrite.
public enum ReduceError: ReportableError, Equatable {
    /// The pair passes its policy: there is no failure to reduce.
    case notFailing(verdict: String, policy: String)
    /// Only per-run rules fail (no failing finding names an output).
    case noFailingOutput(rules: [String])
    /// The failing output's worst case kept no inputs (too many elements to keep).
    case noWorstInputs(output: String)
    /// Replayed at its own worst input, the pair (cut down to the failing
    /// output) no longer fails the rule: the failure needs other samples.
    case doesNotReproduce(rule: String, output: String)
    /// The graphs' parameters do not correspond one to one.
    case parametersDiffer(original: Int, rewritten: Int)
    /// The output to reduce is not an array produced by an entry node.
    case unsupportedOutput(output: String, reason: String)
    /// The inputs do not fit the original graph's parameters.
    case badInputs(String)

    /// The message for the user.
    public var description: String {
        switch self {
        case .notFailing(let verdict, let policy):
            return
                "error: nothing to reduce: the pair's verdict is \(verdict) under policy \(policy); reduce needs a failing pair (choose the policy that fails it with --policy, or --fail-on warning)"
        case .noFailingOutput(let rules):
            return
                "error: nothing to reduce: the failing rules (\(rules.joined(separator: ", "))) judge the run, not an output"
        case .noWorstInputs(let output):
            return
                "error: output \(output)'s worst case kept no inputs (more than \(1 << 20) input elements); reduce needs them to replay the failure"
        case .doesNotReproduce(let rule, let output):
            return
                "error: the failure of rule \(rule) on output \(output) does not reproduce at its worst input alone (it needs the other samples); nothing was reduced"
        case .parametersDiffer(let a, let b):
            return "error: the ORIGINAL has \(a) parameters and the REWRITTEN \(b); reduce needs them paired one to one"
        case .unsupportedOutput(let output, let reason):
            return "error: output \(output) cannot be reduced: \(reason)"
        case .badInputs(let message):
            return "error: the worst inputs do not fit the ORIGINAL graph: \(message)"
        }
    }
}
