import Foundation

/// Why a distribution spelling was rejected by ``Distribution/parse(_:)``.
///
/// Each case's ``description`` says what was expected instead.
public enum DistributionError: Error, Equatable, Sendable, CustomStringConvertible, LocalizedError {
    /// The text was empty or only whitespace.
    case empty
    /// The name before `(` is not a known distribution.
    case unknownDistribution(String)
    /// The text does not have the shape `name(arguments)`.
    case malformed(text: String, expected: String)
    /// An argument is not a number (decimal, hex float, inf or nan).
    case invalidNumber(distribution: String, parameter: String, text: String)
    /// A `name=value` argument names no parameter of the distribution.
    case unknownParameter(distribution: String, name: String, expected: [String])
    /// The same parameter was given twice.
    case duplicateParameter(distribution: String, name: String)
    /// Too many or too few arguments.
    case wrongArgumentCount(distribution: String, expected: [String], got: Int)
    /// The arguments are numbers but violate the distribution's constraints.
    case invalidParameters(distribution: String, reason: String)

    /// The spellings ``Distribution/parse(_:)`` accepts, for messages.
    static let knownNames = "normal, uniform, loguniform, sloguniform, ieee, const"

    /// A one-line message naming the problem and what was expected.
    public var description: String {
        switch self {
        case .empty:
            return "empty distribution; expected one of \(Self.knownNames)"
        case .unknownDistribution(let name):
            return "unknown distribution '\(name)'; expected one of \(Self.knownNames)"
        case .malformed(let text, let expected):
            return "malformed distribution '\(text)': expected \(expected)"
        case .invalidNumber(let distribution, let parameter, let text):
            return "\(distribution): \(parameter) must be a number (decimal, hex float, inf or nan), got '\(text)'"
        case .unknownParameter(let distribution, let name, let expected):
            return "\(distribution) has no parameter '\(name)'; expected \(Self.list(expected))"
        case .duplicateParameter(let distribution, let name):
            return "\(distribution): parameter '\(name)' given more than once"
        case .wrongArgumentCount(let distribution, let expected, let got):
            return "\(distribution) takes \(expected.count) argument\(expected.count == 1 ? "" : "s") "
                + "(\(expected.joined(separator: ", "))), got \(got)"
        case .invalidParameters(_, let reason):
            return reason
        }
    }

    /// Same as ``description``, for `localizedDescription`.
    public var errorDescription: String? { description }

    private static func list(_ names: [String]) -> String {
        names.isEmpty ? "no parameters" : "one of " + names.joined(separator: ", ")
    }
}
