/// Decimal number text as the real number it denotes: whether that real is a
/// value of a float format, and one canonical spelling of it.
///
/// A graph constant written in decimal (`0.1`, `"7.978845608028654e-1"`)
/// denotes the real number written, as in Herbie and FPBench; when that real
/// is not a value of the constant's dtype the graph keeps the text (see
/// `Tensor.literals`) so that the truth can use it. The decision is exact:
/// the digits are read into an arbitrary-precision integer, never through a
/// `Double`.
///
/// ```swift
/// DecimalLiteral.inexact("0.1", in: .f32)        // "0.1"
/// DecimalLiteral.inexact("0.5", in: .bf16)       // nil: 0.5 is a bf16 value
/// DecimalLiteral.inexact("1E-1", in: .f32)       // "0.1"
/// DecimalLiteral.inexact("0x1.99999ap-4", in: .f32)  // nil: not decimal
/// ```
public enum DecimalLiteral {
    /// The canonical text of `text` when it is a finite decimal number whose
    /// exact value is not a value of `format`; nil when it is a value of
    /// `format` (zero included), or when `text` is not decimal (a C99 hex
    /// float, `inf`, `nan`) or not a number at all.
    ///
    /// A value beyond the format's range, or one that underflows to zero,
    /// is not a value of it: its text is returned.
    public static func inexact(_ text: String, in format: FloatFormat) -> String? {
        guard let d = Parsed(text), !d.digits.isEmpty else { return nil }
        return d.isExact(in: format) ? nil : d.canonical
    }

    /// The canonical text of decimal number text: an optional `-`, the
    /// significant digits without leading or trailing zeros, positional when
    /// the decimal exponent is in `-6 ..< 21` (`0.1`, `123.5`, `1000`),
    /// otherwise `d.ddde±n` (`1e-40`, `1.5e+30`); `0` or `-0` for zero. Two
    /// texts denote the same real exactly when their canonical texts are
    /// equal. Nil when `text` is not a decimal number (hex floats and the
    /// special values are not).
    public static func canonical(_ text: String) -> String? { Parsed(text)?.canonical }

    /// Decimal text as sign, significant digits and a power of ten:
    /// `(-1)^negative × digits × 10^exponent`.
    struct Parsed {
        var negative = false
        /// Significant digits (0...9), no leading or trailing zeros; empty for zero.
        var digits: [UInt8] = []
        /// The power of ten of the last digit (clamped to ±10^15).
        var exponent = 0

        /// The most significant digits an exactly representable value of a
        /// format of precision ≤ 64 and smallest exponent ≥ −1074 can have
        /// (binary64's smallest subnormal has 751): more means inexact.
        static let maxExactDigits = 800
        /// Exponent magnitudes are clamped here, far outside any format's range.
        static let exponentLimit = 1_000_000_000_000_000

