internal import CMPFR
internal import CMPFRShims

extension MPFRBuffer {
    // MARK: - Writing

    /// Sets element `i` to `x`, rounded to nearest at this buffer's precision
    /// (exact when ``precision`` ≥ 53). NaN, ±0 and ±∞ are preserved.
    public func set(_ i: Int, _ x: Double) {
        _ = mpfr_set_d(element(i), x, MPFR_RNDN)
    }

    /// Sets element `i` to the integer `value`.
    ///
    /// Exact when ``precision`` ≥ 63 (callers that store integer tensors
    /// guarantee ≥ 64); at smaller precisions the value is rounded to nearest.
    public func set(_ i: Int, integer value: Int64) {
        _ = mpfr_set_si(element(i), Int(value), MPFR_RNDN)
    }

    /// Sets element `i` to the unsigned integer `value` (exact when
    /// ``precision`` ≥ 64; rounded to nearest otherwise).
    public func set(_ i: Int, unsigned value: UInt64) {
        _ = mpfr_set_ui_2exp(element(i), UInt(value), 0, MPFR_RNDN)
    }

    /// Sets element `i` to NaN.
    public func setNaN(_ i: Int) {
        mpfr_set_nan(element(i))
    }

    /// Sets element `i` to `source[j]`, rounded to nearest at this buffer's
    /// precision (exact when this precision is at least the source's).
    public func copy(_ i: Int, from source: MPFRBuffer, _ j: Int) {
        MPFRConfiguration.prepareCurrentThread()
        _ = mpfr_set(element(i), source.element(j), MPFR_RNDN)
    }

    // MARK: - Reading

    /// Element `i` rounded to nearest `Double` (`mpfr_get_d` with `MPFR_RNDN`),
    /// including gradual underflow to subnormals and overflow to ±∞.
    public func double(_ i: Int) -> Double {
        mpfr_get_d(element(i), MPFR_RNDN)
    }

    /// Element `i` in scientific decimal notation with `digits` significant
    /// digits, correctly rounded to nearest (`mpfr_get_str`): `-1.2345e-7`,
    /// `0`, `-0`, `inf`, `-inf` or `nan`.
    /// - Precondition: `digits >= 1`.
    public func decimal(_ i: Int, digits: Int) -> String {
        precondition(digits >= 1, "decimal needs at least one digit")
        if isNaN(i) { return "nan" }
        if isInfinite(i) { return signBit(i) ? "-inf" : "inf" }
        if isZero(i) { return signBit(i) ? "-0" : "0" }
        var exponent: mpfr_exp_t = 0
        guard let raw = mpfr_get_str(nil, &exponent, 10, digits, element(i), MPFR_RNDN) else { return "nan" }
        defer { mpfr_free_str(raw) }
        var significand = String(cString: raw)
        let negative = significand.hasPrefix("-")
        if negative { significand.removeFirst() }
        // mpfr_get_str gives 0.DDDD × 10^exponent; print D.DDD × 10^(exponent − 1).
        let head = significand.prefix(1)
        let tail = significand.dropFirst()
        return (negative ? "-" : "") + head + (tail.isEmpty ? "" : "." + tail) + "e\(Int(exponent) - 1)"
    }

    /// Whether element `i` is NaN.
    public func isNaN(_ i: Int) -> Bool { mpfr_nan_p(element(i)) != 0 }

    /// Whether element `i` is +∞ or −∞.
    public func isInfinite(_ i: Int) -> Bool { mpfr_inf_p(element(i)) != 0 }

    /// Whether element `i` is +0 or −0.
    public func isZero(_ i: Int) -> Bool { mpfr_zero_p(element(i)) != 0 }

    /// Whether element `i` has its sign bit set (true for −0 and negative
    /// values; for NaN it reports the NaN's sign bit).
    public func signBit(_ i: Int) -> Bool { mpfr_signbit(element(i)) != 0 }

    /// Compares element `i` with `other[j]`: −1, 0 or +1, or `nil` when
    /// either is NaN (unordered). −0 and +0 compare equal.
    public func compare(_ i: Int, _ other: MPFRBuffer, _ j: Int) -> Int? {
        let a = element(i)
        let b = other.element(j)
        if mpfr_unordered_p(a, b) != 0 { return nil }
        return Int(mpfr_cmp(a, b).signum())
    }

    /// Element `i` rounded toward zero to an integer, saturated to
    /// `Int64.min...Int64.max` (±∞ saturate too); `nil` for NaN.
    public func toInt64Truncating(_ i: Int) -> Int64? {
        let x = element(i)
        if mpfr_nan_p(x) != 0 { return nil }
        // `long` is 64 bits on every platform FPMPFR supports (LP64);
        // mpfr_get_si saturates out-of-range values to LONG_MIN/LONG_MAX.
        return Int64(mpfr_get_si(x, MPFR_RNDZ))
    }

    /// Element `i` rounded toward zero, saturated to `0...UInt64.max` (±inf
    /// included); nil for NaN.
    public func toUInt64Truncating(_ i: Int) -> UInt64? {
        let x = element(i)
        if mpfr_nan_p(x) != 0 { return nil }
        // `unsigned long` is 64 bits (LP64); mpfr_get_ui saturates to 0 and ULONG_MAX.
        return UInt64(mpfr_get_ui(x, MPFR_RNDZ))
    }
}
