/// The significand of hex-float text, accumulated digit by digit: the first
/// 15 significant hex digits (60 bits) exactly, and a sticky flag for any
/// nonzero digit after them. That is more than the 53 + 2 bits that correct
/// rounding to `Double` needs.
struct HexSignificand {
    private var bits: UInt64 = 0
    private var significantDigits = 0
    private var sticky = false
    /// Power of two to apply to `bits`, from digit positions alone.
    private var exponent = 0

    mutating func append(_ digit: Int, isFraction: Bool) {
        if bits == 0 && digit == 0 {
            // A leading zero: shifts the scale of fraction digits only.
            if isFraction { exponent -= 4 }
            return
        }
        if significantDigits < 15 {
            bits = bits << 4 | UInt64(digit)
            significantDigits += 1
            if isFraction { exponent -= 4 }
        } else {
            sticky = sticky || digit != 0
            // An integer digit past the kept ones still scales the value.
            if !isFraction { exponent += 4 }
        }
    }

    /// `significand * 2^scale`, rounded once to the nearest `Double`.
    func value(timesPowerOfTwo scale: Int) -> Double {
        guard bits != 0 else { return 0 }
        // Normalize so that the leading 1 is bit 63: value = bits * 2^(e - 63).
        let shift = bits.leadingZeroBitCount
        let normalized = bits << UInt64(shift)
        let leadExponent = exponent + scale + 63 - shift
        if leadExponent > 1023 { return .infinity }
        // Bits kept: 53 for normals, fewer in the subnormal range, where the
        // quantum is fixed at 2^-1074.
        let keep = leadExponent >= -1022 ? 53 : 53 - (-1022 - leadExponent)
        if keep < 0 { return 0 }  // below half of the smallest subnormal
        let dropped = 64 - keep
        var kept = dropped == 64 ? 0 : normalized >> UInt64(dropped)
        let remainder = dropped == 64 ? normalized : normalized & ((1 << UInt64(dropped)) - 1)
        let half: UInt64 = 1 << UInt64(dropped - 1)
        let aboveHalf = remainder > half || (remainder == half && sticky)
        if aboveHalf || (remainder == half && !sticky && kept & 1 == 1) { kept += 1 }
        let result = Double(sign: .plus, exponent: leadExponent - keep + 1, significand: Double(kept))
        return result
    }
}
