/// C99 hexadecimal floating-point text (`%a` style): exact and compact.
///
/// Finite nonzero values are written `[-]0x1.<hex>p<±exp>` with the fewest
/// hex digits that represent the value exactly (trailing zeros dropped, and
/// the `.` omitted when there is no fraction): `3.0` is `0x1.8p+1`, `1.0` is
/// `0x1p+0`. Subnormals are written normalized (`0x1p-1074`), zeros as
/// `0x0p+0` / `-0x0p+0`, and the specials as `inf`, `-inf` and `nan`.
public enum HexFloat {
    /// The hex-float text of `x`; see ``HexFloat`` for the exact shape.
    public static func format(_ x: Double) -> String {
        if x.isNaN { return "nan" }
        let sign = x.sign == .minus ? "-" : ""
        if x.isInfinite { return sign + "inf" }
        if x == 0 { return sign + "0x0p+0" }

        // Normalize so that the leading 1 sits just above 52 fraction bits.
        var fraction = x.significandBitPattern
        var exponent = Int(x.exponent)
        if x.isSubnormal {
            // x = fraction * 2^-1074; shift the leading bit up to bit 52 and drop it.
            let shift = fraction.leadingZeroBitCount - 11
            fraction = (fraction << UInt64(shift)) & ((1 << 52) - 1)
            exponent = -1074 + 52 - shift
        }
        var digits = ""
        if fraction != 0 {
            let hex = String(fraction, radix: 16)
            var padded = String(repeating: "0", count: 13 - hex.count) + hex
            while padded.last == "0" { padded.removeLast() }
            digits = "." + padded
        }
        let exponentText = exponent < 0 ? "-\(-exponent)" : "+\(exponent)"
        return "\(sign)0x1\(digits)p\(exponentText)"
    }

    /// The hex-float text of `x` as a value of `format`, or `nil` when `x` is
    /// not representable in that format (round it first with
    /// ``FloatFormat/round(_:)``).
    ///
    /// Every value of every format is a `Double`, so the text is the same as
    /// ``format(_:)``; subnormals of the narrow formats are also written
    /// normalized (the smallest f16 subnormal is `0x1p-24`).
    public static func format(_ x: Double, as format: FloatFormat) -> String? {
        format.isRepresentable(x) ? self.format(x) : nil
    }

    /// Parses C99 hex-float text (`0x1.8p+1`, `-0X1P-3`, `0x.8p1`, `0x10`)
    /// or the specials `inf`, `infinity`, `nan` (signed, any case), rounding
    /// to the nearest `Double` with ties to even.
    ///
    /// - Returns: `nil` for decimal text or malformed input; use
    ///   ``NumberText/parse(_:)`` to accept both.
    public static func parse(_ text: String) -> Double? {
        let trimmed = text.trimmingASCIIWhitespace()
        var scanner = NumberScanner(trimmed)
        let negative = scanner.scanSign()
        if let special = scanner.scanSpecial() { return negative ? -special : special }
        guard scanner.scanHexPrefix(), let value = scanner.scanHexBody(), scanner.isAtEnd else {
            return nil
        }
        return negative ? -value : value
    }
}
