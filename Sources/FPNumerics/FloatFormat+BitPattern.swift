extension FloatFormat {
    /// The encoding of `x` in this format, in the low ``bitWidth`` bits.
    ///
    /// `x` should be representable (see ``isRepresentable(_:)``); other values
    /// are rounded first with ``round(_:)``. Every NaN encodes as this
    /// format's default quiet NaN with the sign of `x`.
    public func bitPattern(_ x: Double) -> UInt64 {
        let r = round(x)
        if bitWidth == 8 { return bitPattern8(r) }
        if r.isNaN {
            let sign: UInt64 = r.sign == .minus ? 1 << UInt64(bitWidth - 1) : 0
            let quiet: UInt64 = 1 << UInt64(fractionBits - 1)
            return sign | exponentFieldMask | quiet
        }
        switch self {
        case .f64: return r.bitPattern
        case .f32: return UInt64(Float(r).bitPattern)
        case .f16: return UInt64(Float16(r).bitPattern)
        // bf16 is the high half of the binary32 with the same value.
        case .bf16: return UInt64(Float(r).bitPattern >> 16)
        default: return bitPattern8(r)
        }
    }

    /// The encoding of a value `r` of an 8-bit format. NaN encodes as the
    /// format's NaN: `0x80` in the `fnuz` formats, `S.1111.111` in `f8e4m3fn`,
    /// the all-ones exponent with the top fraction bit otherwise (sign kept).
    private func bitPattern8(_ r: Double) -> UInt64 {
        let sign: UInt64 = r.sign == .minus ? 0x80 : 0
        if r.isNaN {
            if !hasNegativeZero { return 0x80 }
            if !hasInfinities { return sign | 0x7f }
            return sign | exponentFieldMask | (1 << UInt64(fractionBits - 1))
        }
        if r.isInfinite { return sign | exponentFieldMask }
        let a = Swift.abs(r)
        if a == 0 { return hasNegativeZero ? sign : 0 }
        if a < minNormal {
            return sign | UInt64(a / minSubnormal)
        }
        let field = UInt64(Int(a.exponent) + bias)
        let fraction = UInt64((a.significand - 1) * Double(1 << fractionBits))
        return sign | field << UInt64(fractionBits) | fraction
    }

    /// The value of the 8-bit pattern `b` (see ``bitPattern8(_:)``).
    private func value8(_ b: UInt64) -> Double {
        let negative = b & 0x80 != 0
        let field = Int((b >> UInt64(fractionBits)) & ((1 << UInt64(exponentBits)) - 1))
        let fraction = b & ((1 << UInt64(fractionBits)) - 1)
        let allOnes = (1 << exponentBits) - 1
        if !hasNegativeZero {
            if b == 0x80 { return .nan }
        } else if !hasInfinities {
            if b & 0x7f == 0x7f { return negative ? -.nan : .nan }
        } else if field == allOnes {
            if fraction == 0 { return negative ? -.infinity : .infinity }
            return negative ? -.nan : .nan
        }
        let magnitude =
            field == 0
            ? Double(fraction) * minSubnormal
            : Double(sign: .plus, exponent: field - bias, significand: 1 + Double(fraction) / Double(1 << fractionBits))
        return negative ? -magnitude : magnitude
    }

    /// The value encoded by the low ``bitWidth`` bits of `bitPattern`
    /// (higher bits are ignored).
    public func value(bitPattern: UInt64) -> Double {
        switch self {
        case .f64: return Double(bitPattern: bitPattern)
        case .f32: return Double(Float(bitPattern: UInt32(truncatingIfNeeded: bitPattern)))
        case .f16: return Double(Float16(bitPattern: UInt16(truncatingIfNeeded: bitPattern)))
        case .bf16:
            let high = UInt32(UInt16(truncatingIfNeeded: bitPattern))
            return Double(Float(bitPattern: high << 16))
        default: return value8(bitPattern & 0xff)
        }
    }

    /// Whether `x` is a value of this format: NaN, a signed infinity, or a
    /// finite value that ``round(_:)`` leaves unchanged.
    public func isRepresentable(_ x: Double) -> Bool {
        x.isNaN || round(x) == x
    }

    /// The biased-exponent field, all ones, in its position.
    var exponentFieldMask: UInt64 {
        ((1 << UInt64(exponentBits)) - 1) << UInt64(fractionBits)
    }

    /// All bits below the sign bit.
    var magnitudeMask: UInt64 { (1 << UInt64(bitWidth - 1)) - 1 }
}
