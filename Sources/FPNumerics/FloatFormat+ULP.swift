import RealModule

extension FloatFormat {
    /// The error assigned when one result is NaN or infinite and the other is
    /// not: `2^bitWidth - 1` units in the last place, as a `Double` (for f64
    /// this rounds to `2^64`).
    public var maximalULPs: Double {
        Double(UInt64.max >> UInt64(64 - bitWidth))
    }

    /// The position of `x` in the ordered sequence of this format's values.
    ///
    /// A monotone map onto the integers: both zeros map to 0, the smallest
    /// positive subnormal to 1, each next larger value to the next integer,
    /// `+infinity` to `ordinal(maxFinite) + 1`, and negative values to the
    /// negation of their magnitude's ordinal. Consecutive values of the
    /// format therefore differ by exactly 1.
    ///
    /// - Returns: `nil` for NaN. A value not representable in this format is
    ///   rounded with ``round(_:)`` first.
    public func ordinal(_ x: Double) -> Int64? {
        if x.isNaN { return nil }
        // In IEEE encodings the magnitude bits count the values upwards from
        // +0, through the subnormals and normals, to +infinity.
        let magnitude = Int64(bitPattern: bitPattern(x) & magnitudeMask)
        return x.sign == .minus ? -magnitude : magnitude
    }

    /// The distance between `a` and `b` in units in the last place of this
    /// format: `|ordinal(a) - ordinal(b)|` as a `Double` (exact up to `2^53`).
    ///
    /// Non-finite cases, where a distance of ordinals would be meaningless:
    /// - both NaN: 0; exactly one NaN: ``maximalULPs``;
    /// - one infinite and the other finite: ``maximalULPs`` (a non-finite
    ///   result where the truth is finite, or the reverse, is a maximal error);
    /// - both infinite: 0 with the same sign, ``maximalULPs`` otherwise.
    ///
    /// Inputs should be representable; others are rounded first.
    public func ulpDistance(_ a: Double, _ b: Double) -> Double {
        switch self {
        case .f64: return Self.encodingDistance(a.bitPattern, b.bitPattern, width: 64)
        case .f32: return Self.encodingDistance(UInt64(Float(a).bitPattern), UInt64(Float(b).bitPattern), width: 32)
        default: return ulpDistanceOfOrdinals(a, b)
        }
    }

    /// ``ulpDistance(_:_:)`` for the binary32 and binary64 encodings `x` and
    /// `y` of `width` bits, the rules above read off the bits (an all-ones
    /// exponent field is an infinity or a NaN; the magnitude bits count the
    /// values upwards from +0): the same results as
    /// ``ulpDistanceOfOrdinals(_:_:)``, without its generic rounding and
    /// encoding, for the two formats nearly every measurement is in.
    @inline(__always)
    static func encodingDistance(_ x: UInt64, _ y: UInt64, width: UInt64) -> Double {
        let sign: UInt64 = 1 << (width - 1)
        let magnitude = sign - 1
        let infinity = width == 64 ? Double.infinity.bitPattern : UInt64(Float.infinity.bitPattern)
        let maximal = Double(UInt64.max >> (64 - width))
        let (mx, my) = (x & magnitude, y & magnitude)
        switch (mx > infinity, my > infinity) {
        case (true, true): return 0
        case (true, false), (false, true): return maximal
        case (false, false): break
        }
        if mx == infinity || my == infinity { return x == y ? 0 : maximal }
        // The ordinals, magnitudes negated below zero; their difference is below 2^64.
        let ox = x & sign == 0 ? Int64(bitPattern: mx) : -Int64(bitPattern: mx)
        let oy = y & sign == 0 ? Int64(bitPattern: my) : -Int64(bitPattern: my)
        let (high, low) = ox >= oy ? (ox, oy) : (oy, ox)
        return Double(UInt64(bitPattern: high &- low))
    }

    /// ``ulpDistance(_:_:)`` by this format's rounding and ``ordinal(_:)``:
    /// the definition, for every format.
    func ulpDistanceOfOrdinals(_ a: Double, _ b: Double) -> Double {
        switch (a.isNaN, b.isNaN) {
        case (true, true): return 0
        case (true, false), (false, true): return maximalULPs
        case (false, false): break
        }
        let ra = round(a)
        let rb = round(b)
        if ra.isInfinite || rb.isInfinite {
            return ra == rb ? 0 : maximalULPs
        }
        guard let oa = ordinal(ra), let ob = ordinal(rb) else { return maximalULPs }
        // The true difference is below 2^64, so the wrapped difference read
        // as unsigned is exact.
        let (high, low) = oa >= ob ? (oa, ob) : (ob, oa)
        return Double(UInt64(bitPattern: high &- low))
    }

    /// Bits of error for a distance in ULPs: `log2(1 + ulps)`.
    ///
    /// 0 for exact agreement, 1 for one ULP, and exactly ``bitWidth`` for
    /// ``maximalULPs``.
    public func bitsOfError(ulps: Double) -> Double {
        Double.log2(1 + ulps)
    }
}

extension FloatFormat {
    /// `x` moved by `ulps` steps through this format's values (negative: downwards),
    /// crossing zero as ``ordinal(_:)`` does and stopping at ±``maxFinite``: the value
    /// whose ordinal is `ordinal(x) + ulps`. NaN and infinities are returned unchanged.
    public func stepped(_ x: Double, by ulps: Int64) -> Double {
        guard x.isFinite, ulps != 0, let start = ordinal(x), let top = ordinal(maxFinite) else { return x }
        let (moved, overflow) = start.addingReportingOverflow(ulps)
        let target = overflow ? (ulps > 0 ? top : -top) : Swift.min(Swift.max(moved, -top), top)
        let magnitude = UInt64(target.magnitude)
        let sign: UInt64 = target < 0 ? 1 << UInt64(bitWidth - 1) : 0
        return value(bitPattern: magnitude | sign)
    }
}
