import FPGraph

/// Why an evaluation could not run (as opposed to a numerical finding).
public enum EvaluationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The number of inputs differs from the number of parameters.
    case inputCount(expected: Int, got: Int)
    /// An input has the wrong element kind or count for its parameter.
    case inputMismatch(parameter: String, message: String)
    /// A while loop ran more iterations than the limit.
    case loopLimit(node: String, iterations: Int)

    /// The message for the user, starting with `error:`.
    public var description: String {
        switch self {
        case .inputCount(let expected, let got):
            return "error: the graph has \(expected) parameter(s) but \(got) input(s) were given"
        case .inputMismatch(let parameter, let message):
            return "error: input for parameter '\(parameter)': \(message)"
        case .loopLimit(let node, let iterations):
            return "error: while loop '\(node)' did not finish within \(iterations) iterations"
        }
    }
}

extension EvaluationError: ReportableError {}
