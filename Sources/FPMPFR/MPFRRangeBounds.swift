internal import CMPFR
internal import CMPFRShims
import FPNumerics

/// Rigorous bounds of the elementary functions over a whole interval, for
/// the double-double ball tier of the truth (`FPEval`'s `BallDomain`).
///
/// The operand is a ball: the real numbers within `radius` of the
/// double-double `center`. Its ends are taken outward at ``precision`` bits
/// (the lower end rounded toward −∞, the upper toward +∞); the function is
/// evaluated at the ends that bound it (both ends of a monotone function,
/// the middle with a Lipschitz bound for `sin` and `cos`) with MPFR's
/// directed rounding; and the resulting interval is returned as a new ball
/// that contains it. Every answer is therefore a proof; `nil` means no bound
/// was found (a NaN or an infinity on part of the interval, a result outside
/// binary64's range, `tan` on more than a point). A ball wholly outside the
/// function's domain gives the NaN point.
///
/// A function's bound is first computed at ``startPrecision`` bits. When
/// the result interval is as narrow as that precision allows but the
/// double-double centre has a low part the interval does not resolve (the
/// tail of `tanh(−89) = −1 + 4.3e-78`, which a later `1 + tanh` exposes),
/// it is computed again at twice the precision, up to ``maxPrecision``.
///
/// One instance per thread: it owns its MPFR scratch values.
public final class MPFRRangeBounds {
    /// The first working precision in bits (256 by default: the ends of a
    /// double-double ball need about 107).
    public let startPrecision: Int
    /// The highest working precision tried (2048 by default).
    public let maxPrecision: Int
    /// The working precision of the current evaluation.
    private var precision: Int
    private let lower = MPFRScratchValue()
    private let upper = MPFRScratchValue()
    private let resultLow = MPFRScratchValue()
    private let resultHigh = MPFRScratchValue()
    private let work = MPFRScratchValue()
    private let work2 = MPFRScratchValue()
    private let work3 = MPFRScratchValue()

    /// A ball as the functions return it: the exact value lies within `radius`
    /// of `center`, and has the sign `sign` when that is not 0 (a positive
    /// result too small for binary64 is a ball around zero, with sign +1).
    public typealias Ball = (center: DoubleDouble, radius: Double, sign: Int8)

    /// Creates the bounds; the scratch values grow on first use.
    public init(startPrecision: Int = 256, maxPrecision: Int = 2048) {
        self.startPrecision = startPrecision
        self.maxPrecision = max(maxPrecision, startPrecision)
        precision = startPrecision
    }

    /// The ends of `[center − radius, center + radius]`, rounded outward, in
    /// `low` and `high` (by default ``lower`` and ``upper``).
    private func setEnds(
        _ center: DoubleDouble, _ radius: Double, into low: MPFRScratchValue? = nil, _ high: MPFRScratchValue? = nil
    ) -> (UnsafeMutablePointer<__mpfr_struct>, UnsafeMutablePointer<__mpfr_struct>) {
        MPFRConfiguration.prepareCurrentThread()
        let a = (low ?? lower).prepared(precision: precision)
        let b = (high ?? upper).prepared(precision: precision)
        _ = mpfr_set_d(a, center.hi, MPFR_RNDN)
        _ = mpfr_add_d(a, a, center.lo, MPFR_RNDD)
        _ = mpfr_sub_d(a, a, radius, MPFR_RNDD)
        _ = mpfr_set_d(b, center.hi, MPFR_RNDN)
        _ = mpfr_add_d(b, b, center.lo, MPFR_RNDU)
        _ = mpfr_add_d(b, b, radius, MPFR_RNDU)
        return (a, b)
    }

