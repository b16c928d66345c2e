/// Where something came from in an input file; line and column are 1-based.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    /// The input file's path, as the reader was given it.
    public var file: String
    /// The line, from 1.
    public var line: Int
    /// The column, from 1.
    public var column: Int

    /// Creates a location from its parts (line and column 1-based).
    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column`, the form compilers and editors understand.
    public var description: String { "\(file):\(line):\(column)" }
}
