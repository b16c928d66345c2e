/// Elementwise binary operations `a op b`, with XLA's elementwise semantics
/// evaluated on the reals and rounded to nearest (ties to even) at the
/// destination's precision.
public enum MPFRBinaryOp: CaseIterable, Sendable {
    /// a + b.
    case add
    /// a − b.
    case subtract
    /// a × b.
    case multiply
    /// a ÷ b (x/±0 = ±∞, 0/0 = NaN).
    case divide
    /// C `fmod`: a − trunc(a/b)·b, exact before rounding, with the sign of
    /// the dividend a: fmod(−7, 3) = −1; fmod(x, 0) = NaN; fmod(x, ±∞) = x.
    case remainder
    /// a^b (`mpfr_pow`, C99 `pow` special cases: pow(x, ±0) = 1 even for
    /// NaN x, pow(1, y) = 1, pow(x < 0, non-integer) = NaN).
    case power
    /// max(a, b); NaN if either is NaN (unlike `mpfr_max`); max(−0, +0) = +0.
    case maximum
    /// min(a, b); NaN if either is NaN; min(−0, +0) = −0.
    case minimum
    /// atan2(a, b) with a = y and b = x (`mpfr_atan2`): atan2(+0, −1) = π.
    case atan2
}
