/// One token of HLO text and the 1-based line and column where it starts.
struct HLOToken: Sendable {
    enum Kind: Equatable, Sendable {
        /// `[A-Za-z_][A-Za-z0-9_.-]*`: opcodes, dtypes, keywords, bare names, attribute names.
        case identifier(String)
        /// `%name`, stored without the `%`.
        case percentName(String)
        /// Text starting with a digit or a minus sign: integers, decimals, `-inf`,
        /// `-nan`, and the `2x2` and `0_1x1_1` patterns of windows and paddings.
        case word(String)
        /// A quoted string, unescaped.
        case string(String)
        /// Punctuation: `{ } ( ) [ ] , : = * # + ~ ? @ -> <= ...`.
        case symbol(String)
        case endOfFile
    }

    let kind: Kind
    let line: Int
    let column: Int

    /// True for the punctuation `text`.
    func isSymbol(_ text: String) -> Bool { kind == .symbol(text) }

    /// True for the identifier `text` (keywords such as `ROOT`, `ENTRY`).
    func isIdentifier(_ text: String) -> Bool { kind == .identifier(text) }

    /// The name of a `%name` or a bare identifier, else nil.
    var nameText: String? {
        switch kind {
        case .percentName(let n), .identifier(let n): return n
        default: return nil
        }
    }

    /// The text of a word token, else nil.
    var wordText: String? {
        if case .word(let w) = kind { return w }
        return nil
    }

    /// How the token reads in "found ..." messages.
    var description: String {
        switch kind {
        case .identifier(let s): return "'\(s)'"
        case .percentName(let s): return "'%\(s)'"
        case .word(let s): return "'\(s)'"
        case .string(let s): return "the string \"\(s.count > 40 ? String(s.prefix(40)) + "..." : s)\""
        case .symbol(let s): return "'\(s)'"
        case .endOfFile: return "the end of the file"
        }
    }
}
