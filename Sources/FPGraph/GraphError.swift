/// Why a graph could not be built. Every case names the node (when there is
/// one) and its source position (when known).
public enum GraphError: Error, Equatable, Sendable, CustomStringConvertible {
    case duplicateName(computation: String, node: String, location: SourceLocation?)
    case undefinedOperand(computation: String, node: String, operand: String, location: SourceLocation?)
    case undefinedComputation(node: String, computation: String, location: SourceLocation?)
    case cycle(computation: String, path: [String], location: SourceLocation?)
    case recursiveCall(path: [String])
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
             .badParameters(_, _, let l), .badOutputs(_, let l):
            return l
        case .recursiveCall, .unknownEntry:
            return nil
        }
    }

    /// The message without the location prefix.
    public var message: String {
        switch self {
        case let .duplicateName(computation, node, _):
            return "node name '\(node)' is defined twice in computation '\(computation)'"
        case let .undefinedOperand(computation, node, operand, _):
            return "node '\(node)' uses '\(operand)', which is not defined in computation '\(computation)'"
        case let .undefinedComputation(node, computation, _):
            return "node '\(node)' calls computation '\(computation)', which is not defined"
        case let .cycle(computation, path, _):
            return "cycle in computation '\(computation)': " + path.joined(separator: " -> ")
        case let .recursiveCall(path):
            return "computations call themselves: " + path.joined(separator: " -> ")
        case let .arity(node, op, expected, got, _):
            return "node '\(node)' (\(op)) takes \(expected) operand(s), got \(got)"
        case let .typeMismatch(node, op, message, _):
            return "node '\(node)' (\(op)): \(message)"
        case let .invalidAttribute(node, op, message, _):
            return "node '\(node)' (\(op)): \(message)"
        case let .missingType(node, op, message, _):
            return "node '\(node)' (\(op)): \(message)"
        case let .tooLarge(node, elements, limit, _):
            let count = elements == Int.max ? "more than \(Int.max)" : "\(elements)"
            return "node '\(node)' would hold \(count) elements, over the limit of \(limit) (raise it with --max-elements)"
        case let .badParameters(computation, message, _):
            return "computation '\(computation)': \(message)"
        case let .badOutputs(message, _):
            return "outputs: \(message)"
        case let .unknownEntry(name):
            return "entry computation '\(name)' is not defined"
        }
    }

    public var description: String {
        if let location { return "\(location): error: \(message)" }
        return "error: \(message)"
    }
}
