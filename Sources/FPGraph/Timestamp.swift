import FPNumerics
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// UTC timestamps as the audit log writes them: ISO 8601 with milliseconds and `Z`
/// (formatted with the C library's `gmtime_r`, so no ICU time zone is set up).
public enum Timestamp {
    /// `2026-12-01T18:24:37.123Z`.
    public static func format(_ date: Date) -> String {
        let ms = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        let seconds = TimeInterval(ms / 1000) + (ms % 1000 < 0 ? -1 : 0)
        let millis = (ms % 1000 + 1000) % 1000
        var t = time_t(seconds)
        var parts = tm()
        gmtime_r(&t, &parts)
        return CFormat.string(
            "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
            parts.tm_hour, parts.tm_min, parts.tm_sec, Int32(millis))
    }

    /// Parses what ``format(_:)`` writes, and also `YYYY-MM-DD`,
    /// `YYYY-MM-DDTHH:MM[:SS[.fff]][Z]` (always UTC); nil otherwise.
    public static func parse(_ text: String) -> Date? {
        let pattern = #"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?Z?)?$"#
        guard let regex = try? NSRegularExpression(pattern: pattern),
            let m = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text))
        else { return nil }
        func field(_ i: Int) -> String? {
            guard let r = Range(m.range(at: i), in: text) else { return nil }
            return String(text[r])
        }
        var parts = tm()
        parts.tm_year = Int32(field(1)!)! - 1900
        parts.tm_mon = Int32(field(2)!)! - 1
        parts.tm_mday = Int32(field(3)!)!
        parts.tm_hour = Int32(field(4) ?? "0")!
        parts.tm_min = Int32(field(5) ?? "0")!
        parts.tm_sec = Int32(field(6) ?? "0")!
        guard (0..<12).contains(parts.tm_mon), (1...31).contains(parts.tm_mday), (0..<24).contains(parts.tm_hour),
            (0..<60).contains(parts.tm_min), (0...60).contains(parts.tm_sec)
        else { return nil }
        let seconds = timegm(&parts)
        let fraction = field(7).map { Double("0." + $0)! } ?? 0
        return Date(timeIntervalSince1970: TimeInterval(seconds) + fraction)
    }
}
