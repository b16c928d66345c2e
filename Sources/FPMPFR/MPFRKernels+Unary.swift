internal import CMPFR

extension MPFRKernels {
    /// `y[i] = op(x[i * xStride])` for `i` in `0..<count`, rounded to nearest
    /// at `y`'s precision.
    ///
    /// - Precondition: `xStride` is 0 or 1, the buffers are large enough, and
    ///   `y` is not `x` when `xStride == 0` and `count > 1`.
    public static func unary(
        _ op: MPFRUnaryOp, _ x: MPFRBuffer, xStride: Int,
        into y: MPFRBuffer, count: Int
    ) {
        checkDestination(y, count: count)
        checkOperand(x, stride: xStride, count: count, destination: y)
        guard count > 0 else { return }
        MPFRConfiguration.prepareCurrentThread()
        let xs = UnsafePointer(x.values)
        let ys = y.values
        switch op {
        case .sign:
            for i in 0..<count { sign(ys + i, xs + i &* xStride) }
        case .logistic:
            let scratch = MPFRThreadScratch.current
            for i in 0..<count { logistic(ys + i, xs + i &* xStride, scratch: scratch) }
        case .floor, .ceil, .roundNearestEven, .roundNearestAfz:
            let (f, rounding) = integerRounding(op, destinationPrecision: y.precision, operandPrecision: x.precision)
            for i in 0..<count { _ = f(ys + i, xs + i &* xStride, rounding) }
        default:
            let f = mpfrFunction(op)
            for i in 0..<count { _ = f(ys + i, xs + i &* xStride, MPFR_RNDN) }
        }
        withExtendedLifetime((x, y)) {}
    }

    /// `y[yi] = op(x[xi])`, rounded to nearest at `y`'s precision.
    public static func unary(
        _ op: MPFRUnaryOp, _ x: MPFRBuffer, _ xi: Int,
        into y: MPFRBuffer, _ yi: Int
    ) {
        MPFRConfiguration.prepareCurrentThread()
        let source = UnsafePointer(x.element(xi))
        let target = y.element(yi)
        switch op {
        case .sign: sign(target, source)
        case .logistic: logistic(target, source, scratch: MPFRThreadScratch.current)
        case .floor, .ceil, .roundNearestEven, .roundNearestAfz:
            let (f, rounding) = integerRounding(op, destinationPrecision: y.precision, operandPrecision: x.precision)
            _ = f(target, source, rounding)
        default: _ = mpfrFunction(op)(target, source, MPFR_RNDN)
        }
        withExtendedLifetime((x, y)) {}
    }

    /// The MPFR function implementing `op` with `MPFR_RNDN` (`sign`,
    /// `logistic` and the integer roundings are dispatched separately; they
    /// map to a trap here).
    static func mpfrFunction(_ op: MPFRUnaryOp) -> MPFRUnaryFunction {
        switch op {
        case .neg: mpfr_neg
        case .abs: mpfr_abs
        case .exp: mpfr_exp
        case .expm1: mpfr_expm1
        case .log: mpfr_log
        case .log1p: mpfr_log1p
        case .sqrt: mpfr_sqrt
        case .rsqrt: mpfr_rec_sqrt
        case .cbrt: mpfr_cbrt
        case .tanh: mpfr_tanh
        case .sin: mpfr_sin
        case .cos: mpfr_cos
        case .tan: mpfr_tan
        case .erf: mpfr_erf
        case .atan: mpfr_atan
        case .sinh: mpfr_sinh
        case .cosh: mpfr_cosh
        case .asin: mpfr_asin
        case .acos: mpfr_acos
        case .asinh: mpfr_asinh
        case .acosh: mpfr_acosh
        case .atanh: mpfr_atanh
        case .sign, .logistic, .floor, .ceil, .roundNearestEven, .roundNearestAfz:
            { _, _, _ in preconditionFailure("no direct MPFR function for this op") }
        }
    }

    /// The function and rounding mode computing floor/ceil/roundNearestEven
    /// with the integer rounding done first and the rounding to the
    /// destination precision second.
    ///
    /// When the destination is at least as precise as the operand the integer
    /// is representable, so `mpfr_rint` with a directed (or nearest-even) mode
    /// is exact and allocation-free. Otherwise the `mpfr_rint_*` functions do
    /// the two steps (they allocate a temporary inside MPFR).
    @inline(__always)
    static func integerRounding(
        _ op: MPFRUnaryOp, destinationPrecision: Int,
        operandPrecision: Int
    ) -> (MPFRUnaryFunction, mpfr_rnd_t) {
        let exact = destinationPrecision >= operandPrecision
        switch op {
        case .floor: return exact ? (mpfr_rint, MPFR_RNDD) : (mpfr_rint_floor, MPFR_RNDN)
        case .ceil: return exact ? (mpfr_rint, MPFR_RNDU) : (mpfr_rint_ceil, MPFR_RNDN)
        // No rounding mode of mpfr_rint rounds ties away from zero; mpfr_rint_round does.
        case .roundNearestAfz: return (mpfr_rint_round, MPFR_RNDN)
        default: return exact ? (mpfr_rint, MPFR_RNDN) : (mpfr_rint_roundeven, MPFR_RNDN)
        }
    }

    /// sign(x): −1/+1 for nonzero x, the signed zero itself for ±0, NaN for NaN.
    @inline(__always)
    static func sign(_ y: UnsafeMutablePointer<__mpfr_struct>, _ x: UnsafePointer<__mpfr_struct>) {
        if mpfr_nan_p(x) != 0 {
            mpfr_set_nan(y)
        } else if mpfr_zero_p(x) != 0 {
            mpfr_set_zero(y, mpfr_signbit(x) != 0 ? -1 : 1)
        } else {
            _ = mpfr_set_si(y, mpfr_signbit(x) != 0 ? -1 : 1, MPFR_RNDN)
        }
    }
}
