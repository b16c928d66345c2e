import FPGraph
import Foundation

/// Reads the `fpaudit.graph/v1` JSON graph format (see `docs/graph-format.md`).
///
/// Reading is strict: malformed JSON, unknown keys, unknown ops, wrong JSON
/// types and missing attributes are ``FormatError``s located at
/// `file:line:column`; structural problems found while building (undefined
/// operands, cycles, arity, shape and dtype mismatches, size limits) are the
/// builder's ``GraphError``s, located at the offending node.
public enum GraphJSON {
    /// The value of the optional top-level `"format"` key.
    public static let formatName = "fpaudit.graph/v1"

    /// Entry computation name used when the file has no top-level `"name"`.
    public static let defaultEntryName = "main"

    /// Every op name the format accepts, in documentation order.
    public static let opNames: [String] = OpSyntax.all.map(\.name)

    /// The built-in reducer names accepted by `reduce`'s `"reducer"`.
    public static let builtinReducerNames: [String] = BuiltinReducer.allCases.map(\.rawValue)

    /// Reads and validates a graph from the bytes of a file.
    ///
    /// - Parameters:
    ///   - data: the file's bytes (UTF-8 JSON).
    ///   - file: the name used in error locations and as ``Graph/source``.
    ///   - limits: node and element limits, applied before anything large is allocated.
    ///   - jsonLimits: file size and nesting limits.
    /// - Throws: ``FormatError`` or ``GraphError``.
    public static func read(
        data: Data, file: String, limits: GraphLimits = .default,
        jsonLimits: JSONLimits = .default
    ) throws -> ParsedGraph {
        let root = try JSONValue.parse(data, file: file, limits: jsonLimits)
        var reader = GraphDocumentReader(file: file, limits: limits)
        let spec = try reader.read(root)
        let graph = try GraphBuilder(limits: limits).build(spec)
        return ParsedGraph(
            graph: graph, fileSHA256: fileSHA256(data), sampleSpecs: reader.sampleSpecs,
            metadata: reader.metadata)
    }

    /// Reads and validates a graph from a file; its path names it in errors.
    ///
    /// The file's size is checked against `jsonLimits.maxBytes` before it is read.
    public static func read(
        contentsOf url: URL, limits: GraphLimits = .default,
        jsonLimits: JSONLimits = .default
    ) throws -> ParsedGraph {
        let data = try readFile(url, limits: jsonLimits)
        return try read(data: data, file: url.path, limits: limits, jsonLimits: jsonLimits)
    }

    /// Reads a whole file, refusing one over the size limit before reading it.
    static func readFile(_ url: URL, limits: JSONLimits) throws -> Data {
        let path = url.path
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber,
            size.intValue > limits.maxBytes
        {
            throw FormatError.fileTooLarge(file: path, bytes: size.intValue, limit: limits.maxBytes)
        }
        do {
            return try Data(contentsOf: url)
        } catch {
            let reason = FileManager.default.fileExists(atPath: path) ? error.localizedDescription : "no such file"
            throw FormatError.unreadableFile(path: path, reason: reason)
        }
    }
}
