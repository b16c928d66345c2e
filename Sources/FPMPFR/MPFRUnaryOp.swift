/// Elementwise unary operations, with XLA's elementwise semantics evaluated on
/// the reals and rounded to nearest (ties to even) at the destination's
/// precision. Special values follow MPFR (which follows C99 Annex F / IEEE 754).
public enum MPFRUnaryOp: CaseIterable, Sendable {
    /// −x (`mpfr_neg`).
    case neg
    /// |x| (`mpfr_abs`).
    case abs
    /// −1, +1 for negative/positive x; sign(±0) = ±0; sign(NaN) = NaN.
    case sign
    /// e^x.
    case exp
    /// e^x − 1.
    case expm1
    /// ln x: log(±0) = −∞, log(x < 0) = NaN.
    case log
    /// ln(1 + x).
    case log1p
    /// √x: sqrt(−0) = −0, sqrt(x < 0) = NaN.
    case sqrt
    /// 1/√x (`mpfr_rec_sqrt`, IEEE 754 rSqrt): rsqrt(±0) = +∞, rsqrt(+∞) = +0.
    case rsqrt
    /// Real cube root (`mpfr_cbrt`): cbrt(−8) = −2.
    case cbrt
    /// tanh x.
    case tanh
    /// 1 / (1 + e^−x). Not an MPFR primitive: computed with guard bits and
    /// Ziv's strategy (`mpfr_can_round`), so it is correctly rounded except
    /// in cases too hard to decide with ~1000 guard bits, where it is still
    /// within 1 ulp. logistic(±0) = 0.5, logistic(+∞) = 1, logistic(−∞) = +0.
    case logistic
    /// sin x.
    case sin
    /// cos x.
    case cos
    /// tan x.
    case tan
    /// erf x.
    case erf
    /// ⌊x⌋, then rounded to the destination precision. Exact (and computed
    /// allocation-free with `mpfr_rint(…, MPFR_RNDD)`) whenever the
    /// destination is at least as precise as the operand; otherwise
    /// `mpfr_rint_floor(…, MPFR_RNDN)` (integer first, then round to nearest).
    /// The sign of a zero result is kept: floor(−0) = −0.
    case floor
    /// ⌈x⌉, then rounded to the destination precision (as for ``floor``,
    /// with `MPFR_RNDU` / `mpfr_rint_ceil`); ceil(−0.5) = −0.
    case ceil
    /// Nearest integer with ties to even, then rounded to the destination
    /// precision (`mpfr_rint(…, MPFR_RNDN)` / `mpfr_rint_roundeven`):
    /// 2.5 → 2, −3.5 → −4, −0.3 → −0. Note that plain `mpfr_rint` with
    /// `MPFR_RNDN` into a *narrower* destination would round once to the
    /// nearest representable integer (5.4 → 6 at 2 bits) instead of
    /// rounding to 5 and then to 4.
    case roundNearestEven
    /// Nearest integer with ties away from zero, then rounded to the
    /// destination precision (`mpfr_rint_round`): 2.5 → 3, −2.5 → −3, −0.3 → −0.
    case roundNearestAfz
    /// arctan x, in [−π/2, π/2].
    case atan
    /// sinh x.
    case sinh
    /// cosh x.
    case cosh
    /// arcsin x: NaN outside [−1, 1].
    case asin
    /// arccos x: NaN outside [−1, 1].
    case acos
    /// arsinh x.
    case asinh
    /// arcosh x: NaN below 1.
    case acosh
    /// artanh x: ±∞ at ±1, NaN outside [−1, 1].
    case atanh
}
