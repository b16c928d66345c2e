import FPGraph
import FPMPFR
import FPNumerics
import RealModule

/// The elementwise ops of one operand (every ``FPGraph/UnaryOp``): `y[i] = op(x[i])`.
/// `copy` aliases its operand; `is-finite` writes pred; float operands go to
/// the domain's ``RealDomain/unary(_:dtype:_:xStride:into:count:)`` (whose
/// per-op semantics, IEEE and MPFR, are below), integer ones to
/// ``IntegerKernels/unary(_:_:into:dtype:)``.
struct UnaryKernel: NodeKernel {
    let op: UnaryOp

    func ownsStorage<D: RealDomain>(_ node: NodeContext<D>) -> Bool { op != .copy }

    func evaluate<D: RealDomain>(_ node: NodeContext<D>) throws -> Value<D.Buffer> {
        let x = try node.operand(0)
        if op == .copy { return x }
        let y = try node.storage()
        let type = try node.resultType()
        guard let xType = node.operandTypes().first ?? nil else { throw node.missing() }
        let count = type.elementCount
        if op == .isFinite {
            let xs = x.real
            let out = y.integer
            for i in 0..<count { out.values[i] = node.domain.isFinite(xs, i) ? 1 : 0 }
        } else if xType.dtype.isFloatingPoint {
            node.domain.unary(op, dtype: type.dtype, x.real, xStride: 1, into: y.real, count: count)
        } else {
            IntegerKernels.unary(op, x.integer.values, into: &y.integer.values, dtype: type.dtype)
        }
        return y
    }
}

// MARK: - IEEE semantics

extension IEEEDomain {
    /// `y[i] = op(x[i * xStride])`, rounded as ``IEEEDomain`` describes: f64 ops on
    /// `Double`, the others on `Float` with the result rounded once to `dtype`'s
    /// format (every op on `Double` in double mode). When flushing subnormals, a
    /// subnormal operand or result in the compute type becomes a zero of its sign.
    public func unary(_ op: UnaryOp, dtype: DType, _ x: IEEEBuffer, xStride: Int, into y: IEEEBuffer, count: Int) {
        let xs = x.values
        let ys = y.values
        switch (computeFormat(dtype), flushesSubnormals) {
        case (.f64, false):
            let f = Self.unaryDouble(op)
            for i in 0..<count { ys[i] = f(xs[i &* xStride]) }
        case (.f64, true):
            let f = Self.unaryDouble(op)
            for i in 0..<count { ys[i] = flushed(f(flushed(xs[i &* xStride]))) }
        case (let format, false):
            let f = Self.unaryFloat(op)
            for i in 0..<count { ys[i] = format.roundFromFloat(f(Float(xs[i &* xStride]))) }
        case (let format, true):
            let f = Self.unaryFloat(op)
            for i in 0..<count { ys[i] = format.roundFromFloat(flushed(f(flushed(Float(xs[i &* xStride]))))) }
        }
    }

    static func unaryDouble(_ op: UnaryOp) -> (Double) -> Double { unaryFunction(op) }
    static func unaryFloat(_ op: UnaryOp) -> (Float) -> Float { unaryFunction(op) }

    /// The elementwise semantics of `op` on `T`. Transcendentals come from the
    /// platform libm through swift-numerics (`Float.exp` is `expf`, ...).
    static func unaryFunction<T: LibmFloat>(_ op: UnaryOp) -> (T) -> T {
        switch op {
        case .neg: return { -$0 }
        case .abs: return { Swift.abs($0) }
        case .sign: return signum
        case .exp: return { T.exp($0) }
        case .expm1: return { T.expMinusOne($0) }
        case .log: return { T.log($0) }
        case .log1p: return { T.log(onePlus: $0) }
        case .sqrt: return { $0.squareRoot() }
        case .rsqrt: return { 1 / $0.squareRoot() }
        case .cbrt: return { T.root($0, 3) }
        case .tanh: return { T.tanh($0) }
        case .logistic: return { 1 / (1 + T.exp(-$0)) }
        case .sin: return { T.sin($0) }
        case .cos: return { T.cos($0) }
        case .tan: return { T.tan($0) }
        case .erf: return { T.erf($0) }
        case .floor: return { $0.rounded(.down) }
        case .ceil: return { $0.rounded(.up) }
        case .roundNearestEven: return { $0.rounded(.toNearestOrEven) }
        case .roundNearestAfz: return { $0.rounded(.toNearestOrAwayFromZero) }
        case .atan: return { T.atan($0) }
        case .sinh: return { T.sinh($0) }
        case .cosh: return { T.cosh($0) }
        case .asin: return { T.asin($0) }
        case .acos: return { T.acos($0) }
        case .asinh: return { T.asinh($0) }
        case .acosh: return { T.acosh($0) }
        case .atanh: return { T.atanh($0) }
        case .copy: return { $0 }
        case .isFinite, .not, .popcnt, .clz: return { _ in .nan }  // never reached: integer-only or handled apart
        }
    }
}

