import FPGraph

/// Splits HLO text into tokens, tracking 1-based lines and columns.
///
/// A column counts Unicode scalars; `\n`, `\r\n` and a lone `\r` end a line.
/// Whitespace and `/* ... */` and `// ...` comments separate tokens (XLA prints
/// `/*index=5*/` inside long operand lists). Identifiers and names are ASCII;
/// other characters may appear only inside strings and comments.
struct HLOLexer {
    private let bytes: [UInt8]
    private let file: String
    private var index = 0
    private var line = 1
    private var column = 1

    /// Tokenizes a whole file; the last token is always `.endOfFile`.
    /// - Throws: ``FormatError`` at the first character that starts no token.
    static func tokenize(_ bytes: [UInt8], file: String) throws -> [HLOToken] {
        var lexer = HLOLexer(bytes: bytes, file: file)
        return try lexer.run()
    }

    private init(bytes: [UInt8], file: String) {
        self.bytes = bytes
        self.file = file
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }  // byte order mark
    }

    private var location: SourceLocation { SourceLocation(file: file, line: line, column: column) }

    private func byte(at offset: Int = 0) -> UInt8? {
        let i = index + offset
        return i < bytes.count ? bytes[i] : nil
    }

    /// Moves past one byte, keeping line and column current.
    private mutating func advance() {
        let b = bytes[index]
        index += 1
        switch b {
        case UInt8(ascii: "\n"):
            line += 1
            column = 1
        case UInt8(ascii: "\r"):
            if byte() != UInt8(ascii: "\n") {
                line += 1
                column = 1
            }
        case 0x80...0xBF:
            break  // UTF-8 continuation byte: same column
        default:
            column += 1
        }
    }

    private mutating func run() throws -> [HLOToken] {
        var tokens: [HLOToken] = []
        tokens.reserveCapacity(bytes.count / 4)
        while true {
            try skipTrivia()
            let (startLine, startColumn) = (line, column)
            guard let b = byte() else {
                tokens.append(HLOToken(kind: .endOfFile, line: line, column: column))
                return tokens
            }
            let kind = try lexToken(startingWith: b)
            tokens.append(HLOToken(kind: kind, line: startLine, column: startColumn))
        }
    }

    /// Skips whitespace and comments.
    private mutating func skipTrivia() throws {
        while let b = byte() {
            switch b {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"), 0x0B, 0x0C:
                advance()
            case UInt8(ascii: "/") where byte(at: 1) == UInt8(ascii: "*"):
                let start = location
                advance()
                advance()
                while !(byte() == UInt8(ascii: "*") && byte(at: 1) == UInt8(ascii: "/")) {
                    guard byte() != nil else {
                        throw FormatError.syntax(
                            message: "unterminated comment: '/*' has no matching '*/'", location: start)
                    }
                    advance()
                }
                advance()
                advance()
            case UInt8(ascii: "/") where byte(at: 1) == UInt8(ascii: "/"):
                while let c = byte(), c != UInt8(ascii: "\n"), c != UInt8(ascii: "\r") { advance() }
            default:
                return
            }
        }
    }

    private static func isLetter(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    /// `[A-Za-z0-9_.-]`, the characters that continue a name.
    private static func isNameCharacter(_ b: UInt8) -> Bool {
        isLetter(b) || isDigit(b) || b == UInt8(ascii: "_") || b == UInt8(ascii: ".") || b == UInt8(ascii: "-")
    }

    private mutating func lexToken(startingWith b: UInt8) throws -> HLOToken.Kind {
        if Self.isLetter(b) || b == UInt8(ascii: "_") {
            let name = scanName()
            if name == "nan" { skipNaNPayload() }
            return .identifier(name)
        }
        if b == UInt8(ascii: "%") {
            let start = location
            advance()
            guard let c = byte(), Self.isLetter(c) || c == UInt8(ascii: "_") else {
                throw FormatError.syntax(message: "expected a name after '%'", location: start)
            }
            return .percentName(scanName())
        }
        if Self.isDigit(b)
            || (b == UInt8(ascii: "-")
                && byte(at: 1).map { Self.isDigit($0) || Self.isLetter($0) || $0 == UInt8(ascii: ".") } == true)
            || (b == UInt8(ascii: ".") && byte(at: 1).map(Self.isDigit) == true)
        {
            return .word(scanWord())
        }
        switch b {
        case UInt8(ascii: "\""), UInt8(ascii: "'"):
            return .string(try scanString())
        case UInt8(ascii: "-") where byte(at: 1) == UInt8(ascii: ">"):
            advance()
            advance()
            return .symbol("->")
        case UInt8(ascii: "<") where byte(at: 1) == UInt8(ascii: "="):
            advance()
            advance()
            return .symbol("<=")
        case UInt8(ascii: ".") where byte(at: 1) == UInt8(ascii: ".") && byte(at: 2) == UInt8(ascii: "."):
            advance()
            advance()
            advance()
            return .symbol("...")
        case UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "["),
            UInt8(ascii: "]"), UInt8(ascii: ","), UInt8(ascii: ":"), UInt8(ascii: "="), UInt8(ascii: "*"),
            UInt8(ascii: "#"), UInt8(ascii: "+"), UInt8(ascii: "~"), UInt8(ascii: "?"), UInt8(ascii: "@"):
            advance()
            return .symbol(String(UnicodeScalar(b)))
        default:
            throw FormatError.syntax(
                message: "unexpected character \(describeCharacter()) in HLO text", location: location)
        }
    }

    /// The character at the current position, for messages (`'@'`, `U+00E9`, `byte 0xFF`).
    private func describeCharacter() -> String {
        let b = bytes[index]
        if b < 0x80 {
            return b >= 0x20 && b < 0x7F
                ? "'\(Character(UnicodeScalar(b)))'"
                : "U+00" + (b < 0x10 ? "0" : "") + String(b, radix: 16, uppercase: true)
        }
        let end = min(bytes.count, index + 4)
        for length in stride(from: end - index, through: 2, by: -1) {
            if let s = String(validating: bytes[index..<(index + length)], as: UTF8.self),
                let scalar = s.unicodeScalars.first,
                s.unicodeScalars.count == 1
            {
                return "'\(s)' (U+\(String(scalar.value, radix: 16, uppercase: true)))"
            }
        }
        return "byte 0x\(String(b, radix: 16, uppercase: true)) (not UTF-8)"
    }

    /// An identifier or name; stops before `->` so `b01f_01io->b01f` splits.
    private mutating func scanName() -> String {
        let start = index
        advance()
        while let c = byte(), Self.isNameCharacter(c) {
            if c == UInt8(ascii: "-") && byte(at: 1) == UInt8(ascii: ">") { break }
            advance()
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    /// A number or pattern: letters, digits, `_` and `.`, plus a sign right
    /// after an exponent marker or a pattern separator (`1e-05`, `0x1p+3`, `1_-2`).
    private mutating func scanWord() -> String {
        let start = index
        advance()
        while let c = byte() {
            if Self.isLetter(c) || Self.isDigit(c) || c == UInt8(ascii: "_") || c == UInt8(ascii: ".") {
                if c == UInt8(ascii: "."), byte(at: 1) == UInt8(ascii: "."), byte(at: 2) == UInt8(ascii: ".") { break }
                advance()
            } else if c == UInt8(ascii: "+") || c == UInt8(ascii: "-") {
                let previous = bytes[index - 1]
                guard
                    [
                        UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "p"), UInt8(ascii: "P"),
                        UInt8(ascii: "_"), UInt8(ascii: "x"),
                    ].contains(previous)
                else { break }
                advance()
            } else {
                break
            }
        }
        let word = String(decoding: bytes[start..<index], as: UTF8.self)
        if word == "-nan" { skipNaNPayload() }
        return word
    }

    /// Skips the `(0x...)` payload XLA may print after `nan`; payloads are not kept.
    private mutating func skipNaNPayload() {
        guard byte() == UInt8(ascii: "("), byte(at: 1) == UInt8(ascii: "0"), byte(at: 2) == UInt8(ascii: "x") else {
            return
        }
        var length = 3
        while let c = byte(at: length), Self.isLetter(c) || Self.isDigit(c) { length += 1 }
        guard byte(at: length) == UInt8(ascii: ")") else { return }
        for _ in 0...length { advance() }
    }

    /// A single- or double-quoted string with C escapes, on one line.
    private mutating func scanString() throws -> String {
        let start = location
        let quote = bytes[index]
        advance()
        var value: [UInt8] = []
        while true {
            guard let c = byte(), c != UInt8(ascii: "\n"), c != UInt8(ascii: "\r") else {
                throw FormatError.unterminatedString(location: start)
            }
            advance()
            if c == quote { break }
            guard c == UInt8(ascii: "\\") else {
                value.append(c)
                continue
            }
            guard let e = byte(), e != UInt8(ascii: "\n"), e != UInt8(ascii: "\r") else {
                throw FormatError.unterminatedString(location: start)
            }
            advance()
            switch e {
            case UInt8(ascii: "n"): value.append(0x0A)
            case UInt8(ascii: "t"): value.append(0x09)
            case UInt8(ascii: "r"): value.append(0x0D)
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                var code = Int(e - UInt8(ascii: "0"))
                var digits = 1
                while digits < 3, let d = byte(), d >= UInt8(ascii: "0"), d <= UInt8(ascii: "7") {
                    code = code * 8 + Int(d - UInt8(ascii: "0"))
                    digits += 1
                    advance()
                }
                value.append(UInt8(truncatingIfNeeded: code))
            case UInt8(ascii: "x"):
                var code = 0
                var digits = 0
                while digits < 2, let d = byte(), let v = Self.hexValue(d) {
                    code = code * 16 + v
                    digits += 1
                    advance()
                }
                if digits == 0 { value += [UInt8(ascii: "\\"), e] } else { value.append(UInt8(code)) }
            case UInt8(ascii: "\\"), UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "?"):
                value.append(e)
            default:
                // Kept verbatim: backend_config JSON may hold escapes such as \u00e9.
                value += [UInt8(ascii: "\\"), e]
            }
        }
        guard let text = String(validating: value, as: UTF8.self) else {
            throw FormatError.invalidUTF8(location: start)
        }
        return text
    }

    private static func hexValue(_ b: UInt8) -> Int? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(b - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return Int(b - UInt8(ascii: "a")) + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return Int(b - UInt8(ascii: "A")) + 10
        default: return nil
        }
    }
}
