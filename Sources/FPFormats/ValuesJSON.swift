import FPGraph
import FPNumerics
import Foundation

/// Reads and writes the concrete-values format (see `docs/values-format.md`):
///
/// ```json
/// { "x": { "dtype": "f32", "shape": [2], "data": [1.5, "0x1.8p+1"] } }
/// ```
///
/// Keys are parameter names, aliases or positions (`"#0"`), resolved against a
/// graph by ``bind(_:to:)``. Float elements must be exact values of the
/// dtype; nothing is rounded.
public enum ValuesJSON {
    /// One tensor of a values file, with where its key was written.
    public struct Entry: Equatable, Sendable {
        /// A parameter name, alias or position (`#0`).
        public var key: String
        /// The tensor.
        public var value: Tensor
        /// The key's position in the file; nil for values built in code.
        public var location: SourceLocation?

        /// An entry; `location` is where its key was written, if it came from a file.
        public init(key: String, value: Tensor, location: SourceLocation? = nil) {
            self.key = key
            self.value = value
            self.location = location
        }
    }

    static let tensorKeys = ["dtype", "shape", "data"]

    /// Reads a values file, keeping the file's key order.
    ///
    /// - Throws: ``FormatError`` (malformed JSON, unknown keys, wrong types,
    ///   element counts that do not match the shape, elements that are not
    ///   exact values of the dtype).
    public static func read(
        data: Data, file: String,
        jsonLimits: JSONLimits = .default
    ) throws -> [(key: String, value: Tensor)] {
        try readEntries(data: data, file: file, jsonLimits: jsonLimits).map { ($0.key, $0.value) }
    }

    /// Reads a values file from disk; its path names it in errors.
    public static func read(
        contentsOf url: URL,
        jsonLimits: JSONLimits = .default
    ) throws -> [(key: String, value: Tensor)] {
        try readEntries(contentsOf: url, jsonLimits: jsonLimits).map { ($0.key, $0.value) }
    }

    /// Like ``read(data:file:jsonLimits:)``, keeping each key's location for
    /// the messages of ``bind(_:to:)``.
    public static func readEntries(data: Data, file: String, jsonLimits: JSONLimits = .default) throws -> [Entry] {
        try readEntries(data: data, file: file, firstLine: 1, jsonLimits: jsonLimits)
    }

    /// Like ``readEntries(data:file:jsonLimits:)`` for a values object that starts on line
    /// `firstLine` of `file` (a line of a JSON Lines file).
    static func readEntries(data: Data, file: String, firstLine: Int, jsonLimits: JSONLimits = .default) throws
        -> [Entry]
    {
        let root = try JSONValue.parse(data, file: file, firstLine: firstLine, limits: jsonLimits)
        guard let members = root.objectMembers else {
            throw root.wrongType("a values file", expected: "an object mapping parameter names to tensors")
        }
        return try members.map { member in
            let object = try ObjectReader(member.value, context: "value '\(member.key)'")
            try object.checkKeys(allowed: tensorKeys)
            let dtype = try object.required("dtype").dtype(object.describe("dtype"))
            let shape = try object.required("shape").shape(object.describe("shape"))
            let data = try object.required("data")
            if data.arrayElements == nil && !shape.isEmpty {
                throw data.wrongType(object.describe("data"), expected: "an array")
            }
            let literal = try Tensor.decode(
                data, dtype: dtype, shape: shape, allowSplat: false, floats: .exact,
                name: member.key, what: object.describe("data"), maxElements: .max)
            return Entry(key: member.key, value: literal, location: member.keyLocation)
        }
    }

    /// Like ``read(contentsOf:jsonLimits:)``, keeping locations.
    public static func readEntries(contentsOf url: URL, jsonLimits: JSONLimits = .default) throws -> [Entry] {
        try readEntries(data: try GraphJSON.readFile(url, limits: jsonLimits), file: url.path, jsonLimits: jsonLimits)
    }

    /// Writes values as a pretty values file (keys sorted): float elements as
    /// C99 hex-float strings (`"0x1.8p+1"`, `"-0x0p+0"`, `"inf"`, `"nan"`), so
    /// nothing is lost; integers as numbers; pred as `true`/`false`.
    public static func write(_ values: NamedTensors) -> Data {
        // Encoding strings, numbers and arrays of them cannot fail.
        (try? JSONCoding.encoder().encode(values)) ?? Data("{}".utf8)
    }

    /// Writes `(key, tensor)` pairs as a values file.
    public static func write(_ values: [(String, Tensor)]) -> Data {
        write(NamedTensors(names: values.map(\.0), tensors: values.map(\.1)))
    }

    /// Writes entries (keys and values; locations are not written).
    public static func write(_ entries: [Entry]) -> Data {
        write(entries.map { ($0.key, $0.value) })
    }
}
