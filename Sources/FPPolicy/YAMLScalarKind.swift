import Yams

/// What a YAML scalar denotes, under the YAML 1.2 core schema.
///
/// Policies are composed with Yams's `basic` resolver, which tags every
/// scalar as a string: its `default` resolver matches each plain scalar
/// against `NSRegularExpression` rules, and the first regular expression a
/// process compiles starts ICU, about 2.5 ms of a 30 ms `fpaudit verify`.
/// This type gives the plain scalars their meaning instead. An explicit
/// `!!null`, `!!bool`, `!!int` or `!!float` tag wins; quoted and block
/// scalars are strings. An explicit `!!str` on a plain scalar cannot be told
/// from no tag (the basic resolver gives both the string tag): quote it.
enum YAMLScalarKind: Equatable {
    case null, bool, int, float, string

    init(_ scalar: Node.Scalar) {
        switch scalar.tag.description {
        case Tag.Name.null.rawValue: self = .null
        case Tag.Name.bool.rawValue: self = .bool
        case Tag.Name.int.rawValue: self = .int
        case Tag.Name.float.rawValue: self = .float
        default: self = scalar.style == .plain ? Self.plain(scalar.string) : .string
        }
    }

    /// The core schema's reading of a plain scalar's text.
    static func plain(_ text: String) -> YAMLScalarKind {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE", "false", "False", "FALSE": return .bool
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN":
            return .float
        default: break
        }
        let bytes = Array(text.utf8)
        if isInteger(bytes) { return .int }
        return isDecimalFloat(bytes) ? .float : .string
    }

    /// The value of a core-schema integer (`12`, `-3`, `0x1f`, `0o17`); nil
    /// for other text or a value outside `Int`.
    static func integerValue(_ text: String) -> Int? {
        guard plain(text) == .int else { return nil }
        if text.hasPrefix("0x") { return Int(text.dropFirst(2), radix: 16) }
        if text.hasPrefix("0o") { return Int(text.dropFirst(2), radix: 8) }
        return Int(text)
    }

    /// `[-+]?[0-9]+`, `0o[0-7]+` or `0x[0-9a-fA-F]+`.
    private static func isInteger(_ b: [UInt8]) -> Bool {
        if b.count > 2, b[0] == UInt8(ascii: "0") {
            let digits = b[2...]
            if b[1] == UInt8(ascii: "o") { return digits.allSatisfy { (48...55).contains($0) } }
            if b[1] == UInt8(ascii: "x") { return digits.allSatisfy(isHexDigit) }
        }
        let digits = b.first == UInt8(ascii: "-") || b.first == UInt8(ascii: "+") ? b.dropFirst() : b[...]
        return !digits.isEmpty && digits.allSatisfy(isDigit)
    }

    /// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`
    private static func isDecimalFloat(_ b: [UInt8]) -> Bool {
        var i = 0
        if i < b.count, b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") { i += 1 }
        let integerStart = i
        while i < b.count, isDigit(b[i]) { i += 1 }
        let integerDigits = i - integerStart
        var fractionDigits = 0
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            let fractionStart = i
            while i < b.count, isDigit(b[i]) { i += 1 }
            fractionDigits = i - fractionStart
        }
        guard integerDigits > 0 || fractionDigits > 0 else { return false }
        if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            i += 1
            if i < b.count, b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") { i += 1 }
            let exponentStart = i
            while i < b.count, isDigit(b[i]) { i += 1 }
            guard i > exponentStart else { return false }
        }
        return i == b.count
    }

    private static func isDigit(_ c: UInt8) -> Bool { (48...57).contains(c) }

    private static func isHexDigit(_ c: UInt8) -> Bool {
        isDigit(c) || (65...70).contains(c) || (97...102).contains(c)
    }
}
