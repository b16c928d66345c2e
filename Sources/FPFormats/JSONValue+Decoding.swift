import FPGraph

/// Reads the members of one JSON object, rejecting keys the format does not
/// define (so a typo never silently drops an attribute).
struct ObjectReader {
    let object: JSONValue
    let members: [JSONMember]
    /// How the object is named in messages: "node 'm' (reduce)", "parameter 2".
    private(set) var context: String

    /// - Throws: ``FormatError/wrongType(what:expected:found:location:)`` if `value` is not an object.
    init(_ value: JSONValue, context: String) throws {
        guard let members = value.objectMembers else {
            throw FormatError.wrongType(
                what: context, expected: "an object", found: value.kindDescription,
                location: value.location)
        }
        self.object = value
        self.members = members
        self.context = context
    }

    var location: SourceLocation { object.location }

    /// The same object under a more specific name (once its name is known).
    func renamed(_ context: String) -> ObjectReader {
        var copy = self
        copy.context = context
        return copy
    }

    func optional(_ key: String) -> JSONValue? {
        members.first { $0.key == key }?.value
    }

    func required(_ key: String) throws -> JSONValue {
        guard let value = optional(key) else {
            throw FormatError.missingKey(key: key, context: context, location: object.location)
        }
        return value
    }

    func has(_ key: String) -> Bool { optional(key) != nil }

    /// Throws for the first key not in `allowed`, suggesting the closest allowed keys.
    func checkKeys(allowed: [String]) throws {
        for member in members where !allowed.contains(member.key) {
            throw FormatError.unknownKey(
                key: member.key, context: context,
                suggestions: member.key.closestMatches(in: allowed),
                allowed: allowed, location: member.keyLocation)
        }
    }

    /// `'key' of <context>`, for messages about one member.
    func describe(_ key: String) -> String { "'\(key)' of \(context)" }
}

extension JSONValue {
    func wrongType(_ what: String, expected: String) -> FormatError {
        .wrongType(what: what, expected: expected, found: kindDescription, location: location)
    }

    func string(_ what: String) throws -> String {
        guard let s = stringValue else { throw wrongType(what, expected: "a string") }
        return s
    }

    /// A non-empty string (names of nodes, parameters, computations).
    func name(_ what: String) throws -> String {
        let s = try string(what)
        if s.isEmpty {
            throw FormatError.invalidValue(what: what, message: "a name cannot be empty", location: location)
        }
        return s
    }

    /// `true` or `false`.
    func bool(_ what: String) throws -> Bool {
        guard case .bool(let b) = kind else { throw wrongType(what, expected: "true or false") }
        return b
    }

    /// An integer written without fraction or exponent.
    func int(_ what: String) throws -> Int {
        guard let text = numberText else { throw wrongType(what, expected: "an integer") }
        guard text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "-") }) else {
            throw FormatError.invalidValue(
                what: what, message: "expected an integer, found \(text)", location: location)
        }
        guard let value = Int(text) else {
            throw FormatError.invalidValue(what: what, message: "\(text) is out of range", location: location)
        }
        return value
    }

    func array(_ what: String, of elementDescription: String) throws -> [JSONValue] {
        guard let elements = arrayElements else {
            throw wrongType(what, expected: "an array of \(elementDescription)")
        }
        return elements
    }

    func intArray(_ what: String) throws -> [Int] {
        try array(what, of: "integers").enumerated().map { try $1.int("element \($0) of \(what)") }
    }

    func nameArray(_ what: String) throws -> [String] {
        try array(what, of: "names").enumerated().map { try $1.name("element \($0) of \(what)") }
    }

    /// A shape: an array of non-negative integers.
    func shape(_ what: String) throws -> [Int] {
        let elements = try array(what, of: "non-negative integers")
        return try elements.enumerated().map { i, element in
            let d = try element.int("element \(i) of \(what)")
            if d < 0 {
                throw FormatError.invalidValue(
                    what: what, message: "dimension sizes must be >= 0, found \(d)",
                    location: element.location)
            }
            return d
        }
    }

    /// An object whose values are all strings.
    func stringMap(_ what: String) throws -> [String: String] {
        guard let members = objectMembers else { throw wrongType(what, expected: "an object of strings") }
        var map: [String: String] = [:]
        for member in members {
            map[member.key] = try member.value.string("'\(member.key)' in \(what)")
        }
        return map
    }

    /// A dtype spelled exactly as `pred s32 s64 u8 u32 f16 bf16 f32 f64`.
    func dtype(_ what: String) throws -> DType {
        let text = try string(what)
        if let dtype = DType(rawValue: text) { return dtype }
        throw FormatError.unknownDType(name: text, suggestion: DType(name: text)?.rawValue, location: location)
    }
}
