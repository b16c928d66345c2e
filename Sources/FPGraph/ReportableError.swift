import FPNumerics

/// Whose fault an error is, which decides fpaudit's exit code.
public enum ErrorBlame: Sendable, Equatable {
    /// The input or the usage: a file that does not parse, a graph that does
    /// not validate, an option out of range (exit code 2). fpaudit could not
    /// decide anything about the rewrite; this is never a verdict on it.
    case input
    /// fpaudit itself or its environment: a bug, a database that fails (exit code 3).
    case fpaudit
}

/// An error fpaudit reports to its user: every error type of fpaudit's
/// modules conforms, so a program (and the command line) handles them alike.
///
/// "The rewrite is wrong" is never an error: it is a verdict of `fail` on a
/// measured result. An error means fpaudit could not decide (as alive2 keeps
/// "unsound" apart from "unknown").
public protocol ReportableError: Error, CustomStringConvertible {
    /// Whose fault it is (``ErrorBlame/input`` unless the type says otherwise).
    var blame: ErrorBlame { get }
    /// Where in which file the error is, when it points into one.
    var sourceLocation: SourceLocation? { get }
    /// The line for the user: `file:line:column: error: message` when located,
    /// else `error: ...` or `path: error: ...` (``description`` unless the type says otherwise).
    var report: String { get }
}

extension ReportableError {
    /// ``ErrorBlame/input``.
    public var blame: ErrorBlame { .input }
    /// No location.
    public var sourceLocation: SourceLocation? { nil }
    /// ``description``.
    public var report: String { description }
    /// The process exit code for this error: 2 for the input's fault, 3 for fpaudit's.
    public var exitCode: Int32 { blame == .input ? 2 : 3 }
}

extension GraphError: ReportableError {
    /// ``location``.
    public var sourceLocation: SourceLocation? { location }
}

extension DistributionError: ReportableError {
    /// `error: ` and the description (which other messages embed without the prefix).
    public var report: String { "error: \(description)" }
}
