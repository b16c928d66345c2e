extension FloatFormat {
    /// Rounds `x` to the nearest value of this format (ties to even) and
    /// returns that value as the `Double` that holds it exactly.
    ///
    /// IEEE 754 semantics throughout, with a single rounding from `x`:
    /// - magnitudes at or above `maxFinite + ulp(maxFinite)/2` become ±infinity;
    /// - results below `minNormal` underflow gradually to subnormals and then
    ///   to a zero carrying the sign of `x`;
    /// - signed zeros and infinities are kept; NaN stays NaN.
    ///
    /// `f64` is the identity; `f32` and `f16` use the hardware conversions
    /// `Float(x)` and `Float16(x)`, which round directly from `Double`;
    /// `bf16` and the 8-bit formats round the bits of the `Double` exactly
    /// (not via `Float`, which would round twice).
    ///
    /// In the 8-bit formats without infinities an overflow, and an infinite
    /// `x`, gives NaN; in the `fnuz` formats a zero result is +0.
    public func round(_ x: Double) -> Double {
        switch self {
        case .f64: return x
        case .f32: return Double(Float(x))
        case .f16: return Double(Float16(x))
        default: return roundedExactly(x)
        }
    }

    /// Rounds a `Float` result to this format, for evaluators that compute
    /// narrow formats in binary32 and then store the narrow result.
    ///
    /// For `f32` and `f64` this is the exact widening `Double(x)`; for `f16`
    /// and `bf16` it is one correctly rounded narrowing of `x`.
    public func roundFromFloat(_ x: Float) -> Double {
        switch self {
        case .f64, .f32: return Double(x)
        case .f16: return Double(Float16(x))
        case .bf16: return roundedExactly(Double(x))
        // XLA computes the 8-bit formats in f16: the binary32 result is rounded
        // to f16 first, then to the 8-bit format (two roundings, as XLA CPU does).
        default: return roundedExactly(Double(Float16(x)))
        }
    }

    /// Reference rounding by integer arithmetic on the bits of `x`; valid for
    /// every format (all of them are subsets of binary64).
    func roundedExactly(_ x: Double) -> Double {
        if self == .f64 || x.isNaN { return x }
        if x.isInfinite { return hasInfinities ? x : .nan }
        if x == 0 { return hasNegativeZero ? x : 0 }
        let negativeZero = hasNegativeZero ? -0.0 : 0.0
        // |x| = significand * 2^exponent with an integer significand below 2^53.
        let significand = x.significandBitPattern | (x.isSubnormal ? 0 : 1 << 52)
        let exponent = x.isSubnormal ? -1074 : Int(x.exponent) - 52
        // The spacing of this format around |x|: fixed below minNormal.
        let quantumExponent = Swift.max(Int(x.exponent), emin) - fractionBits
        let shift = quantumExponent - exponent
        if shift <= 0 { return x }
        // Below a quarter of the quantum, x rounds to zero (shift >= 55).
        if shift > 54 { return x.sign == .minus ? negativeZero : 0.0 }
        var kept = significand >> UInt64(shift)
        let remainder = significand & ((1 << UInt64(shift)) - 1)
        let half: UInt64 = 1 << UInt64(shift - 1)
        if remainder > half || (remainder == half && kept & 1 == 1) { kept += 1 }
        let magnitude = Double(sign: .plus, exponent: quantumExponent, significand: Double(kept))
        if magnitude > maxFinite { return hasInfinities ? (x.sign == .minus ? -.infinity : .infinity) : .nan }
        if magnitude == 0 { return x.sign == .minus ? negativeZero : 0.0 }
        return x.sign == .minus ? -magnitude : magnitude
    }
}
