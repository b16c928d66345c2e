import FPGraph

/// A recursive-descent parser over the tokens of one HLO file. This file
/// holds the cursor and the helpers that turn failed expectations into
/// located ``FormatError``s; the grammar is in the `HLOParser+*.swift` files.
struct HLOParser {
    let tokens: [HLOToken]
    let file: String
    var position = 0
    /// The last bracket that `skipBalanced` found closed on a later line than
    /// it opened: XLA prints every attribute on one line, so when a body runs
    /// out of `}` this is the likely culprit.
    var lastMultilineGroup: (opener: HLOToken, closer: HLOToken)?

    /// Deepest nesting of tuple shapes accepted (guards the recursion).
    static let maxTupleDepth = 64

    init(tokens: [HLOToken], file: String) {
        self.tokens = tokens
        self.file = file
    }

    var current: HLOToken { tokens[position] }

    /// The token `offset` places ahead (the end-of-file token past the end).
    func peek(_ offset: Int = 1) -> HLOToken {
        tokens[min(position + offset, tokens.count - 1)]
    }

    var atEnd: Bool { current.kind == .endOfFile }

    func location(_ token: HLOToken) -> SourceLocation {
        SourceLocation(file: file, line: token.line, column: token.column)
    }

    var currentLocation: SourceLocation { location(current) }

    @discardableResult
    mutating func advance() -> HLOToken {
        let token = current
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    /// A syntax error at the current token: "expected X, found Y".
    func expected(_ what: String) -> FormatError {
        .syntax(message: "expected \(what), found \(current.description)", location: currentLocation)
    }

    /// Consumes the punctuation `symbol` if it is next.
    mutating func eat(_ symbol: String) -> Bool {
        guard current.isSymbol(symbol) else { return false }
        advance()
        return true
    }

    /// Consumes the punctuation `symbol` or throws "expected 'symbol' <context>, found ...".
    @discardableResult
    mutating func expect(_ symbol: String, _ context: String) throws -> HLOToken {
        guard current.isSymbol(symbol) else { throw expected("'\(symbol)' \(context)") }
        return advance()
    }

    /// A `%name` or a bare identifier.
    mutating func parseName(_ what: String) throws -> (String, SourceLocation) {
        guard let name = current.nameText else { throw expected(what) }
        let l = currentLocation
        advance()
        return (name, l)
    }

    /// A decimal integer word, checked to fit in `Int`.
    mutating func parseInteger(_ what: String) throws -> Int {
        guard let text = current.wordText else { throw expected(what) }
        let value = try Self.integer(text, what: what, at: currentLocation)
        advance()
        return value
    }

    /// Parses integer text (optional minus sign, digits), refusing values beyond `Int`.
    static func integer(_ text: String, what: String, at location: SourceLocation) throws -> Int {
        let digits = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw FormatError.syntax(message: "expected \(what), found '\(text)'", location: location)
        }
        guard let value = Int(text) else {
            throw FormatError.invalidValue(what: what, message: "'\(text)' is too large", location: location)
        }
        return value
    }

    /// Skips one attribute value and returns its token range: a balanced
    /// `{...}`, `(...)` or `[...]` group, or a run of tokens on the value's
    /// line up to the next `,` or closing bracket (`b01f_01io->b01f`).
    mutating func skipValue(_ what: String) throws -> Range<Int> {
        let start = position
        if current.isSymbol("{") || current.isSymbol("(") || current.isSymbol("[") {
            try skipBalanced()
            return start..<position
        }
        if atEnd || current.isSymbol(",") || current.isSymbol("}") || current.isSymbol(")") || current.isSymbol("]") {
            throw expected("a value for \(what)")
        }
        let line = current.line
        advance()
        while !atEnd, current.line == line,
            !(current.isSymbol(",") || current.isSymbol("}") || current.isSymbol(")") || current.isSymbol("]"))
        {
            if current.isSymbol("{") || current.isSymbol("(") || current.isSymbol("[") {
                try skipBalanced()
            } else {
                advance()
            }
        }
        return start..<position
    }

    /// Skips from an opening bracket past its matching closer.
    mutating func skipBalanced() throws {
        var open: [HLOToken] = []
        repeat {
            let token = current
            switch token.kind {
            case .symbol("{"), .symbol("("), .symbol("["):
                open.append(token)
            case .symbol("}"), .symbol(")"), .symbol("]"):
                guard let opener = open.popLast() else { break }
                let closer = Self.closer(of: opener)
                if token.line != opener.line { lastMultilineGroup = (opener, token) }
                if !token.isSymbol(closer) {
                    throw FormatError.syntax(
                        message:
                            "expected '\(closer)' to close the '\(Self.symbolText(opener))' at \(opener.line):\(opener.column), found \(token.description)",
                        location: location(token))
                }
            case .endOfFile:
                let opener = open.last!
                throw FormatError.syntax(
                    message:
                        "unexpected end of file: the '\(Self.symbolText(opener))' at \(opener.line):\(opener.column) is never closed",
                    location: location(token))
            default:
                break
            }
            advance()
        } while !open.isEmpty
    }

    static func closer(of opener: HLOToken) -> String {
        switch opener.kind {
        case .symbol("{"): return "}"
        case .symbol("("): return ")"
        default: return "]"
        }
    }

    static func symbolText(_ token: HLOToken) -> String {
        if case .symbol(let s) = token.kind { return s }
        return ""
    }
}
