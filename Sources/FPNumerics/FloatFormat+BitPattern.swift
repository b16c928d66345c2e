extension FloatFormat {
    /// The encoding of `x` in this format, in the low ``bitWidth`` bits.
    ///
    /// `x` should be representable (see ``isRepresentable(_:)``); other values
    /// are rounded first with ``round(_:)``. Every NaN encodes as this
    /// format's default quiet NaN with the sign of `x`.
    public func bitPattern(_ x: Double) -> UInt64 {
        let r = round(x)
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
        }
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