    /// Bounds of `op` over the ball; nil when none was found. `sign`, `neg`
    /// and `abs` are exact on balls and not handled here (nil).
    public func unary(_ op: MPFRUnaryOp, _ center: DoubleDouble, radius: Double) -> Ball? {
        precision = startPrecision
        while true {
            guard let (ball, precisionBound) = unaryAtPrecision(op, center, radius: radius) else { return nil }
            let resolved = ball.radius <= Swift.abs(ball.center.lo) * 0x1p-40
            if !precisionBound || resolved || !ball.center.hi.isFinite || ball.center.hi == 0 { return ball }
            // A tail below binary64's least subnormal cannot be held in the
            // low part, so precision beyond exponent(hi) + 1130 bits is lost.
            if precision * 2 > min(maxPrecision, ball.center.hi.exponent + 1130) { return ball }
            precision *= 2
        }
    }

    /// One attempt of ``unary(_:_:radius:)`` at ``precision``; also says
    /// whether the result's width is down to a few units of that precision.
    private func unaryAtPrecision(_ op: MPFRUnaryOp, _ center: DoubleDouble, radius: Double) -> (Ball, Bool)? {
        if op == .exp || op == .tanh, let centred = centredBound(op, center, radius: radius) { return centred }
        let (a, b) = setEnds(center, radius)
        let lo = resultLow.prepared(precision: precision)
        let hi = resultHigh.prepared(precision: precision)
        switch op {
        case .exp, .expm1, .log, .log1p, .sqrt, .cbrt, .tanh, .erf, .atan, .asinh, .sinh, .atanh, .asin, .acosh:
            let f = MPFRKernels.mpfrFunction(op)
            _ = f(lo, a, MPFR_RNDD)
            _ = f(hi, b, MPFR_RNDU)
        case .acos, .rsqrt:
            let f = MPFRKernels.mpfrFunction(op)
            _ = f(lo, b, MPFR_RNDD)
            _ = f(hi, a, MPFR_RNDU)
        case .logistic:
            // 1 / (1 + e^−x) is increasing; each step rounded so the bound holds.
            logisticBound(lo, a, down: true)
            logisticBound(hi, b, down: false)
        case .cosh:
            if fpa_sgn(a) >= 0 {
                _ = mpfr_cosh(lo, a, MPFR_RNDD)
                _ = mpfr_cosh(hi, b, MPFR_RNDU)
            } else if fpa_sgn(b) <= 0 {
                _ = mpfr_cosh(lo, b, MPFR_RNDD)
                _ = mpfr_cosh(hi, a, MPFR_RNDU)
            } else {
                _ = mpfr_set_ui(lo, 1, MPFR_RNDN)
                let w = work.prepared(precision: precision)
                _ = mpfr_cosh(w, a, MPFR_RNDU)
                _ = mpfr_cosh(hi, b, MPFR_RNDU)
                _ = mpfr_max(hi, hi, w, MPFR_RNDU)
            }
        case .sin, .cos:
            lipschitzBound(op == .sin ? mpfr_sin : mpfr_cos, a, b, lo, hi)
        case .tan:
            guard mpfr_equal_p(a, b) != 0 else { return nil }
            _ = mpfr_tan(lo, a, MPFR_RNDD)
            _ = mpfr_tan(hi, a, MPFR_RNDU)
        case .floor, .ceil, .roundNearestEven, .roundNearestAfz:
            // Non-decreasing, and exact on integers of fewer than `precision` bits.
            let rounding: mpfr_rnd_t =
                switch op {
                case .floor: MPFR_RNDD
                case .ceil: MPFR_RNDU
                case .roundNearestAfz: MPFR_RNDNA
                default: MPFR_RNDN
                }
            _ = mpfr_rint(lo, a, rounding)
            _ = mpfr_rint(hi, b, rounding)
        case .neg, .abs, .sign:
            return nil
        }
        // NaN at both ends: each function's domain is an interval, so the whole
        // ball lies outside it and the exact result is NaN (`log` of a negative ball).
        if mpfr_nan_p(lo) != 0 && mpfr_nan_p(hi) != 0 { return ((DoubleDouble(.nan), 0, 0), false) }
        guard let result = ball(lo, hi) else { return nil }
        return (result, isPrecisionBound(lo, hi))
    }

