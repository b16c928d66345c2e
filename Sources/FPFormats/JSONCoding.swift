import Foundation

/// The JSON encoder and decoder of every document fpaudit writes with
/// `Codable` (reports, traces, values files, audit log records), so they all
/// spell numbers the same way: keys sorted, `/` unescaped, and the
/// non-finite numbers JSON lacks as the strings `"inf"`, `"-inf"`, `"nan"`.
public enum JSONCoding {
    /// A new encoder; `pretty` adds indentation and line breaks (reports and
    /// values files), without it the output has no insignificant whitespace
    /// (the audit log's canonical records).
    public static func encoder(pretty: Bool = true) -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting =
            pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        e.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return e
    }

    /// A new decoder reading what ``encoder(pretty:)`` writes.
    public static func decoder() -> JSONDecoder {
        let d = JSONDecoder()
        d.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return d
    }
}
