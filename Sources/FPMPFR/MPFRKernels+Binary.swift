internal import CMPFR

extension MPFRKernels {
    /// `y[i] = op(a[i * aStride], b[i * bStride])` for `i` in `0..<count`,
    /// rounded to nearest at `y`'s precision.
    ///
    /// - Precondition: strides are 0 or 1, the buffers are large enough, and
    ///   `y` is not a broadcast (stride 0) operand when `count > 1`.
    public static func binary(
        _ op: MPFRBinaryOp,
        _ a: MPFRBuffer, aStride: Int,
        _ b: MPFRBuffer, bStride: Int,
        into y: MPFRBuffer, count: Int
    ) {
        checkDestination(y, count: count)
        checkOperand(a, stride: aStride, count: count, destination: y)
        checkOperand(b, stride: bStride, count: count, destination: y)
        guard count > 0 else { return }
        MPFRConfiguration.prepareCurrentThread()
        let avs = UnsafePointer(a.values)
        let bvs = UnsafePointer(b.values)
        let ys = y.values
        switch op {
        case .maximum:
            for i in 0..<count { maximum(ys + i, avs + i &* aStride, bvs + i &* bStride) }
        case .minimum:
            for i in 0..<count { minimum(ys + i, avs + i &* aStride, bvs + i &* bStride) }
        default:
            let f = mpfrFunction(op)
            for i in 0..<count { _ = f(ys + i, avs + i &* aStride, bvs + i &* bStride, MPFR_RNDN) }
        }
        withExtendedLifetime((a, b, y)) {}
    }

    /// `y[yi] = op(a[ai], b[bi])`, rounded to nearest at `y`'s precision.
    ///
    /// The building block of reduction and dot loops: a dot product is a
    /// `.multiply` followed by an `.add`, each rounded (no fused multiply-add).
    public static func binary(
        _ op: MPFRBinaryOp, _ a: MPFRBuffer, _ ai: Int,
        _ b: MPFRBuffer, _ bi: Int, into y: MPFRBuffer, _ yi: Int
    ) {
        MPFRConfiguration.prepareCurrentThread()
        let lhs = UnsafePointer(a.element(ai))
        let rhs = UnsafePointer(b.element(bi))
        let target = y.element(yi)
        switch op {
        case .maximum: maximum(target, lhs, rhs)
        case .minimum: minimum(target, lhs, rhs)
        default: _ = mpfrFunction(op)(target, lhs, rhs, MPFR_RNDN)
        }
        withExtendedLifetime((a, b, y)) {}
    }

    /// The MPFR function implementing `op` directly (`maximum`/`minimum`
    /// need NaN propagation and map to a trap).
    static func mpfrFunction(_ op: MPFRBinaryOp) -> MPFRBinaryFunction {
        switch op {
        case .add: mpfr_add
        case .subtract: mpfr_sub
        case .multiply: mpfr_mul
        case .divide: mpfr_div
        case .remainder: mpfr_fmod
        case .power: mpfr_pow
        case .atan2: mpfr_atan2
        case .maximum, .minimum: { _, _, _, _ in preconditionFailure("no direct MPFR function") }
        }
    }

    /// NaN-propagating maximum; `mpfr_max` returns +0 for (−0, +0).
    @inline(__always)
    static func maximum(
        _ y: UnsafeMutablePointer<__mpfr_struct>,
        _ a: UnsafePointer<__mpfr_struct>, _ b: UnsafePointer<__mpfr_struct>
    ) {
        if mpfr_nan_p(a) != 0 || mpfr_nan_p(b) != 0 {
            mpfr_set_nan(y)
        } else {
            _ = mpfr_max(y, a, b, MPFR_RNDN)
        }
    }

    /// NaN-propagating minimum; `mpfr_min` returns −0 for (−0, +0).
    @inline(__always)
    static func minimum(
        _ y: UnsafeMutablePointer<__mpfr_struct>,
        _ a: UnsafePointer<__mpfr_struct>, _ b: UnsafePointer<__mpfr_struct>
    ) {
        if mpfr_nan_p(a) != 0 || mpfr_nan_p(b) != 0 {
            mpfr_set_nan(y)
        } else {
            _ = mpfr_min(y, a, b, MPFR_RNDN)
        }
    }
}
