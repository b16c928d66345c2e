import Foundation

/// A JSON document being written: like ``JSONValue`` without positions, with
/// object keys in the order they should appear. (Declared `Sendable`: inferring
/// it for this recursive enum loops in the compiler.)
enum JSONOutput: Sendable {
    case object([(String, JSONOutput)])
    case array([JSONOutput])
    case string(String)
    /// A number, as the exact text to write.
    case number(String)
    case bool(Bool)
    case null

    static func int(_ value: Int) -> JSONOutput { .number(String(value)) }
    static func ints(_ values: [Int]) -> JSONOutput { .array(values.map(int)) }
    static func strings(_ values: [String]) -> JSONOutput { .array(values.map(JSONOutput.string)) }
    /// An object of strings, keys sorted so the output is stable.
    static func stringMap(_ map: [String: String]) -> JSONOutput {
        .object(map.keys.sorted().map { ($0, .string(map[$0]!)) })
    }
}

extension JSONOutput {
    /// Line width the pretty printer aims for.
    static let lineWidth = 120

    /// Pretty UTF-8 text ending in a newline.
    ///
    /// The top-level object has one member per line; any other value is kept
    /// on one line when it fits and holds no array of objects (so each node
    /// of a graph reads as one line); long arrays of scalars are wrapped.
    func renderedData() -> Data {
        var out = ""
        render(into: &out, indent: 0, forceMultiline: true)
        out += "\n"
        return Data(out.utf8)
    }

    private var isScalar: Bool {
        switch self {
        case .object, .array: return false
        default: return true
        }
    }

    /// Whether this value contains an array whose elements include an object.
    private var containsArrayOfObjects: Bool {
        switch self {
        case .object(let members): return members.contains { $0.1.containsArrayOfObjects }
        case .array(let elements):
            return elements.contains { if case .object = $0 { return true } else { return $0.containsArrayOfObjects } }
        default: return false
        }
    }

    /// The value on one line: `{ "a": 1, "b": [1, 2] }`.
    func inlineText() -> String {
        var out = ""
        _ = appendInline(to: &out, limit: .max)
        return out
    }

    /// Appends the one-line text, giving up (and returning false) as soon as
    /// the text exceeds `limit` UTF-8 bytes, so huge arrays are not rendered
    /// just to find out that they do not fit.
    private func appendInline(to out: inout String, limit: Int) -> Bool {
        switch self {
        case .object(let members):
            if members.isEmpty {
                out += "{}"
                break
            }
            out += "{ "
            for (i, (key, value)) in members.enumerated() {
                if i > 0 { out += ", " }
                out += Self.quoted(key) + ": "
                guard value.appendInline(to: &out, limit: limit) else { return false }
            }
            out += " }"
        case .array(let elements):
            out += "["
            for (i, element) in elements.enumerated() {
                if i > 0 { out += ", " }
                guard element.appendInline(to: &out, limit: limit) else { return false }
            }
            out += "]"
        case .string(let s): out += Self.quoted(s)
        case .number(let text): out += text
        case .bool(let b): out += b ? "true" : "false"
        case .null: out += "null"
        }
        return out.utf8.count <= limit
    }

    private func render(into out: inout String, indent: Int, forceMultiline: Bool = false) {
        let pad = String(repeating: " ", count: indent)
        let inner = String(repeating: " ", count: indent + 2)
        if !forceMultiline && !containsArrayOfObjects {
            var text = ""
            if appendInline(to: &text, limit: Self.lineWidth - indent) {
                out += text
                return
            }
        }
        switch self {
        case .object(let members):
            if members.isEmpty {
                out += "{}"
                return
            }
            out += "{\n"
            for (i, (key, value)) in members.enumerated() {
                out += inner + Self.quoted(key) + ": "
                value.render(into: &out, indent: indent + 2)
                out += i + 1 < members.count ? ",\n" : "\n"
            }
            out += pad + "}"
        case .array(let elements):
            if elements.isEmpty {
                out += "[]"
                return
            }
            out += "[\n"
            if elements.allSatisfy(\.isScalar) {
                // Pack scalars into lines of at most lineWidth characters.
                var line = inner
                var length = inner.count
                for (i, element) in elements.enumerated() {
                    let text = element.inlineText() + (i + 1 < elements.count ? "," : "")
                    let textLength = text.utf8.count
                    if length > inner.count && length + 1 + textLength > Self.lineWidth {
                        out += line + "\n"
                        line = inner
                        length = inner.count
                    }
                    if length > inner.count {
                        line += " "
                        length += 1
                    }
                    line += text
                    length += textLength
                }
                out += line + "\n"
            } else {
                for (i, element) in elements.enumerated() {
                    out += inner
                    element.render(into: &out, indent: indent + 2)
                    out += i + 1 < elements.count ? ",\n" : "\n"
                }
            }
            out += pad + "]"
        default:
            out += inlineText()
        }
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped.
    static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\u{00}"..."\u{1F}", "\u{7F}":
                let hex = String(scalar.value, radix: 16, uppercase: true)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