/// -1, +1, or the zero/NaN itself (so sign(-0) = -0 and sign(NaN) = NaN).
@inline(__always)
func signum<T: BinaryFloatingPoint>(_ x: T) -> T {
    if x > 0 { return 1 }
    if x < 0 { return -1 }
    return x
}

// MARK: - MPFR semantics

extension MPFRDomain {
    /// `y[i] = op(x[i * xStride])`, correctly rounded to nearest at the working
    /// precision (`logistic` may be 1 ulp off in cases too close to call);
    /// `dtype` is not used. `rsqrt(-0)` is -inf, as in the IEEE evaluator.
    /// An op with no float meaning (`not`, `popcnt`, ...; type checking
    /// refuses them on floats) gives NaN, as in the IEEE evaluator.
    public func unary(_ op: UnaryOp, dtype: DType, _ x: MPFRBuffer, xStride: Int, into y: MPFRBuffer, count: Int) {
        guard let mpfrOp = Self.mpfrOp(op) else {
            for i in 0..<count { y.setNaN(i) }
            return
        }
        MPFRKernels.unary(mpfrOp, x, xStride: xStride, into: y, count: count)
        if op == .rsqrt {
            // mpfr_rec_sqrt(-0) is +inf; 1/sqrt(-0) (IEEE 754 rSqrt, and the IEEE evaluator) is -inf.
            for i in 0..<count where x.isZero(i * xStride) && x.signBit(i * xStride) { y.set(i, -Double.infinity) }
        }
    }

    /// The MPFR kernel of `op`; nil for the ops with no float kernel.
    static func mpfrOp(_ op: UnaryOp) -> MPFRUnaryOp? {
        switch op {
        case .neg: return .neg
        case .abs: return .abs
        case .sign: return .sign
        case .exp: return .exp
        case .expm1: return .expm1
        case .log: return .log
        case .log1p: return .log1p
        case .sqrt: return .sqrt
        case .rsqrt: return .rsqrt
        case .cbrt: return .cbrt
        case .tanh: return .tanh
        case .logistic: return .logistic
        case .sin: return .sin
        case .cos: return .cos
        case .tan: return .tan
        case .erf: return .erf
        case .floor: return .floor
        case .ceil: return .ceil
        case .roundNearestEven: return .roundNearestEven
        case .roundNearestAfz: return .roundNearestAfz
        case .atan: return .atan
        case .sinh: return .sinh
        case .cosh: return .cosh
        case .asin: return .asin
        case .acos: return .acos
        case .asinh: return .asinh
        case .acosh: return .acosh
        case .atanh: return .atanh
        case .isFinite, .not, .copy, .popcnt, .clz: return nil
        }
    }
}

// MARK: - Interval semantics

extension IntervalDomain {
    /// `y[i] = op(x[i * xStride])` as a binary64 interval holding the exact
    /// result: exact and monotone ops on the bounds (`neg`, `abs`, `floor`,
    /// ...), `sqrt` and `rsqrt` rounded outward exactly, libm functions on the
    /// ends of their monotone pieces widened by ``libmRelativeError`` and
    /// clipped to their range, `sin` and `cos` by their Lipschitz bound, `tan`
    /// on points only. A function outside its domain on part of an interval,
    /// or `tan` on a wider interval, records ``undecided``.
    public func unary(
        _ op: UnaryOp, dtype: DType, _ x: IntervalBuffer, xStride: Int, into y: IntervalBuffer, count: Int
    ) {
        let f = IEEEDomain.unaryDouble(op)
        for i in 0..<count {
            let j = i &* xStride
            let (l, h) = unaryBounds(op, f, x.lo[j], x.hi[j])
            y.set(i, l, h)
        }
    }

