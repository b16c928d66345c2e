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
        case .yaml(let l, _), .unknownKey(let l, _, _, _), .missingKey(let l, _, _), .wrongType(let l, _, _, _),
            .invalidValue(let l, _, _), .unknownMetric(let l, _, _, _), .badCall(let l, _, _), .syntax(let l, _, _),
            .type(let l, _, _), .duplicateRule(let l, _, _), .unknownRule(let l, _, _, _), .extendsCycle(let l, _, _):
            return l
        }
    }

    /// The key path (`rules[2].require`), or `nil` when there is none.
    public var keyPath: String? {
        switch self {
        case .unreadable, .yaml: return nil
        case .unknownKey(_, let k, _, _), .missingKey(_, let k, _), .wrongType(_, let k, _, _),
            .invalidValue(_, let k, _), .unknownMetric(_, let k, _, _), .badCall(_, let k, _), .syntax(_, let k, _),
            .type(_, let k, _), .duplicateRule(_, let k, _), .unknownRule(_, let k, _, _), .extendsCycle(_, let k, _):
            return k
        }
    }

    /// The message without location and key path.
    public var message: String {
        func hint(_ s: String?) -> String { s.map { " (did you mean '\($0)'?)" } ?? "" }
        switch self {
        case .unreadable(_, let reason): return "cannot read policy: \(reason)"
        case .yaml(_, let message): return message
        case .unknownKey(_, _, let key, let suggestion): return "unknown key '\(key)'\(hint(suggestion))"
        case .missingKey(_, _, let key): return "missing required key '\(key)'"
        case .wrongType(_, _, let expected, let got): return "expected \(expected), got \(got)"
        case .invalidValue(_, _, let message), .badCall(_, _, let message), .syntax(_, _, let message),
            .type(_, _, let message):
            return message
        case .unknownMetric(_, _, let name, let suggestion): return "unknown metric '\(name)'\(hint(suggestion))"
        case .duplicateRule(_, _, let id): return "duplicate rule id '\(id)'"
        case .unknownRule(_, _, let id, let suggestion): return "waiver names unknown rule '\(id)'\(hint(suggestion))"
        case .extendsCycle(_, _, let chain): return "extends cycle: \(chain.joined(separator: " -> "))"
        }
    }

    /// `file:line:column: error: keyPath: message`.
    public var description: String {
        switch self {
        case .unreadable(let path, _): return "\(path): error: \(message)"
        default:
            let prefix = location.map { "\($0): error: " } ?? "error: "
            return prefix + (keyPath.map { $0.isEmpty ? "" : "\($0): " } ?? "") + message
        }
    }
}

extension PolicyError: ReportableError {
    /// ``location``.
    public var sourceLocation: SourceLocation? { location }
}