    /// `exp` and `tanh` over the ball from one evaluation, at its centre,
    /// instead of one at each end (they are most of a transformer's function
    /// work: softmax and GELU). The centre `x` is read to nearest at the
    /// working precision and `R` is the radius plus what that reading moved
    /// it, so the ball lies in `[x − R, x + R]`; MPFR's correctly rounded
    /// `f(x)` and its neighbour on the side of the exact value (which the
    /// ternary result names; none when exact) enclose `f(x)`. Then, for
    /// `|ξ − x| <= R <= 1/4`:
    /// - `exp(ξ)` lies in `exp(x)·[1 − R, 1 + R + R²]` (`e^−R >= 1 − R`, and
    ///   `e^R <= 1 + R + R²` for `R <= 1`);
    /// - `|tanh(ξ) − tanh(x)| <= R·L` with `L` the least of three bounds of
    ///   `tanh' = 1 − tanh²` on the interval: 1; when the interval keeps the
    ///   sign of `x`, `(1 − |tanh x|)·e^{2R}·min(2, 1 + |tanh x| + R)`
    ///   (`log(1 − |tanh|)` has slope between −2 and −1 there, and
    ///   `1 − tanh² = (1 − |tanh|)(1 + |tanh|)`; with `e^{2R} <= 1 + 2R +
    ///   4R²`), which keeps the saturated tails
    ///   (`tanh(−89) = −1 + 4.3·10^-78`) as narrow as the two ends would; and
    ///   `1 − (|tanh x| − R)²` (`tanh` is 1-Lipschitz), tight elsewhere.
    /// Every step rounds outward. A point (`R = 0`) gets exactly the two
    /// directed roundings of `f(x)`, as before. Nil (then the ends are used)
    /// for a wide ball or a non-finite value.
    private func centredBound(_ op: MPFRUnaryOp, _ center: DoubleDouble, radius: Double) -> (Ball, Bool)? {
        MPFRConfiguration.prepareCurrentThread()
        let x = lower.prepared(precision: precision)
        let spread = upper.prepared(precision: precision)
        _ = mpfr_set_d(x, center.hi, MPFR_RNDN)  // exact: the precision is at least 53 bits
        let moved = mpfr_add_d(x, x, center.lo, MPFR_RNDN)
        _ = mpfr_set_d(spread, radius, MPFR_RNDU)
        if moved != 0 {
            // Reading to nearest moved the centre by at most half a unit of x.
            let unit = work.prepared(precision: precision)
            _ = mpfr_set_ui_2exp(unit, 1, mpfr_get_exp(x) - mpfr_exp_t(precision), MPFR_RNDU)
            _ = mpfr_add(spread, spread, unit, MPFR_RNDU)
        }
        guard mpfr_number_p(x) != 0, mpfr_number_p(spread) != 0, mpfr_cmp_d(spread, 0.25) <= 0 else { return nil }
        let lo = resultLow.prepared(precision: precision)
        let hi = resultHigh.prepared(precision: precision)
        let inexact = op == .exp ? mpfr_exp(lo, x, MPFR_RNDN) : mpfr_tanh(lo, x, MPFR_RNDN)
        guard mpfr_number_p(lo) != 0 else { return nil }
        _ = mpfr_set(hi, lo, MPFR_RNDN)
        if inexact < 0 {
            mpfr_nextabove(hi)
        } else if inexact > 0 {
            mpfr_nextbelow(lo)
        }
        if mpfr_zero_p(spread) == 0 {
            let k = work.prepared(precision: precision)
            if op == .exp {
                _ = mpfr_ui_sub(k, 1, spread, MPFR_RNDD)
                _ = mpfr_mul(lo, lo, k, MPFR_RNDD)
                _ = mpfr_mul(k, spread, spread, MPFR_RNDU)
                _ = mpfr_add(k, k, spread, MPFR_RNDU)
                _ = mpfr_add_ui(k, k, 1, MPFR_RNDU)
                _ = mpfr_mul(hi, hi, k, MPFR_RNDU)
            } else {
                _ = mpfr_set_ui(k, 1, MPFR_RNDN)
                if mpfr_cmpabs(x, spread) > 0 {
                    // (1 − |tanh x|)·(1 + 2R(1 + 2R)), every step rounded up ...
                    let tail = work2.prepared(precision: precision)
                    if fpa_sgn(x) > 0 {
                        _ = mpfr_ui_sub(tail, 1, lo, MPFR_RNDU)
                    } else {
                        _ = mpfr_add_ui(tail, hi, 1, MPFR_RNDU)
                    }
                    let growth = work3.prepared(precision: precision)
                    _ = mpfr_mul_2ui(growth, spread, 1, MPFR_RNDU)
                    _ = mpfr_add_ui(k, growth, 1, MPFR_RNDU)
                    _ = mpfr_mul(growth, growth, k, MPFR_RNDU)
                    _ = mpfr_add_ui(growth, growth, 1, MPFR_RNDU)
                    _ = mpfr_mul(tail, tail, growth, MPFR_RNDU)
                    // ... times 1 + |tanh ξ| <= min(2, 1 + |tanh x| + R).
                    _ = mpfr_abs(growth, fpa_sgn(x) > 0 ? hi : lo, MPFR_RNDU)
                    _ = mpfr_add(growth, growth, spread, MPFR_RNDU)
                    _ = mpfr_add_ui(growth, growth, 1, MPFR_RNDU)
                    _ = mpfr_set_ui(k, 2, MPFR_RNDN)
                    _ = mpfr_min(growth, growth, k, MPFR_RNDU)
                    _ = mpfr_mul(tail, tail, growth, MPFR_RNDU)
                    _ = mpfr_set_ui(k, 1, MPFR_RNDN)
                    _ = mpfr_min(k, k, tail, MPFR_RNDU)
                    // 1 − (|tanh x| − R)², as |tanh| >= |tanh x| − R on the interval (tight near zero).
                    if fpa_sgn(x) > 0 {
                        _ = mpfr_sub(growth, lo, spread, MPFR_RNDD)
                    } else {
                        _ = mpfr_add(growth, hi, spread, MPFR_RNDU)
                        _ = mpfr_neg(growth, growth, MPFR_RNDD)
                    }
                    if fpa_sgn(growth) > 0 {
                        _ = mpfr_ui_sub(tail, 1, growth, MPFR_RNDU)
                        _ = mpfr_add_ui(growth, growth, 1, MPFR_RNDU)
                        _ = mpfr_mul(tail, tail, growth, MPFR_RNDU)
                        _ = mpfr_min(k, k, tail, MPFR_RNDU)
                    }
                }
                _ = mpfr_mul(k, k, spread, MPFR_RNDU)
                _ = mpfr_sub(lo, lo, k, MPFR_RNDD)
                _ = mpfr_add(hi, hi, k, MPFR_RNDU)
                if mpfr_cmp_si_2exp(lo, -1, 0) < 0 { _ = mpfr_set_si(lo, -1, MPFR_RNDN) }
                if mpfr_cmp_si_2exp(hi, 1, 0) > 0 { _ = mpfr_set_si(hi, 1, MPFR_RNDN) }
            }
        }
        guard let result = ball(lo, hi) else { return nil }
        return (result, isPrecisionBound(lo, hi))
    }