        init?(_ text: String) {
            var chars = Array(text.utf8)[...]
            while let c = chars.first, c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { chars.removeFirst() }
            while let c = chars.last, c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { chars.removeLast() }
            if let c = chars.first, c == UInt8(ascii: "-") || c == UInt8(ascii: "+") {
                negative = c == UInt8(ascii: "-")
                chars.removeFirst()
            }
            var all: [UInt8] = []
            var fractionDigits = 0
            var seenPoint = false
            var sawDigit = false
            while let c = chars.first {
                if c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") {
                    all.append(c - UInt8(ascii: "0"))
                    if seenPoint { fractionDigits += 1 }
                    sawDigit = true
                } else if c == UInt8(ascii: "."), !seenPoint {
                    seenPoint = true
                } else {
                    break
                }
                chars.removeFirst()
            }
            guard sawDigit else { return nil }
            var written = 0
            if let c = chars.first, c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
                chars.removeFirst()
                var exponentNegative = false
                if let s = chars.first, s == UInt8(ascii: "-") || s == UInt8(ascii: "+") {
                    exponentNegative = s == UInt8(ascii: "-")
                    chars.removeFirst()
                }
                guard !chars.isEmpty else { return nil }
                for c in chars {
                    guard c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") else { return nil }
                    written = Swift.min(written * 10 + Int(c - UInt8(ascii: "0")), Self.exponentLimit)
                }
                if exponentNegative { written = -written }
                chars = chars.suffix(0)
            }
            guard chars.isEmpty else { return nil }
            // Strip leading zeros, then trailing zeros into the exponent.
            let first = all.firstIndex { $0 != 0 } ?? all.endIndex
            var significant = Array(all[first...])
            var power = written - fractionDigits
            while significant.last == 0 {
                significant.removeLast()
                power += 1
            }
            digits = significant
            exponent = Swift.max(-Self.exponentLimit, Swift.min(power, Self.exponentLimit))
        }

        /// See ``DecimalLiteral/canonical(_:)``.
        var canonical: String {
            let sign = negative ? "-" : ""
            guard !digits.isEmpty else { return sign + "0" }
            let text = String(decoding: digits.map { $0 + UInt8(ascii: "0") }, as: UTF8.self)
            let scientific = exponent + digits.count - 1
            if scientific >= -6 && scientific < 21 {
                if exponent >= 0 { return sign + text + String(repeating: "0", count: exponent) }
                if scientific >= 0 {
                    let split = text.index(text.startIndex, offsetBy: scientific + 1)
                    return sign + text[..<split] + "." + text[split...]
                }
                return sign + "0." + String(repeating: "0", count: -scientific - 1) + text
            }
            let head = text.prefix(1)
            let tail = text.dropFirst()
            return sign + head + (tail.isEmpty ? "" : "." + tail) + "e" + (scientific < 0 ? "-" : "+")
                + String(scientific.magnitude)
        }

        /// Whether the value is exactly a value of `format`.
        func isExact(in format: FloatFormat) -> Bool {
            guard !digits.isEmpty else { return true }
            guard digits.count <= Self.maxExactDigits else { return false }
            var n = BigUnsigned(digits: digits)
            // value = n × 2^scale once the powers of five are folded into n.
            var scale: Int
            if exponent >= 0 {
                // 5^28 > 2^64: the odd part would not fit any format's significand.
                guard exponent <= 27 else { return false }
                for _ in 0..<exponent { n.multiply(by: 5) }
                scale = exponent
            } else {
                for _ in 0..<(-exponent) {
                    // A value with a factor 1/5 left is not a binary fraction.
                    guard n.divide(by: 5) == 0 else { return false }
                }
                scale = exponent
            }
            let zeros = n.trailingZeroBits
            let bits = n.bitLength - zeros
            scale += zeros
            // Exactly a Double: then the format's own rounding decides.
            guard bits <= 53, scale >= -1074, scale + bits <= 1024 else { return false }
            let odd = n.bits(from: zeros, count: bits)
            let magnitude = Double(sign: .plus, exponent: scale, significand: Double(odd))
            guard magnitude.isFinite else { return false }
            let value = negative ? -magnitude : magnitude
            let rounded = format.round(value)
            return rounded == value
        }
    }
}

/// An unsigned integer of any size, little-endian 32-bit limbs: just what
/// ``DecimalLiteral`` needs to read decimal digits exactly.
struct BigUnsigned {
    var limbs: [UInt32] = []

    /// The integer the decimal digits (most significant first) spell.
    init(digits: [UInt8]) {
        for d in digits {
            multiply(by: 10)
            add(UInt32(d))
        }
    }

    mutating func multiply(by m: UInt32) {
        var carry: UInt64 = 0
        for i in limbs.indices {
            let p = UInt64(limbs[i]) * UInt64(m) + carry
            limbs[i] = UInt32(truncatingIfNeeded: p)
            carry = p >> 32
        }
        if carry != 0 { limbs.append(UInt32(carry)) }
    }

    mutating func add(_ a: UInt32) {
        var carry = UInt64(a)
        var i = 0
        while carry != 0 {
            if i == limbs.count { limbs.append(0) }
            let s = UInt64(limbs[i]) + carry
            limbs[i] = UInt32(truncatingIfNeeded: s)
            carry = s >> 32
            i += 1
        }
    }

    /// Divides in place; returns the remainder (the quotient is kept only when it is 0).
    mutating func divide(by m: UInt32) -> UInt32 {
        var quotient = limbs
        var rest: UInt64 = 0
        for i in limbs.indices.reversed() {
            let v = (rest << 32) | UInt64(limbs[i])
            quotient[i] = UInt32(v / UInt64(m))
            rest = v % UInt64(m)
        }
        if rest == 0 {
            while quotient.last == 0 { quotient.removeLast() }
            limbs = quotient
        }
        return UInt32(rest)
    }

    var bitLength: Int {
        guard let top = limbs.last(where: { $0 != 0 }), let index = limbs.lastIndex(where: { $0 != 0 }) else {
            return 0
        }
        return index * 32 + (32 - top.leadingZeroBitCount)
    }

    var trailingZeroBits: Int {
        guard let index = limbs.firstIndex(where: { $0 != 0 }) else { return 0 }
        return index * 32 + limbs[index].trailingZeroBitCount
    }

    /// Bits `start ..< start + count` (count ≤ 64) as an integer.
    func bits(from start: Int, count: Int) -> UInt64 {
        var result: UInt64 = 0
        for k in 0..<count {
            let bit = start + k
            let limb = bit / 32
            if limb < limbs.count, (limbs[limb] >> UInt32(bit % 32)) & 1 == 1 { result |= 1 << UInt64(k) }
        }
        return result
    }
}
