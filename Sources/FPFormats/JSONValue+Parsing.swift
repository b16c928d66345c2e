import FPGraph
import Foundation

extension JSONValue {
    /// Parses one strict JSON document (RFC 8259) from UTF-8 bytes.
    ///
    /// Line and column numbers in values and errors are 1-based; a column
    /// counts Unicode scalars (a tab is one column), and `\n`, `\r\n` and a
    /// lone `\r` each end a line. A leading UTF-8 byte order mark is skipped.
    /// Not accepted: comments, trailing commas, single quotes, unquoted keys,
    /// `NaN`/`Infinity`, leading zeros, duplicate keys, invalid UTF-8 and
    /// unpaired `\u` surrogates.
    ///
    /// - Parameters:
    ///   - data: the document's bytes.
    ///   - file: the name used in locations (usually the path).
    ///   - limits: size and nesting limits, checked before anything is built.
    /// - Throws: ``FormatError`` saying what was expected and what was found where.
    public static func parse(_ data: Data, file: String, limits: JSONLimits = .default) throws -> JSONValue {
        try parse(data, file: file, firstLine: 1, limits: limits)
    }

    /// Parses a document that starts on line `firstLine` of `file` (one line of a JSON Lines file).
    static func parse(_ data: Data, file: String, firstLine: Int, limits: JSONLimits = .default) throws -> JSONValue {
        if data.count > limits.maxBytes {
            throw FormatError.fileTooLarge(file: file, bytes: data.count, limit: limits.maxBytes)
        }
        var parser = JSONParser(bytes: [UInt8](data), file: file, maxDepth: limits.maxDepth)
        parser.line = firstLine
        return try parser.parseDocument()
    }

    /// Parses a document held in a string (convenient in tests).
    public static func parse(_ text: String, file: String, limits: JSONLimits = .default) throws -> JSONValue {
        try parse(Data(text.utf8), file: file, limits: limits)
    }
}

/// A recursive-descent parser over UTF-8 bytes that tracks line and column.
private struct JSONParser {
    let bytes: [UInt8]
    let file: String
    let maxDepth: Int
    var index = 0
    var line = 1
    var column = 1

    init(bytes: [UInt8], file: String, maxDepth: Int) {
        self.bytes = bytes
        self.file = file
        self.maxDepth = maxDepth
    }

    // MARK: Document

    mutating func parseDocument() throws -> JSONValue {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
        skipWhitespace()
        guard index < bytes.count else { throw FormatError.emptyDocument(location: location) }
        let value = try parseValue(depth: 0, after: nil)
        skipWhitespace()
        if index < bytes.count {
            throw FormatError.trailingContent(found: describeFound(), location: location)
        }
        return value
    }

    // MARK: Values

