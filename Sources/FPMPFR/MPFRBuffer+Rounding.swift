internal import CMPFR
internal import CMPFRShims

extension MPFRBuffer {
    /// The precisions ``rounded(_:precision:emin:emax:)`` accepts: every result
    /// must be exactly representable as a `Double`.
    public static let roundingPrecisions: ClosedRange<Int> = 1...53

    /// Element `i` correctly rounded (to nearest, ties to even) to the binary
    /// format with `precision` significand bits and normal exponents
    /// `emin...emax`, with gradual underflow (subnormals) and overflow to ±∞,
    /// returned as the exactly representable `Double` of that value.
    ///
    /// `emin`/`emax` follow MPFR's convention (significand in [0.5, 1)); see
    /// ``TruthFormat`` — for IEEE binary64 they are -1021 and 1024. NaN, ±∞
    /// and ±0 are returned unchanged.
    ///
    /// The rounding is a single correct rounding of the element's exact value:
    /// the element is rounded to `precision` bits in MPFR's widest exponent
    /// range (which is IEEE rounding with an unbounded exponent, so it also
    /// decides overflow), then `mpfr_check_range` and `mpfr_subnormalize`,
    /// run in the emulated range `[emin - precision + 1, emax]` with the
    /// ternary value of the first rounding, handle overflow, underflow and the
    /// shorter subnormal significands without double-rounding errors. The
    /// thread's widest range is restored before returning.
    ///
    /// - Throws: ``MPFRError/invalidPrecision(_:valid:)`` unless
    ///   `precision` is in ``roundingPrecisions``;
    ///   ``MPFRError/invalidExponentRange(emin:emax:)`` unless
    ///   `emin <= emax`, `emax <= 1024` and `emin - precision >= -1074`
    ///   (so every value of the format, subnormals included, is a `Double`).
    public func rounded(_ i: Int, precision: Int, emin: Int, emax: Int) throws(MPFRError) -> Double {
        guard Self.roundingPrecisions.contains(precision) else {
            throw .invalidPrecision(precision, valid: Self.roundingPrecisions)
        }
        guard emin <= emax, emax <= 1024, emin - precision >= -1074 else {
            throw .invalidExponentRange(emin: emin, emax: emax)
        }
        return roundedUnchecked(i, precision: precision, emin: emin, emax: emax)
    }

    /// Element `i` correctly rounded to `format` (see
    /// ``rounded(_:precision:emin:emax:)``), as an exactly representable `Double`.
    public func rounded(_ i: Int, to format: TruthFormat) -> Double {
        roundedUnchecked(i, precision: format.precision, emin: format.emin, emax: format.emax)
    }

    private func roundedUnchecked(_ i: Int, precision: Int, emin: Int, emax: Int) -> Double {
        let x = element(i)
        if mpfr_nan_p(x) != 0 || mpfr_inf_p(x) != 0 || mpfr_zero_p(x) != 0 {
            return mpfr_get_d(x, MPFR_RNDN)
        }
        MPFRConfiguration.prepareCurrentThread()
        let wideMin = mpfr_get_emin()
        let wideMax = mpfr_get_emax()
        let s = MPFRThreadScratch.current.rounding.prepared(precision: precision)

        // 1. Round the significand with an unbounded (widest) exponent range.
        var ternary = mpfr_set(s, x, MPFR_RNDN)
        // 2. Emulate the format: MPFR's emin is the exponent of the smallest
        //    subnormal, 0.5 * 2^(emin - precision + 1) = 2^(emin - precision).
        _ = mpfr_set_emin(emin - precision + 1)
        _ = mpfr_set_emax(emax)
        ternary = mpfr_check_range(s, ternary, MPFR_RNDN)
        ternary = mpfr_subnormalize(s, ternary, MPFR_RNDN)
        _ = mpfr_set_emin(wideMin)
        _ = mpfr_set_emax(wideMax)
        _ = ternary
        // Exact: precision <= 53 and the range lies inside binary64's.
        return mpfr_get_d(s, MPFR_RNDN)
    }
}