    /// True when `hi − lo` is at most 8 units in the last place of the larger
    /// end at the working precision (more precision would narrow it).
    private func isPrecisionBound(
        _ lo: UnsafeMutablePointer<__mpfr_struct>, _ hi: UnsafeMutablePointer<__mpfr_struct>
    ) -> Bool {
        if mpfr_equal_p(lo, hi) != 0 { return false }
        let w = work2.prepared(precision: 64)
        _ = mpfr_sub(w, hi, lo, MPFR_RNDU)
        if mpfr_zero_p(lo) != 0 && mpfr_zero_p(hi) != 0 { return false }
        let scale = max(
            mpfr_zero_p(lo) != 0 ? Int.min : Int(mpfr_get_exp(lo)),
            mpfr_zero_p(hi) != 0 ? Int.min : Int(mpfr_get_exp(hi)))
        return Int(mpfr_get_exp(w)) <= scale - precision + 3
    }

    /// Bounds of `x^y` (`pow`) over two balls at ``startPrecision``: at the
    /// four corners when every base is positive (`pow` is monotone in each
    /// operand there), at the ends and at zero for an exact integer exponent;
    /// nil otherwise.
    public func power(_ x: DoubleDouble, _ rx: Double, _ y: DoubleDouble, _ ry: Double) -> Ball? {
        precision = startPrecision
        let (xa, xb) = setEnds(x, rx)
        let (ya, yb) = setEnds(y, ry, into: work, work2)
        let lo = resultLow.prepared(precision: precision)
        let hi = resultHigh.prepared(precision: precision)
        var bases = [xa, xb]
        var exponents = [ya, yb]
        if fpa_sgn(xa) > 0 && mpfr_number_p(xa) != 0 {
            // Corners.
        } else if mpfr_equal_p(ya, yb) != 0 && mpfr_integer_p(ya) != 0 {
            let negative = fpa_sgn(ya) < 0
            let straddles = fpa_sgn(xa) <= 0 && fpa_sgn(xb) >= 0
            if negative && straddles { return nil }
            exponents = [ya]
            if straddles {
                let zero = work2.prepared(precision: precision)
                mpfr_set_zero(zero, 1)
                bases.append(zero)
            }
        } else {
            return nil
        }
        let scratch = MPFRScratchValue()
        let t = scratch.prepared(precision: precision)
        var first = true
        for base in bases {
            for exponent in exponents {
                _ = mpfr_pow(t, base, exponent, MPFR_RNDD)
                if mpfr_nan_p(t) != 0 { return nil }
                if first || mpfr_less_p(t, lo) != 0 { _ = mpfr_set(lo, t, MPFR_RNDD) }
                _ = mpfr_pow(t, base, exponent, MPFR_RNDU)
                if first || mpfr_greater_p(t, hi) != 0 { _ = mpfr_set(hi, t, MPFR_RNDU) }
                first = false
            }
        }
        return ball(lo, hi)
    }

