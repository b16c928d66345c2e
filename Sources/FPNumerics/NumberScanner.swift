/// A cursor over the UTF-8 bytes of number text, shared by ``NumberText`` and
/// ``HexFloat``. Each `scan` method consumes input only on success, except
/// where noted.
struct NumberScanner {
    private let bytes: [UInt8]
    private(set) var position = 0

    init(_ text: String) { bytes = Array(text.utf8) }

    var isAtEnd: Bool { position == bytes.count }

    private var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    func text(from start: Int) -> Substring {
        Substring(decoding: bytes[start..<position], as: UTF8.self)
    }

    /// Consumes an optional `+` or `-`; returns whether it was `-`.
    mutating func scanSign() -> Bool {
        switch current {
        case UInt8(ascii: "-"):
            position += 1
            return true
        case UInt8(ascii: "+"):
            position += 1
            return false
        default: return false
        }
    }

    /// Consumes `inf`, `infinity` or `nan` (any case) when they make up the
    /// rest of the input.
    mutating func scanSpecial() -> Double? {
        let rest = String(decoding: bytes[position...], as: UTF8.self).lowercased()
        let value: Double
        switch rest {
        case "inf", "infinity": value = .infinity
        case "nan": value = .nan
        default: return nil
        }
        position = bytes.count
        return value
    }

    /// Consumes `0x` or `0X`.
    mutating func scanHexPrefix() -> Bool {
        guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "0"),
            bytes[position + 1] | 0x20 == UInt8(ascii: "x")
        else { return false }
        position += 2
        return true
    }

    /// Consumes `digits[.digits][e[±]digits]` or `.digits[e[±]digits]`.
    /// May consume a partial number when it returns `false`.
    mutating func scanDecimalBody() -> Bool {
        let integerDigits = scanDigits(radix: 10) { _ in }
        var fractionDigits = 0
        if current == UInt8(ascii: ".") {
            position += 1
            fractionDigits = scanDigits(radix: 10) { _ in }
        }
        guard integerDigits + fractionDigits > 0 else { return false }
        if let e = current, e | 0x20 == UInt8(ascii: "e") {
            position += 1
            _ = scanSign()
            guard scanDigits(radix: 10, { _ in }) > 0 else { return false }
        }
        return true
    }

    /// Consumes the part after `0x`: `hex[.hex][p[±]dec]` or `.hex[p[±]dec]`,
    /// and returns its value rounded to the nearest `Double` (ties to even).
    /// May consume a partial number when it returns `nil`.
    mutating func scanHexBody() -> Double? {
        var accumulator = HexSignificand()
        let integerDigits = scanDigits(radix: 16) { accumulator.append($0, isFraction: false) }
        var fractionDigits = 0
        if current == UInt8(ascii: ".") {
            position += 1
            fractionDigits = scanDigits(radix: 16) { accumulator.append($0, isFraction: true) }
        }
        guard integerDigits + fractionDigits > 0 else { return nil }
        var binaryExponent = 0
        if let p = current, p | 0x20 == UInt8(ascii: "p") {
            position += 1
            let negative = scanSign()
            var magnitude = 0
            // Saturate: any exponent beyond this range already over/underflows.
            guard scanDigits(radix: 10, { magnitude = Swift.min(magnitude * 10 + $0, 1 << 20) }) > 0 else {
                return nil
            }
            binaryExponent = negative ? -magnitude : magnitude
        }
        return accumulator.value(timesPowerOfTwo: binaryExponent)
    }

    /// Consumes a run of digits in `radix` (10 or 16), passing each digit's
    /// value to `body`, and returns how many there were.
    private mutating func scanDigits(radix: Int, _ body: (Int) -> Void) -> Int {
        var count = 0
        while let byte = current, let digit = Self.digitValue(byte), digit < radix {
            body(digit)
            position += 1
            count += 1
        }
        return count
    }

    private static func digitValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return Int(byte - UInt8(ascii: "a")) + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return Int(byte - UInt8(ascii: "A")) + 10
        default: return nil
        }
    }
}
