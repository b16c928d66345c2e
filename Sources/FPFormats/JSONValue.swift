import FPGraph

/// A JSON value with the source position of its first character.
///
/// Unlike Foundation's `JSONSerialization`, the tree keeps object keys in
/// source order, keeps numbers as their source text (so `1e400` and 30-digit
/// integers are not lost or silently rounded), and remembers where every value
/// and key starts, so that readers can report `file:line:column` for any
/// problem. Build one with ``parse(_:file:limits:)``.
public struct JSONValue: Equatable, Sendable {
    /// The kind of value and its contents.
    public enum Kind: Equatable, Sendable {
        /// An object; members in source order (keys are unique).
        case object([JSONMember])
        /// An array; elements in source order.
        case array([JSONValue])
        /// A string, escapes decoded.
        case string(String)
        /// A number, as its exact source text (RFC 8259 grammar).
        case number(String)
        /// `true` or `false`.
        case bool(Bool)
        /// `null`.
        case null
    }

    /// What the value is.
    public var kind: Kind
    /// Position of the value's first character (`{`, `[`, `"`, a digit, ...).
    public var location: SourceLocation

    /// A value of the given kind starting at `location`.
    public init(_ kind: Kind, location: SourceLocation) {
        self.kind = kind
        self.location = location
    }

    /// A short description of the kind for messages: "an object", "a string", ...
    public var kindDescription: String {
        switch kind {
        case .object: return "an object"
        case .array: return "an array"
        case .string: return "a string"
        case .number: return "a number"
        case .bool: return "a boolean"
        case .null: return "null"
        }
    }

    /// The members, if this is an object.
    public var objectMembers: [JSONMember]? {
        if case .object(let members) = kind { return members }
        return nil
    }

    /// The elements, if this is an array.
    public var arrayElements: [JSONValue]? {
        if case .array(let elements) = kind { return elements }
        return nil
    }

    /// The string, if this is a string.
    public var stringValue: String? {
        if case .string(let s) = kind { return s }
        return nil
    }

    /// The source text, if this is a number.
    public var numberText: String? {
        if case .number(let text) = kind { return text }
        return nil
    }

    /// The member value for `key`, if this is an object that has it.
    public subscript(key: String) -> JSONValue? {
        objectMembers?.first { $0.key == key }?.value
    }
}

/// One `"key": value` member of a JSON object.
public struct JSONMember: Equatable, Sendable {
    /// The key, escapes decoded.
    public var key: String
    /// Position of the key's opening quote.
    public var keyLocation: SourceLocation
    /// The member's value.
    public var value: JSONValue

    /// A member whose key starts at `keyLocation`.
    public init(key: String, keyLocation: SourceLocation, value: JSONValue) {
        self.key = key
        self.keyLocation = keyLocation
        self.value = value
    }
}

/// Resource limits for ``JSONValue/parse(_:file:limits:)``.
public struct JSONLimits: Sendable, Equatable {
    /// Largest accepted document, in bytes.
    public var maxBytes: Int
    /// Deepest accepted nesting of arrays and objects.
    public var maxDepth: Int

    /// Limits with the given values (defaults: 256 MiB, 512 levels).
    public init(maxBytes: Int = 256 << 20, maxDepth: Int = 512) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
    }

    /// 256 MiB and 512 levels.
    public static let `default` = JSONLimits()
}