    /// Bounds of `atan2(y, x)` at two binary64 points, at ``startPrecision``.
    public func atan2(_ y: Double, _ x: Double) -> Ball? {
        precision = startPrecision
        MPFRConfiguration.prepareCurrentThread()
        let a = lower.prepared(precision: precision)
        let b = upper.prepared(precision: precision)
        _ = mpfr_set_d(a, y, MPFR_RNDN)
        _ = mpfr_set_d(b, x, MPFR_RNDN)
        let lo = resultLow.prepared(precision: precision)
        let hi = resultHigh.prepared(precision: precision)
        _ = mpfr_atan2(lo, a, b, MPFR_RNDD)
        _ = mpfr_atan2(hi, a, b, MPFR_RNDU)
        return ball(lo, hi)
    }

    /// `1 / (1 + e^−x)` rounded down (`down`) or up, by rounding each step the
    /// way that keeps the bound.
    private func logisticBound(
        _ y: UnsafeMutablePointer<__mpfr_struct>, _ x: UnsafeMutablePointer<__mpfr_struct>, down: Bool
    ) {
        let t = work.prepared(precision: precision)
        _ = mpfr_neg(t, x, MPFR_RNDN)  // exact
        _ = mpfr_exp(t, t, down ? MPFR_RNDU : MPFR_RNDD)
        _ = mpfr_add_ui(t, t, 1, down ? MPFR_RNDU : MPFR_RNDD)
        _ = mpfr_ui_div(y, 1, t, down ? MPFR_RNDD : MPFR_RNDU)
    }

