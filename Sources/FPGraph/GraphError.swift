/// Why a graph could not be built. Every case names the node (when there is
/// one) and its source position (when known).
public enum GraphError: Error, Equatable, Sendable, CustomStringConvertible {
    case duplicateName(computation: String, node: String, location: SourceLocation?)
    case undefinedOperand(computation: String, node: String, operand: String, location: SourceLocation?)
    case undefinedComputation(node: String, computation: String, location: SourceLocation?)
    case cycle(computation: String, path: [String], location: SourceLocation?)
    case recursiveCall(path: [String])
    /// Computations call each other more than `limit` levels deep (at `node`).
    case callsTooDeep(node: String, limit: Int, location: SourceLocation?)
    case arity(node: String, op: String, expected: String, got: Int, location: SourceLocation?)
    case typeMismatch(node: String, op: String, message: String, location: SourceLocation?)
    case invalidAttribute(node: String, op: String, message: String, location: SourceLocation?)
    case missingType(node: String, op: String, message: String, location: SourceLocation?)
    case tooLarge(node: String, elements: Int, limit: Int, location: SourceLocation?)
    case badParameters(computation: String, message: String, location: SourceLocation?)
    case badOutputs(message: String, location: SourceLocation?)
    case unknownEntry(name: String)

    /// The source position, when known.
    public var location: SourceLocation? {
        switch self {
        case .duplicateName(_, _, let l), .undefinedOperand(_, _, _, let l), .undefinedComputation(_, _, let l),
            .cycle(_, _, let l), .arity(_, _, _, _, let l), .typeMismatch(_, _, _, let l),
            .invalidAttribute(_, _, _, let l), .missingType(_, _, _, let l), .tooLarge(_, _, _, let l),
            .badParameters(_, _, let l), .badOutputs(_, let l), .callsTooDeep(_, _, let l):
            return l
        case .recursiveCall, .unknownEntry:
            return nil
        }
    }

    /// The message without the location prefix.
    public var message: String {
        switch self {
        case .duplicateName(let computation, let node, _):
            return "node name '\(node)' is defined twice in computation '\(computation)'"
        case .undefinedOperand(let computation, let node, let operand, _):
            return "node '\(node)' uses '\(operand)', which is not defined in computation '\(computation)'"
        case .undefinedComputation(let node, let computation, _):
            return "node '\(node)' calls computation '\(computation)', which is not defined"
        case .cycle(let computation, let path, _):
            return "cycle in computation '\(computation)': " + path.joined(separator: " -> ")
        case .recursiveCall(let path):
            return "computations call themselves: " + path.joined(separator: " -> ")
        case .callsTooDeep(let node, let limit, _):
            return "node '\(node)' calls computations nested more than \(limit) levels deep"
        case .arity(let node, let op, let expected, let got, _):
            return "node '\(node)' (\(op)) takes \(expected) operand(s), got \(got)"
        case .typeMismatch(let node, let op, let message, _):
            return "node '\(node)' (\(op)): \(message)"
        case .invalidAttribute(let node, let op, let message, _):
            return "node '\(node)' (\(op)): \(message)"
        case .missingType(let node, let op, let message, _):
            return "node '\(node)' (\(op)): \(message)"
        case .tooLarge(let node, let elements, let limit, _):
            let count = elements == Int.max ? "more than \(Int.max)" : "\(elements)"
            return
                "node '\(node)' would hold \(count) elements, over the limit of \(limit) (raise it with --max-elements)"
        case .badParameters(let computation, let message, _):
            return "computation '\(computation)': \(message)"
        case .badOutputs(let message, _):
            return "outputs: \(message)"
        case .unknownEntry(let name):
            return "entry computation '\(name)' is not defined"
        }
    }

    /// `file:line:column: error: message` when the location is known, else `error: message`.
    public var description: String {
        if let location { return "\(location): error: \(message)" }
        return "error: \(message)"
    }
}