    /// Parses a value; `after` names what preceded it, for messages ("','").
    mutating func parseValue(depth: Int, after: String?) throws -> JSONValue {
        skipWhitespace()
        guard let byte = peek() else {
            throw syntaxError("expected a JSON value\(after.map { " after \($0)" } ?? ""), found end of file")
        }
        switch byte {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""):
            let start = location
            return JSONValue(.string(try parseString()), location: start)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try parseNumber()
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            if let literal = try parseLiteral() { return literal }
            fallthrough
        default:
            throw syntaxError(
                "expected a JSON value\(after.map { " after \($0)" } ?? ""), found \(describeFound())"
                    + nonFiniteHint())
        }
    }

    mutating func parseObject(depth: Int) throws -> JSONValue {
        let start = location
        if depth > maxDepth { throw FormatError.nestingTooDeep(limit: maxDepth, location: start) }
        advance()  // {
        var members: [JSONMember] = []
        var keyLocations: [String: SourceLocation] = [:]
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            advance()
            return JSONValue(.object([]), location: start)
        }
        var afterComma = false
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else {
                if afterComma, peek() == UInt8(ascii: "}") {
                    throw syntaxError("expected a string key after ',', found '}' (trailing commas are not allowed)")
                }
                let expected = afterComma ? "a string key after ','" : "a string key or '}'"
                throw syntaxError("expected \(expected), found \(describeFound())")
            }
            let keyLocation = location
            let key = try parseString()
            if let first = keyLocations[key] {
                throw FormatError.duplicateKey(key: key, first: first, location: keyLocation)
            }
            keyLocations[key] = keyLocation
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else {
                throw syntaxError("expected ':' after object key '\(key)', found \(describeFound())")
            }
            advance()
            let value = try parseValue(depth: depth, after: "':'")
            members.append(JSONMember(key: key, keyLocation: keyLocation, value: value))
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","):
                advance()
                afterComma = true
            case UInt8(ascii: "}"):
                advance()
                return JSONValue(.object(members), location: start)
            default:
                throw syntaxError("expected ',' or '}' after object member, found \(describeFound())")
            }
        }
    }

    mutating func parseArray(depth: Int) throws -> JSONValue {
        let start = location
        if depth > maxDepth { throw FormatError.nestingTooDeep(limit: maxDepth, location: start) }
        advance()  // [
        var elements: [JSONValue] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            advance()
            return JSONValue(.array([]), location: start)
        }
        var afterComma = false
        while true {
            skipWhitespace()
            if afterComma, peek() == UInt8(ascii: "]") {
                throw syntaxError("expected a JSON value after ',', found ']' (trailing commas are not allowed)")
            }
            elements.append(try parseValue(depth: depth, after: afterComma ? "','" : nil))
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","):
                advance()
                afterComma = true
            case UInt8(ascii: "]"):
                advance()
                return JSONValue(.array(elements), location: start)
            default:
                throw syntaxError("expected ',' or ']' after array element, found \(describeFound())")
            }
        }
    }

    /// `true`, `false` or `null`; nil when the word is something else.
    mutating func parseLiteral() throws -> JSONValue? {
        let start = location
        let word = currentWord()
        let kind: JSONValue.Kind
        switch word {
        case "true": kind = .bool(true)
        case "false": kind = .bool(false)
        case "null": kind = .null
        default: return nil
        }
        for _ in word.utf8 { advance() }
        return JSONValue(kind, location: start)
    }

    mutating func parseNumber() throws -> JSONValue {
        let start = location
        let startIndex = index
        if peek() == UInt8(ascii: "-") {
            advance()
            guard let b = peek(), isDigit(b) else {
                throw syntaxError("expected a digit after '-', found \(describeFound())" + nonFiniteHint())
            }
        }
        if peek() == UInt8(ascii: "0") {
            advance()
            if let b = peek(), isDigit(b) {
                throw FormatError.syntax(message: "leading zeros are not allowed in numbers", location: start)
            }
        } else {
            while let b = peek(), isDigit(b) { advance() }
        }
        if peek() == UInt8(ascii: ".") {
            advance()
            guard let b = peek(), isDigit(b) else {
                throw syntaxError("expected a digit after '.', found \(describeFound())")
            }
            while let b = peek(), isDigit(b) { advance() }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            advance()
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { advance() }
            guard let b = peek(), isDigit(b) else {
                throw syntaxError("expected a digit in the exponent, found \(describeFound())")
            }
            while let b = peek(), isDigit(b) { advance() }
        }
        let text = String(decoding: bytes[startIndex..<index], as: UTF8.self)
        return JSONValue(.number(text), location: start)
    }

    /// Parses a string starting at its opening quote and returns its contents.
    mutating func parseString() throws -> String {
        let start = location
        advance()  // opening quote
        var buffer: [UInt8] = []
        while true {
            guard let byte = peek() else { throw FormatError.unterminatedString(location: start) }
            switch byte {
            case UInt8(ascii: "\""):
                advance()
                return String(decoding: buffer, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try parseEscape(into: &buffer, stringStart: start)
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                throw FormatError.unterminatedString(location: start)
            case 0..<0x20:
                let code = String(byte, radix: 16, uppercase: true)
                throw syntaxError(
                    "control character U+\(String(repeating: "0", count: 4 - code.count))\(code) "
                        + "must be escaped in a string")
            case 0x80...:
                guard let length = utf8SequenceLength(at: index) else {
                    throw FormatError.invalidUTF8(location: location)
                }
                buffer.append(contentsOf: bytes[index..<index + length])
                for _ in 0..<length { advance() }
            default:
                buffer.append(byte)
                advance()
            }
        }
    }

    mutating func parseEscape(into buffer: inout [UInt8], stringStart: SourceLocation) throws {
        let escapeLocation = location
        advance()  // backslash
        guard let byte = peek() else { throw FormatError.unterminatedString(location: stringStart) }
        let simple: UInt8?
        switch byte {
        case UInt8(ascii: "\""): simple = UInt8(ascii: "\"")
        case UInt8(ascii: "\\"): simple = UInt8(ascii: "\\")
        case UInt8(ascii: "/"): simple = UInt8(ascii: "/")
        case UInt8(ascii: "b"): simple = 0x08
        case UInt8(ascii: "f"): simple = 0x0C
        case UInt8(ascii: "n"): simple = 0x0A
        case UInt8(ascii: "r"): simple = 0x0D
        case UInt8(ascii: "t"): simple = 0x09
        case UInt8(ascii: "u"): simple = nil
        case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
            throw FormatError.unterminatedString(location: stringStart)
        default:
            let shown =
                utf8SequenceLength(at: index).map { String(decoding: bytes[index..<index + $0], as: UTF8.self) } ?? "?"
            throw FormatError.invalidEscape(
                escape: "\\" + shown,
                reason: "JSON allows \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX",
                location: escapeLocation)
        }
        if let simple {
            buffer.append(simple)
            advance()
            return
        }
        advance()  // u
        let unit = try parseHex4(escapeLocation: escapeLocation)
        var scalarValue = UInt32(unit)
        switch unit {
        case 0xD800...0xDBFF:
            let lowLocation = location
            guard peek() == UInt8(ascii: "\\"), peek(offset: 1) == UInt8(ascii: "u") else {
                throw FormatError.invalidEscape(
                    escape: "\\u" + hex4(unit),
                    reason: "unpaired high surrogate; a \\uDC00-\\uDFFF escape must follow",
                    location: escapeLocation)
            }
            advance()
            advance()
            let low = try parseHex4(escapeLocation: lowLocation)
            guard (0xDC00...0xDFFF).contains(low) else {
                throw FormatError.invalidEscape(
                    escape: "\\u" + hex4(unit),
                    reason: "unpaired high surrogate; a \\uDC00-\\uDFFF escape must follow",
                    location: escapeLocation)
            }
            scalarValue = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
        case 0xDC00...0xDFFF:
            throw FormatError.invalidEscape(
                escape: "\\u" + hex4(unit),
                reason: "unpaired low surrogate", location: escapeLocation)
        default:
            break
        }
        buffer.append(contentsOf: Array(String(Character(Unicode.Scalar(scalarValue)!)).utf8))
    }

    mutating func parseHex4(escapeLocation: SourceLocation) throws -> UInt16 {
        var value: UInt16 = 0
        let digitsStart = index
        for _ in 0..<4 {
            guard let byte = peek(), let digit = hexDigitValue(byte) else {
                let end = min(digitsStart + 4, bytes.count)
                let shown = String(
                    decoding: bytes[digitsStart..<end].prefix { $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") },
                    as: UTF8.self)
                throw FormatError.invalidEscape(
                    escape: "\\u" + shown, reason: "expected 4 hexadecimal digits after \\u",
                    location: escapeLocation)
            }
            value = value << 4 | UInt16(digit)
            advance()
        }
        return value
    }

    // MARK: Scanning

    var location: SourceLocation { SourceLocation(file: file, line: line, column: column) }

    func peek(offset: Int = 0) -> UInt8? {
        index + offset < bytes.count ? bytes[index + offset] : nil
    }

    /// Moves past one byte, keeping line and column current.
    mutating func advance() {
        let byte = bytes[index]
        index += 1
        switch byte {
        case UInt8(ascii: "\n"):
            line += 1
            column = 1
        case UInt8(ascii: "\r"):
            if peek() == UInt8(ascii: "\n") {
                column += 1
            } else {
                line += 1
                column = 1
            }
        case 0x80...0xBF:
            break  // continuation byte: same column
        default:
            column += 1
        }
    }

    mutating func skipWhitespace() {
        while let b = peek(), b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D { advance() }
    }

    func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    func hexDigitValue(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return b - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    func hex4(_ unit: UInt16) -> String {
        let text = String(unit, radix: 16, uppercase: true)
        return String(repeating: "0", count: 4 - text.count) + text
    }

    /// Length of the valid UTF-8 sequence starting at `i`, or nil (RFC 3629:
    /// no overlong forms, no surrogates, nothing above U+10FFFF).
    func utf8SequenceLength(at i: Int) -> Int? {
        let lead = bytes[i]
        let length: Int
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: length = 2
        case 0xE0:
            length = 3
            secondRange = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED:
            length = 3
            secondRange = 0x80...0x9F
        case 0xF0:
            length = 4
            secondRange = 0x90...0xBF
        case 0xF1...0xF3: length = 4
        case 0xF4:
            length = 4
            secondRange = 0x80...0x8F
        default: return nil
        }
        guard i + length <= bytes.count, secondRange.contains(bytes[i + 1]) else { return nil }
        for k in 2..<length where !(0x80...0xBF).contains(bytes[i + k]) { return nil }
        return length
    }

    /// The run of identifier-like characters at the cursor (`NaN`, `tru`, `Infinity`).
    func currentWord() -> String {
        var end = index
        while end < bytes.count, end - index < 32 {
            let b = bytes[end]
            let isWordByte =
                (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
                || isDigit(b) || b == UInt8(ascii: "_")
            guard isWordByte else { break }
            end += 1
        }
        return String(decoding: bytes[index..<end], as: UTF8.self)
    }

    /// What sits at the cursor, for "found ..." in messages.
    func describeFound() -> String {
        guard let byte = peek() else { return "end of file" }
        let word = currentWord()
        if !word.isEmpty { return "'\(word)'" }
        switch byte {
        case 0x20...0x7E: return "'\(Character(Unicode.Scalar(byte)))'"
        case 0x00..<0x20, 0x7F: return "control character 0x" + String(byte, radix: 16, uppercase: true)
        default:
            if let length = utf8SequenceLength(at: index) {
                return "'" + String(decoding: bytes[index..<index + length], as: UTF8.self) + "'"
            }
            return "byte 0x" + String(byte, radix: 16, uppercase: true)
        }
    }

    /// A hint when the cursor sits on a JavaScript-style non-finite number.
    func nonFiniteHint() -> String {
        switch currentWord() {
        case "NaN", "nan", "Infinity", "inf", "Inf", "infinity":
            return " (JSON has no NaN or infinity; write them as strings: \"nan\", \"inf\", \"-inf\")"
        default:
            return ""
        }
    }

    func syntaxError(_ message: String) -> FormatError {
        .syntax(message: message, location: location)
    }
}