    /// `f(m) ± R` for a function with `|f'| <= 1` and values in [−1, 1], where
    /// `m` is the middle of `[a, b]` and `R` its distance to the farther end.
    private func lipschitzBound(
        _ f: MPFRUnaryFunction, _ a: UnsafeMutablePointer<__mpfr_struct>, _ b: UnsafeMutablePointer<__mpfr_struct>,
        _ lo: UnsafeMutablePointer<__mpfr_struct>, _ hi: UnsafeMutablePointer<__mpfr_struct>
    ) {
        if mpfr_equal_p(a, b) != 0 {
            _ = f(lo, a, MPFR_RNDD)
            _ = f(hi, a, MPFR_RNDU)
            return
        }
        let m = work.prepared(precision: precision)
        let r = work2.prepared(precision: precision)
        _ = mpfr_add(m, a, b, MPFR_RNDN)
        _ = mpfr_div_2ui(m, m, 1, MPFR_RNDN)
        _ = mpfr_sub(r, b, m, MPFR_RNDU)
        _ = mpfr_sub(lo, m, a, MPFR_RNDU)
        _ = mpfr_max(r, r, lo, MPFR_RNDU)
        _ = f(lo, m, MPFR_RNDD)
        _ = mpfr_sub(lo, lo, r, MPFR_RNDD)
        _ = f(hi, m, MPFR_RNDU)
        _ = mpfr_add(hi, hi, r, MPFR_RNDU)
        if mpfr_cmp_si_2exp(lo, -1, 0) < 0 { _ = mpfr_set_si(lo, -1, MPFR_RNDN) }
        if mpfr_cmp_si_2exp(hi, 1, 0) > 0 { _ = mpfr_set_si(hi, 1, MPFR_RNDN) }
    }

    /// A ball holding the real number decimal `text` denotes (a constant's
    /// literal): its ends read with MPFR rounding down and up at
    /// ``startPrecision`` bits; nil when `text` is not decimal or the value
    /// is beyond binary64's range.
    public func decimal(_ text: String) -> Ball? {
        let a = lower.prepared(precision: startPrecision)
        let b = upper.prepared(precision: startPrecision)
        guard MPFRDecimal.read(text, into: a, MPFR_RNDD), MPFRDecimal.read(text, into: b, MPFR_RNDU) else {
            return nil
        }
        precision = startPrecision
        return ball(a, b)
    }

    /// The ball holding `[lo, hi]`: its centre the nearest double-double to
    /// the middle, its radius the distance to the farther end rounded up;
    /// nil when an end is NaN or infinite, or the ball leaves binary64's range.
    private func ball(
        _ lo: UnsafeMutablePointer<__mpfr_struct>, _ hi: UnsafeMutablePointer<__mpfr_struct>
    ) -> Ball? {
        guard mpfr_number_p(lo) != 0, mpfr_number_p(hi) != 0, mpfr_lessequal_p(lo, hi) != 0 else { return nil }
        let m = work.prepared(precision: precision + 2)
        _ = mpfr_add(m, lo, hi, MPFR_RNDN)
        _ = mpfr_div_2ui(m, m, 1, MPFR_RNDN)
        let h = mpfr_get_d(m, MPFR_RNDN)
        _ = mpfr_sub_d(m, m, h, MPFR_RNDN)
        let l = mpfr_get_d(m, MPFR_RNDN)
        guard h.isFinite, l.isFinite else { return nil }
        // radius = max(hi − (h + l), (h + l) − lo), every step rounded up.
        let r1 = work2.prepared(precision: precision)
        _ = mpfr_sub_d(r1, hi, h, MPFR_RNDU)
        _ = mpfr_sub_d(r1, r1, l, MPFR_RNDU)
        let r2 = work.prepared(precision: precision)
        _ = mpfr_d_sub(r2, h, lo, MPFR_RNDU)
        _ = mpfr_add_d(r2, r2, l, MPFR_RNDU)
        _ = mpfr_max(r1, r1, r2, MPFR_RNDU)
        let radius = mpfr_get_d(r1, MPFR_RNDU)
        guard radius.isFinite else { return nil }
        // Zero results keep the sign MPFR gave them (sqrt(−0) = −0).
        let center =
            h == 0 && l == 0 && mpfr_zero_p(lo) != 0 && mpfr_equal_p(lo, hi) != 0
            ? DoubleDouble(mpfr_signbit(lo) != 0 ? -0.0 : 0.0, 0) : DoubleDouble(h, l)
        let sign: Int8 = fpa_sgn(lo) > 0 ? 1 : (fpa_sgn(hi) < 0 ? -1 : 0)
        return (center, Swift.max(radius, 0), sign)
    }
}