    /// The bounds of `op` over `[l, h]`; `f` is its binary64 libm function.
    @inline(__always)
    func unaryBounds(_ op: UnaryOp, _ f: (Double) -> Double, _ l: Double, _ h: Double) -> (Double, Double) {
        if l.isNaN { return (l, l) }
        switch op {
        case .neg: return (-h, -l)
        case .abs:
            if l.sign == .plus { return (l, h) }
            if h.sign == .minus { return (-h, -l) }
            return (0, Swift.max(-l, h))
        case .sign:
            if l.bitPattern == h.bitPattern { return (signum(l), signum(l)) }
            if l > 0 { return (1, 1) }
            if h < 0 { return (-1, -1) }
            return (-1, 1)
        case .floor, .ceil, .roundNearestEven, .roundNearestAfz:
            return (f(l), f(h))
        case .sqrt:
            return domainChecked(l, h, DirectedRounding.squareRootDown(l), DirectedRounding.squareRootUp(h))
        case .rsqrt:
            // A wider interval reaching zero holds both signs of zero: rsqrt(±0) = ±∞.
            if l <= 0 && l.bitPattern != h.bitPattern && h >= 0 {
                giveUp()
                return (-.infinity, .infinity)
            }
            let upper = DirectedRounding.divideUp(1, DirectedRounding.squareRootDown(l))
            let lower = DirectedRounding.divideDown(1, DirectedRounding.squareRootUp(h))
            return domainChecked(l, h, lower, upper)
        case .exp, .expm1, .log, .log1p, .cbrt, .tanh, .erf, .atan, .asinh, .sinh, .atanh, .asin, .acosh:
            // A point takes one libm call for both bounds.
            let (vl, vh) =
                l.bitPattern == h.bitPattern
                ? {
                    let v = f(l)
                    return (v, v)
                }() : (f(l), f(h))
            return domainChecked(l, h, clipped(op, libmDown(f, l, value: vl)), clipped(op, libmUp(f, h, value: vh)))
        case .acos:
            return domainChecked(l, h, libmDown(f, h), libmUp(f, l))
        case .logistic:
            // 1 / (1 + exp(-x)), increasing; each step rounded outward.
            let e = IEEEDomain.unaryDouble(.exp)
            let lower = DirectedRounding.divideDown(1, DirectedRounding.addUp(1, libmUp(e, -l)))
            let upper = DirectedRounding.divideUp(1, DirectedRounding.addDown(1, Swift.max(0, libmDown(e, -h))))
            return (Swift.max(0, lower), Swift.min(1, upper))
        case .cosh:
            if l.sign == .plus { return (Swift.max(1, libmDown(f, l)), libmUp(f, h)) }
            if h.sign == .minus { return (Swift.max(1, libmDown(f, h)), libmUp(f, l)) }
            return (1, Swift.max(libmUp(f, l), libmUp(f, h)))
        case .sin, .cos:
            if !l.isFinite || !h.isFinite {
                // sin(±∞) and cos(±∞) are NaN.
                if l.bitPattern != h.bitPattern { giveUp() }
                return (.nan, .nan)
            }
            if l.bitPattern == h.bitPattern {
                return (Swift.max(-1, libmDown(f, l)), Swift.min(1, libmUp(f, l)))
            }
            // |f'| <= 1: f(m) +- the distance from m to the farther end.
            let m = l / 2 + h / 2
            let r = Swift.max(DirectedRounding.addUp(h, -m), DirectedRounding.addUp(m, -l))
            guard r < 2 else { return (-1, 1) }
            let v = f(m)
            return (
                Swift.max(-1, DirectedRounding.addDown(libmDown(f, m, value: v), -r)),
                Swift.min(1, DirectedRounding.addUp(libmUp(f, m, value: v), r))
            )
        case .tan:
            if l.bitPattern != h.bitPattern { giveUp() }
            return (libmDown(f, l), libmUp(f, l))
        case .isFinite, .not, .popcnt, .clz, .copy:
            giveUp()  // never reached on floats: handled by the kernel or refused by type checking
            return (.nan, .nan)
        }
    }

    /// `(lower, upper)` when both are numbers; when a bound is NaN (part of the
    /// interval outside the function's domain) a point interval is NaN exactly,
    /// and anything wider records ``undecided``.
    @inline(__always)
    func domainChecked(_ l: Double, _ h: Double, _ lower: Double, _ upper: Double) -> (Double, Double) {
        if lower.isNaN || upper.isNaN {
            if l.bitPattern != h.bitPattern { giveUp() }
            return (.nan, .nan)
        }
        return (lower, upper)
    }

    /// Clips a bound of an increasing libm function to the function's range.
    @inline(__always)
    func clipped(_ op: UnaryOp, _ v: Double) -> Double {
        switch op {
        case .exp: return Swift.max(0, v)
        case .expm1: return Swift.max(-1, v)
        case .tanh, .erf: return Swift.min(1, Swift.max(-1, v))
        default: return v
        }
    }

    /// A lower bound of the exact `f(x)` from the libm value `f(x)`: exact when
    /// `x` is a zero, an infinity or NaN and the value one of the exact special
    /// results C's Annex F gives them (±0, ±1, ±∞, NaN); otherwise widened.
    @inline(__always)
    func libmDown(_ f: (Double) -> Double, _ x: Double, value: Double? = nil) -> Double {
        let v = value ?? f(x)
        if Self.isExactSpecial(x, v) { return v }
        return DirectedRounding.widenedDown(v, relative: Self.libmRelativeError)
    }

