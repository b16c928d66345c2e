internal import CMPFR
internal import CMPFRShims

extension MPFRKernels {
    /// Guard bits of logistic's first working precision; doubled on each
    /// retry of the Ziv loop.
    static let logisticInitialGuardBits = 32
    /// Number of working precisions tried before accepting the last
    /// approximation (32, 64, …, 1024 guard bits).
    static let logisticMaximumAttempts = 6

    /// `y = 1 / (1 + exp(-x))`, rounded to nearest at `y`'s precision `p`.
    ///
    /// With working precision `w = p + g` and unit roundoff `u = 2^-w`, each of
    /// the three steps `e = exp(-x)`, `s = 1 + e`, `t = 1 / s` adds a relative
    /// error of at most `u` (the error of `e` is damped in `1 + e` because
    /// `e / (1 + e) < 1`), so `|t - logistic(x)| < 4u·|logistic(x)| <
    /// 2^(EXP(t) - w + 3)`. `mpfr_can_round(t, w - 3, …)` then certifies that
    /// rounding `t` to `p` bits gives the correctly rounded result; otherwise
    /// the guard bits are doubled (Ziv's strategy). The operand is negated
    /// exactly into scratch at its own precision. If `exp(-x)` overflows
    /// MPFR's widest exponent range (x < about -3.2e18) the result is +0.
    static func logistic(
        _ y: UnsafeMutablePointer<__mpfr_struct>,
        _ x: UnsafePointer<__mpfr_struct>,
        scratch: MPFRThreadScratch
    ) {
        if mpfr_nan_p(x) != 0 {
            mpfr_set_nan(y)
            return
        }
        if mpfr_inf_p(x) != 0 {
            if mpfr_signbit(x) != 0 { mpfr_set_zero(y, 1) } else { _ = mpfr_set_ui(y, 1, MPFR_RNDN) }
            return
        }
        if mpfr_zero_p(x) != 0 {
            _ = mpfr_set_d(y, 0.5, MPFR_RNDN)
            return
        }
        let negated = scratch.negatedOperand.prepared(precision: Int(fpa_get_prec(x)))
        _ = mpfr_neg(negated, x, MPFR_RNDN)  // exact: same precision

        let p = Int(fpa_get_prec(y))
        var guardBits = logisticInitialGuardBits
        for attempt in 1...logisticMaximumAttempts {
            let w = p + guardBits
            let t = scratch.logistic.prepared(precision: w)
            _ = mpfr_exp(t, negated, MPFR_RNDN)
            _ = mpfr_add_ui(t, t, 1, MPFR_RNDN)
            _ = mpfr_ui_div(t, 1, t, MPFR_RNDN)
            if mpfr_zero_p(t) != 0 {
                mpfr_set_zero(y, 1)
                return
            }
            if attempt == logisticMaximumAttempts
                || mpfr_can_round(t, mpfr_exp_t(w - 3), MPFR_RNDN, MPFR_RNDN, mpfr_prec_t(p)) != 0
            {
                _ = mpfr_set(y, t, MPFR_RNDN)
                return
            }
            guardBits *= 2
        }
    }
}
