import FPGraph

/// Why a verification could not be carried out (bad input or usage; exit code 2).
public enum VerifyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The two graphs' parameters differ.
    case parameterMismatch(String)
    /// The two graphs' outputs differ.
    case outputMismatch(String)
    /// An `--input` names no parameter.
    case unknownInput(String, known: [String])
    /// A distribution does not fit a parameter's dtype.
    case badDistribution(parameter: String, message: String)
    /// Replay values do not fit the graph.
    case badReplay(String)
    /// A configuration value is out of range.
    case badConfig(String)
    /// The estimated work is above the limit (`--max-work`).
    case tooMuchWork(WorkEstimate, limit: Double)

    /// The message for the user, starting with `error:`.
    public var description: String {
        switch self {
        case .parameterMismatch(let m): return "error: the graphs' parameters do not match: \(m)"
        case .outputMismatch(let m): return "error: the graphs' outputs do not match: \(m)"
        case .unknownInput(let name, let known):
            return
                "error: --input names '\(name)', which is not a parameter; parameters are \(known.joined(separator: ", "))"
        case .badDistribution(let parameter, let message): return "error: input '\(parameter)': \(message)"
        case .badReplay(let m): return "error: replay: \(m)"
        case .badConfig(let m): return "error: \(m)"
        case .tooMuchWork(let estimate, let limit):
            return """
                error: this run would take \(estimate.description), over the limit of \
                \(WorkEstimate.scientific(limit)) (--max-work); nothing was run. To cut it: fewer samples \
                (--samples), fewer output elements per sample (--elements N), smaller shapes in the graphs \
                (measure a slice of the model), or raise --max-work if you mean it
                """
        }
    }
}

extension VerifyError: ReportableError {}
