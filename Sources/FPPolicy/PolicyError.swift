import FPGraph

/// A position in a policy file (1-based line and column): the graph model's source location.
public typealias PolicyLocation = SourceLocation

/// Why a policy was rejected. Every case carries where (file, line, column)
/// and, except for I/O errors, the key path (`rules[2].require`).
///
/// ``description`` is the one-line compiler-style message
/// `policy.yaml:12:14: error: rules[2].require: unknown metric 'x' (did you mean 'y'?)`.
public enum PolicyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be read.
    case unreadable(path: String, reason: String)
    /// The text is not valid YAML (reported by the YAML parser).
    case yaml(PolicyLocation, message: String)
    /// A mapping key the language does not define.
    case unknownKey(PolicyLocation, keyPath: String, key: String, suggestion: String?)
    /// A required key is absent.
    case missingKey(PolicyLocation, keyPath: String, key: String)
    /// A value has the wrong YAML shape or type (`expected` says what was wanted).
    case wrongType(PolicyLocation, keyPath: String, expected: String, got: String)
    /// A value has the right type but is not allowed (out of range, unknown enum case, bad date...).
    case invalidValue(PolicyLocation, keyPath: String, message: String)
    /// An expression names a metric that does not exist.
    case unknownMetric(PolicyLocation, keyPath: String, name: String, suggestion: String?)
    /// An expression names a function that does not exist, or calls one with the wrong number of arguments.
    case badCall(PolicyLocation, keyPath: String, message: String)
    /// An expression does not parse.
    case syntax(PolicyLocation, keyPath: String, message: String)
    /// An expression is ill-typed (number where a boolean is needed, or the reverse).
    case type(PolicyLocation, keyPath: String, message: String)
    /// Two rules have the same id.
    case duplicateRule(PolicyLocation, keyPath: String, id: String)
    /// A waiver names a rule the merged policy does not have.
    case unknownRule(PolicyLocation, keyPath: String, id: String, suggestion: String?)
    /// `extends` leads back to a file already being loaded.
    case extendsCycle(PolicyLocation, keyPath: String, chain: [String])

    /// Where the problem is (`nil` for ``unreadable(path:reason:)``).
    public var location: PolicyLocation? {
        switch self {
        case .unreadable: return nil
        case let .yaml(l, _), let .unknownKey(l, _, _, _), let .missingKey(l, _, _), let .wrongType(l, _, _, _),
             let .invalidValue(l, _, _), let .unknownMetric(l, _, _, _), let .badCall(l, _, _), let .syntax(l, _, _),
             let .type(l, _, _), let .duplicateRule(l, _, _), let .unknownRule(l, _, _, _), let .extendsCycle(l, _, _):
            return l
        }
    }

    /// The key path (`rules[2].require`), or `nil` when there is none.
    public var keyPath: String? {
        switch self {
        case .unreadable, .yaml: return nil
        case let .unknownKey(_, k, _, _), let .missingKey(_, k, _), let .wrongType(_, k, _, _),
             let .invalidValue(_, k, _), let .unknownMetric(_, k, _, _), let .badCall(_, k, _), let .syntax(_, k, _),
             let .type(_, k, _), let .duplicateRule(_, k, _), let .unknownRule(_, k, _, _), let .extendsCycle(_, k, _):
            return k
        }
    }

    /// The message without location and key path.
    public var message: String {
        func hint(_ s: String?) -> String { s.map { " (did you mean '\($0)'?)" } ?? "" }
        switch self {
        case let .unreadable(_, reason): return "cannot read policy: \(reason)"
        case let .yaml(_, message): return message
        case let .unknownKey(_, _, key, suggestion): return "unknown key '\(key)'\(hint(suggestion))"
        case let .missingKey(_, _, key): return "missing required key '\(key)'"
        case let .wrongType(_, _, expected, got): return "expected \(expected), got \(got)"
        case let .invalidValue(_, _, message), let .badCall(_, _, message), let .syntax(_, _, message),
             let .type(_, _, message):
            return message
        case let .unknownMetric(_, _, name, suggestion): return "unknown metric '\(name)'\(hint(suggestion))"
        case let .duplicateRule(_, _, id): return "duplicate rule id '\(id)'"
        case let .unknownRule(_, _, id, suggestion): return "waiver names unknown rule '\(id)'\(hint(suggestion))"
        case let .extendsCycle(_, _, chain): return "extends cycle: \(chain.joined(separator: " -> "))"
        }
    }

    /// `file:line:column: error: keyPath: message`.
    public var description: String {
        switch self {
        case let .unreadable(path, _): return "\(path): error: \(message)"
        default:
            let prefix = location.map { "\($0): error: " } ?? "error: "
            return prefix + (keyPath.map { $0.isEmpty ? "" : "\($0): " } ?? "") + message
        }
    }
}
