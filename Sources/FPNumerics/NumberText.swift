/// Number text as written by users and by this tool: decimal, C99 hex
/// floats, and the special values.
public enum NumberText {
    /// Parses one number, ignoring surrounding whitespace.
    ///
    /// Accepted, all correctly rounded to the nearest `Double` (ties to even):
    /// - decimal: `1.5`, `-2e-3`, `.5`, `7.`, `+1E10`; out-of-range magnitudes
    ///   round to `±inf` (`1e400`) or to a signed zero (`1e-400`);
    /// - C99 hex floats: `0x1.8p+1`, `-0X1P-3`, `0x.8p1`, `0x10` (the binary
    ///   exponent is optional);
    /// - specials, in any case and with an optional sign: `inf`, `infinity`,
    ///   `nan`.
    ///
    /// - Returns: `nil` for anything else, including empty text, embedded
    ///   spaces, `nan(...)` payloads and trailing characters.
    public static func parse(_ text: String) -> Double? {
        let trimmed = text.trimmingASCIIWhitespace()
        var scanner = NumberScanner(trimmed)
        let negative = scanner.scanSign()
        let value: Double
        if let special = scanner.scanSpecial() {
            value = special
        } else if scanner.scanHexPrefix() {
            guard let hex = scanner.scanHexBody() else { return nil }
            value = hex
        } else {
            // Validate the decimal grammar ourselves; the standard library
            // parser (correctly rounded) then converts the unsigned digits.
            let start = scanner.position
            guard scanner.scanDecimalBody(), let decimal = Double(String(scanner.text(from: start))) else {
                return nil
            }
            value = decimal
        }
        guard scanner.isAtEnd else { return nil }
        return negative ? -value : value
    }

    /// The shortest decimal text that ``parse(_:)`` reads back as exactly `x`,
    /// without a redundant `.0`: `1`, `-0`, `2.5`, `1e-08`, `inf`, `nan`.
    public static func format(_ x: Double) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x < 0 ? "-inf" : "inf" }
        let text = x.description
        return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    }
}
