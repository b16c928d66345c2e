import FPGraph
import Foundation

/// Reads a graph in any format fpaudit understands, telling them apart by
/// content: text whose first non-blank character is `{` is the JSON graph
/// format (``GraphJSON``), text starting with `HloModule` (after blanks and
/// comments) is XLA HLO text (``HLOText``). Otherwise the extension decides
/// (`.json` → JSON; `.hlo`, `.txt` → HLO text), so that a malformed file still
/// gets the matching reader's located error.
public enum GraphFile {
    /// The formats ``GraphFile`` reads.
    public enum Format: String, Sendable, CaseIterable {
        /// `fpaudit.graph/v1` JSON.
        case json
        /// XLA HLO text.
        case hloText = "hlo-text"
    }

    /// Reads and validates a graph from a file's bytes in whichever format they hold.
    ///
    /// - Parameters:
    ///   - data: the file's bytes.
    ///   - file: the name used in error locations; its extension is the fallback.
    ///   - limits: node and element limits.
    /// - Throws: ``FormatError`` (including ``FormatError/unrecognizedFormat(file:found:)``)
    ///   or ``GraphError``.
    public static func read(data: Data, file: String, limits: GraphLimits = .default) throws -> ParsedGraph {
        switch try format(of: data, file: file) {
        case .json: return try GraphJSON.read(data: data, file: file, limits: limits)
        case .hloText: return try HLOText.read(data: data, file: file, limits: limits)
        }
    }

    /// Reads and validates a graph file; its path names it in errors.
    public static func read(contentsOf url: URL, limits: GraphLimits = .default) throws -> ParsedGraph {
        let data = try GraphJSON.readFile(url, limits: .default)
        return try read(data: data, file: url.path, limits: limits)
    }

    /// The format of a file's contents, by content first and then by extension.
    /// - Throws: ``FormatError/unrecognizedFormat(file:found:)`` when neither decides.
    public static func format(of data: Data, file: String) throws -> Format {
        let bytes = [UInt8](data.prefix(4096))
        var i = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        // Skip blanks and, for HLO, leading comments.
        while i < bytes.count {
            switch bytes[i] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                i += 1
                continue
            case UInt8(ascii: "/") where i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "/"):
                while i < bytes.count, bytes[i] != UInt8(ascii: "\n") { i += 1 }
                continue
            case UInt8(ascii: "/") where i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "*"):
                var j = i + 2
                while j + 1 < bytes.count, !(bytes[j] == UInt8(ascii: "*") && bytes[j + 1] == UInt8(ascii: "/")) {
                    j += 1
                }
                if j + 1 >= bytes.count { break }
                i = j + 2
                continue
            default:
                break
            }
            break
        }
        let rest = bytes[min(i, bytes.count)...]
        if rest.first == UInt8(ascii: "{") { return .json }
        if rest.starts(with: Array("HloModule".utf8)) { return .hloText }
        switch URL(fileURLWithPath: file).pathExtension.lowercased() {
        case "json": return .json
        case "hlo", "txt": return .hloText
        default:
            let preview = String(decoding: rest.prefix(while: { $0 != UInt8(ascii: "\n") }).prefix(20), as: UTF8.self)
            throw FormatError.unrecognizedFormat(
                file: file, found: rest.isEmpty ? "nothing (it is empty)" : "'\(preview)'")
        }
    }
}
