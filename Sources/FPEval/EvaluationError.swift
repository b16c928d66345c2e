import FPGraph

/// Why an evaluation could not run (as opposed to a numerical finding).
public enum EvaluationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The number of inputs differs from the number of parameters.
    case inputCount(expected: Int, got: Int)
    /// An input has the wrong element kind or count for its parameter.
    case inputMismatch(parameter: String, message: String)
    /// A while loop ran more iterations than the limit.
    case loopLimit(node: String, iterations: Int)
    /// The evaluator cannot evaluate a node: its kernel (``NodeKernel``) found
    /// no plan, prepared state, called computation, storage or operand of the
    /// kind it needs. A bug in fpaudit (an op its planner, type checking and
    /// kernel disagree on), reported with the node and op rather than crashing.
    case missingPlan(node: String, op: String)
    /// An op rejected its operands at run time (`rng-bit-generator`: a state
    /// the algorithm does not accept, too many elements).
    case invalidOperands(node: String, message: String)

    /// The message for the user, starting with `error:`.
    public var description: String {
        switch self {
        case .inputCount(let expected, let got):
            return "error: the graph has \(expected) parameter(s) but \(got) input(s) were given"
        case .inputMismatch(let parameter, let message):
            return "error: input for parameter '\(parameter)': \(message)"
        case .loopLimit(let node, let iterations):
            return "error: while loop '\(node)' did not finish within \(iterations) iterations"
        case .missingPlan(let node, let op):
            return "internal error: no evaluation plan for node '\(node)' (\(op)); please report this"
        case .invalidOperands(let node, let message):
            return "error: node '\(node)': \(message)"
        }
    }
}

extension EvaluationError: ReportableError {
    /// ``ErrorBlame/fpaudit`` for a missing plan (a bug), else ``ErrorBlame/input``.
    public var blame: ErrorBlame {
        if case .missingPlan = self { return .fpaudit }
        return .input
    }
}