    /// An upper bound of the exact `f(x)`; see ``libmDown(_:_:value:)``.
    @inline(__always)
    func libmUp(_ f: (Double) -> Double, _ x: Double, value: Double? = nil) -> Double {
        let v = value ?? f(x)
        if Self.isExactSpecial(x, v) { return v }
        return DirectedRounding.widenedUp(v, relative: Self.libmRelativeError)
    }

    @inline(__always)
    static func isExactSpecial(_ x: Double, _ v: Double) -> Bool {
        (x == 0 || !x.isFinite) && (v == 0 || !v.isFinite || Swift.abs(v) == 1)
    }
}

// MARK: - Integer semantics

extension IntegerKernels {
    /// `y[i] = op(x[i])` on integers or pred, wrapped to `dtype`; the float-only
    /// ops (refused on integers by type checking) and `copy` are the identity.
    static func unary(_ op: UnaryOp, _ x: [Int64], into y: inout [Int64], dtype: DType) {
        for i in x.indices {
            let v = x[i]
            switch op {
            case .neg: y[i] = dtype.wrap(0 &- v)
            case .abs: y[i] = dtype.isUnsigned ? v : dtype.wrap(v < 0 ? 0 &- v : v)
            case .sign: y[i] = dtype.isUnsigned ? (v != 0 ? 1 : 0) : (v > 0 ? 1 : (v < 0 ? -1 : 0))
            case .not: y[i] = dtype == .pred ? (v == 0 ? 1 : 0) : dtype.wrap(~v)
            case .popcnt: y[i] = Int64(bits(v, dtype).nonzeroBitCount)
            case .clz: y[i] = Int64(bits(v, dtype).leadingZeroBitCount - (64 - width(dtype)))
            case .copy, .isFinite, .exp, .expm1, .log, .log1p, .sqrt, .rsqrt, .cbrt, .tanh, .logistic, .sin, .cos,
                .tan, .erf, .floor, .ceil, .atan, .sinh, .cosh, .asin, .acos, .asinh, .acosh, .atanh,
                .roundNearestEven, .roundNearestAfz:
                y[i] = v
            }
        }
    }
}

// MARK: - Ball semantics

extension BallDomain {
    /// `y[i] = op(x[i * xStride])` as a double-double ball holding the exact
    /// result: `neg` and `abs` exact on the ball, `sign` decided when the
    /// ball excludes zero, every other function bounded over the whole ball by
    /// MPFR with directed rounding (``FPMPFR/MPFRRangeBounds``). Zeros,
    /// infinities and NaN (points) take the exact special values C's Annex F
    /// gives them. A ball the bound cannot cover (part of it outside the
    /// function's domain, a result beyond binary64's range) records ``undecided``.
    public func unary(_ op: UnaryOp, dtype: DType, _ x: BallBuffer, xStride: Int, into y: BallBuffer, count: Int) {
        for i in 0..<count {
            let j = i &* xStride
            let (c, r, sign) = unaryBall(op, x, j)
            y.set(i, c, r, origin: newOrigin())
            y.sign[i] = sign
        }
    }

    /// The ball of `op(x[j])`, and its exact real's sign when known across zero.
    func unaryBall(_ op: UnaryOp, _ x: BallBuffer, _ j: Int) -> MPFRRangeBounds.Ball {
        let (c, r) = (x.center(j), x.radius[j])
        switch op {
        case .neg:
            return (-c, r, -x.sign[j])
        case .abs:
            return (c.hi.sign == .minus ? -c : c, r, x.knownSign(j) != 0 ? 1 : 0)
        case .sign:
            if c.hi.isNaN || c.hi == 0 && r == 0 { return (DoubleDouble(c.hi), 0, 0) }
            let s = x.knownSign(j)
            if s != 0 { return (DoubleDouble(Double(s)), 0, 0) }
            giveUp()
            return (DoubleDouble(0), 1, 0)
        case .isFinite, .not, .popcnt, .clz, .copy:
            giveUp()  // never reached on floats: handled by the kernel or refused by type checking
            return (DoubleDouble(.nan), 0, 0)
        default:
            if r == 0 && (c.hi == 0 || !c.hi.isFinite) {
                let v = IEEEDomain.unaryDouble(op)(c.hi)
                if IntervalDomain.isExactSpecial(c.hi, v) { return (DoubleDouble(v), 0, 0) }
            }
            guard c.hi.isFinite, let f = MPFRDomain.mpfrOp(op), let ball = functions.unary(f, c, radius: r) else {
                giveUp()
                return (DoubleDouble(.nan), 0, 0)
            }
            return ball
        }
    }
}
