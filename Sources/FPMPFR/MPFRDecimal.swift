internal import CMPFR
internal import CMPFRShims

/// Decimal number text read by MPFR with explicit rounding: the real number a
/// decimal literal denotes (a graph constant that keeps its literal), set at
/// a working precision, bounded by binary64 numbers, or compared with its
/// rounding to a format.
///
/// Text is decimal as ``FPNumerics/DecimalLiteral/canonical(_:)`` writes it
/// (`0.1`, `-1.5e-40`): an optional sign, digits with an optional point, an
/// optional `e` exponent. Every function reads the whole text or fails.
public enum MPFRDecimal {
    /// Reads `text` into `value` (prepared at its precision) rounded in
    /// direction `rounding`; false when MPFR does not read the whole text.
    static func read(_ text: String, into value: UnsafeMutablePointer<__mpfr_struct>, _ rounding: mpfr_rnd_t)
        -> Bool
    {
        MPFRConfiguration.prepareCurrentThread()
        return text.withCString { start in
            var end: UnsafeMutablePointer<CChar>? = nil
            _ = mpfr_strtofr(value, start, &end, 10, rounding)
            guard let end, end != start else { return false }
            return end.pointee == 0
        }
    }

    /// Binary64 numbers `lo ≤ x ≤ hi` around the real `x` that `text`
    /// denotes, each the nearest in its direction (`lo == hi` when `x` is a
    /// binary64 number); a magnitude beyond binary64's range gives an
    /// infinite bound, one below it a zero bound. Nil when `text` is not decimal.
    public static func bounds(_ text: String) -> (lo: Double, hi: Double)? {
        let scratch = MPFRScratchValue()
        let x = scratch.prepared(precision: 64)
        // Down then down (up then up): each step keeps the bound on its side.
        guard read(text, into: x, MPFR_RNDD) else { return nil }
        let lo = mpfr_get_d(x, MPFR_RNDD)
        _ = read(text, into: x, MPFR_RNDU)
        let hi = mpfr_get_d(x, MPFR_RNDU)
        return (lo, hi)
    }

    /// `|rounded − x| / |x|` for the real `x` that `text` denotes, to about 53
    /// bits (computed at 256); nil when `text` is not decimal or `x` is zero.
    public static func relativeError(of rounded: Double, literal text: String) -> Double? {
        let scratch = MPFRScratchValue()
        let difference = MPFRScratchValue()
        let x = scratch.prepared(precision: 256)
        guard read(text, into: x, MPFR_RNDN), mpfr_zero_p(x) == 0 else { return nil }
        let d = difference.prepared(precision: 256)
        _ = mpfr_d_sub(d, rounded, x, MPFR_RNDN)
        _ = mpfr_div(d, d, x, MPFR_RNDN)
        return Swift.abs(mpfr_get_d(d, MPFR_RNDN))
    }
}

extension MPFRBuffer {
    /// Sets element `i` to the real number decimal `text` denotes, rounded to
    /// nearest at this buffer's precision; false (element unchanged or NaN)
    /// when `text` is not decimal.
    @discardableResult
    public func set(_ i: Int, decimal text: String) -> Bool {
        MPFRDecimal.read(text, into: element(i), MPFR_RNDN)
    }
}
