import FPGraph
import FPMPFR
import FPNumerics
import RealModule

/// The elementwise ops of two operands (every ``FPGraph/BinaryOp``):
/// `y[i] = op(a[i], b[i])`, a scalar operand broadcast. Float operands go to
/// the domain's ``RealDomain/binary(_:dtype:_:aStride:_:bStride:into:count:)``
/// (whose per-op semantics, IEEE and MPFR, are below), integer ones to
/// ``IntegerKernels/apply(_:_:_:dtype:)``, also used by reductions, dots
/// and clamps.
struct BinaryKernel: NodeKernel {
    let op: BinaryOp

    func ownsStorage<D: RealDomain>(_ node: NodeContext<D>) -> Bool { true }

    func evaluate<D: RealDomain>(_ node: NodeContext<D>) throws -> Value<D.Buffer> {
        let y = try node.storage()
        let (a, b) = try node.operandPair()
        let types = try node.arrayOperandTypes()
        let type = try node.resultType()
        guard types.count == 2 else { throw node.missing() }
        let count = type.elementCount
        let (sa, sb) = (node.runner.stride(types[0], count), node.runner.stride(types[1], count))
        if type.dtype.isFloatingPoint {
            node.domain.binary(
                op, dtype: type.dtype, a.real, aStride: sa, b.real, bStride: sb,
                into: y.real, count: count)
        } else {
            IntegerKernels.binary(
                op, a.integer.values, sa, b.integer.values, sb,
                into: &y.integer.values, count: count, dtype: type.dtype)
        }
        return y
    }
}

// MARK: - IEEE semantics

extension IEEEDomain {
    /// `y[i] = op(a[i * aStride], b[i * bStride])`, rounded and flushed as in
    /// ``unary(_:dtype:_:xStride:into:count:)``; strides are 0 (scalar operand) or 1.
    public func binary(
        _ op: BinaryOp, dtype: DType, _ a: IEEEBuffer, aStride: Int, _ b: IEEEBuffer, bStride: Int,
        into y: IEEEBuffer, count: Int
    ) {
        let format = computeFormat(dtype)
        if flushesSubnormals {
            if format == .f64 {
                let f = Self.binaryDouble(op)
                Self.loop(a, aStride, b, bStride, y, count) { flushed(f(flushed($0), flushed($1))) }
            } else {
                let f = Self.binaryFloat(op)
                Self.loop(a, aStride, b, bStride, y, count) {
                    format.roundFromFloat(flushed(f(flushed(Float($0)), flushed(Float($1)))))
                }
            }
            return
        }
        // The four basic operations get loops of their own so the compiler can
        // vectorise them; the rest go through one function value.
        switch format {
        case .f64:
            switch op {
            case .add: Self.loop(a, aStride, b, bStride, y, count) { $0 + $1 }
            case .subtract: Self.loop(a, aStride, b, bStride, y, count) { $0 - $1 }
            case .multiply: Self.loop(a, aStride, b, bStride, y, count) { $0 * $1 }
            case .divide: Self.loop(a, aStride, b, bStride, y, count) { $0 / $1 }
            case .remainder, .power, .maximum, .minimum, .atan2, .and, .or, .xor, .shiftLeft, .shiftRightLogical,
                .shiftRightArithmetic:
                let f = Self.binaryDouble(op)
                Self.loop(a, aStride, b, bStride, y, count, f)
            }
        case .f32:
            switch op {
            case .add: Self.loop(a, aStride, b, bStride, y, count) { Double(Float($0) + Float($1)) }
            case .subtract: Self.loop(a, aStride, b, bStride, y, count) { Double(Float($0) - Float($1)) }
            case .multiply: Self.loop(a, aStride, b, bStride, y, count) { Double(Float($0) * Float($1)) }
            case .divide: Self.loop(a, aStride, b, bStride, y, count) { Double(Float($0) / Float($1)) }
            case .remainder, .power, .maximum, .minimum, .atan2, .and, .or, .xor, .shiftLeft, .shiftRightLogical,
                .shiftRightArithmetic:
                let f = Self.binaryFloat(op)
                Self.loop(a, aStride, b, bStride, y, count) { format.roundFromFloat(f(Float($0), Float($1))) }
            }
        case let format:
            let f = Self.binaryFloat(op)
            Self.loop(a, aStride, b, bStride, y, count) { format.roundFromFloat(f(Float($0), Float($1))) }
        }
    }

    /// `y[yi] = op(a[ai], b[bi])`, one step of a reduction or a dot product, rounded
    /// and flushed as in ``binary(_:dtype:_:aStride:_:bStride:into:count:)``.
    public func binaryElement(
        _ op: BinaryOp, dtype: DType, _ a: IEEEBuffer, _ ai: Int, _ b: IEEEBuffer, _ bi: Int,
        into y: IEEEBuffer, _ yi: Int
    ) {
        let u = a.values[ai]
        let v = b.values[bi]
        if flushesSubnormals {
            switch computeFormat(dtype) {
            case .f64: y.values[yi] = flushed(Self.binaryDouble(op)(flushed(u), flushed(v)))
            case let format:
                y.values[yi] = format.roundFromFloat(
                    flushed(Self.binaryFloat(op)(flushed(Float(u)), flushed(Float(v)))))
            }
            return
        }
        switch computeFormat(dtype) {
        case .f64:
            switch op {
            case .add: y.values[yi] = u + v
            case .multiply: y.values[yi] = u * v
            case .subtract, .divide, .remainder, .power, .maximum, .minimum, .atan2, .and, .or, .xor, .shiftLeft,
                .shiftRightLogical, .shiftRightArithmetic:
                y.values[yi] = Self.binaryDouble(op)(u, v)
            }
        case .f32:
            switch op {
            case .add: y.values[yi] = Double(Float(u) + Float(v))
            case .multiply: y.values[yi] = Double(Float(u) * Float(v))
            case .subtract, .divide, .remainder, .power, .maximum, .minimum, .atan2, .and, .or, .xor, .shiftLeft,
                .shiftRightLogical, .shiftRightArithmetic:
                y.values[yi] = Double(Self.binaryFloat(op)(Float(u), Float(v)))
            }
        case let format:
            y.values[yi] = format.roundFromFloat(Self.binaryFloat(op)(Float(u), Float(v)))
        }
    }

    @inline(__always)
    static func loop(
        _ a: IEEEBuffer, _ aStride: Int, _ b: IEEEBuffer, _ bStride: Int, _ y: IEEEBuffer, _ count: Int,
        _ f: (Double, Double) -> Double
    ) {
        let xs = a.values
        let zs = b.values
        let ys = y.values
        if aStride == 1 && bStride == 1 {
            for i in 0..<count { ys[i] = f(xs[i], zs[i]) }
        } else {
            for i in 0..<count { ys[i] = f(xs[i &* aStride], zs[i &* bStride]) }
        }
    }

    static func binaryDouble(_ op: BinaryOp) -> (Double, Double) -> Double { binaryFunction(op) }
    static func binaryFloat(_ op: BinaryOp) -> (Float, Float) -> Float { binaryFunction(op) }

    /// The elementwise semantics of `op` on `T` (`pow` and `fmod` from the C library).
    static func binaryFunction<T: LibmFloat>(_ op: BinaryOp) -> (T, T) -> T {
        switch op {
        case .add: return { $0 + $1 }
        case .subtract: return { $0 - $1 }
        case .multiply: return { $0 * $1 }
        case .divide: return { $0 / $1 }
        case .remainder: return { T.cRemainder($0, $1) }
        case .power: return { T.cPower($0, $1) }
        case .maximum: return maximum
        case .minimum: return minimum
        case .atan2: return { T.atan2(y: $0, x: $1) }
        case .and, .or, .xor, .shiftLeft, .shiftRightLogical, .shiftRightArithmetic:
            return { _, _ in .nan }  // never reached: logical and shift ops are integer-only
        }
    }
}

/// XLA's maximum: NaN if either operand is NaN; +0 is greater than -0.
@inline(__always)
func maximum<T: BinaryFloatingPoint>(_ a: T, _ b: T) -> T {
    if a.isNaN || b.isNaN { return .nan }
    if a == b { return a.sign == .minus ? b : a }
    return a > b ? a : b
}

/// XLA's minimum: NaN if either operand is NaN; -0 is less than +0.
@inline(__always)
func minimum<T: BinaryFloatingPoint>(_ a: T, _ b: T) -> T {
    if a.isNaN || b.isNaN { return .nan }
    if a == b { return a.sign == .minus ? a : b }
    return a < b ? a : b
}

// MARK: - MPFR semantics

extension MPFRDomain {
    /// `y[i] = op(a[i * aStride], b[i * bStride])`, correctly rounded to nearest at
    /// the working precision; `dtype` is not used. A logical or shift op (type
    /// checking refuses them on floats) gives NaN, as in the IEEE evaluator.
    public func binary(
        _ op: BinaryOp, dtype: DType, _ a: MPFRBuffer, aStride: Int, _ b: MPFRBuffer, bStride: Int,
        into y: MPFRBuffer, count: Int
    ) {
        guard let mpfrOp = Self.mpfrOp(op) else {
            for i in 0..<count { y.setNaN(i) }
            return
        }
        MPFRKernels.binary(mpfrOp, a, aStride: aStride, b, bStride: bStride, into: y, count: count)
    }

    /// `y[yi] = op(a[ai], b[bi])`, correctly rounded to nearest at the working
    /// precision: one step of a reduction or a dot product.
    public func binaryElement(
        _ op: BinaryOp, dtype: DType, _ a: MPFRBuffer, _ ai: Int, _ b: MPFRBuffer, _ bi: Int,
        into y: MPFRBuffer, _ yi: Int
    ) {
        guard let mpfrOp = Self.mpfrOp(op) else {
            y.setNaN(yi)
            return
        }
        MPFRKernels.binary(mpfrOp, a, ai, b, bi, into: y, yi)
    }

    /// The MPFR kernel of `op`; nil for the integer-only ops.
    static func mpfrOp(_ op: BinaryOp) -> MPFRBinaryOp? {
        switch op {
        case .add: return .add
        case .subtract: return .subtract
        case .multiply: return .multiply
        case .divide: return .divide
        case .remainder: return .remainder
        case .power: return .power
        case .maximum: return .maximum
        case .minimum: return .minimum
        case .atan2: return .atan2
        case .and, .or, .xor, .shiftLeft, .shiftRightLogical, .shiftRightArithmetic: return nil
        }
    }
}

// MARK: - Interval semantics

extension IntervalDomain {
    /// `y[i] = op(a[i * aStride], b[i * bStride])` as a binary64 interval holding
    /// the exact result: `+ − × ÷` rounded outward exactly over the bounds,
    /// `maximum`/`minimum` on the bounds, `remainder` (exact in binary64) and
    /// `atan2` on points, `power` on points or over positive bases (monotone in
    /// each operand) or integer exponents. What an interval cannot bound (a
    /// divisor interval holding zero, a NaN from wide operands, `remainder` or
    /// `atan2` on wider intervals) records ``undecided``.
    public func binary(
        _ op: BinaryOp, dtype: DType, _ a: IntervalBuffer, aStride: Int, _ b: IntervalBuffer, bStride: Int,
        into y: IntervalBuffer, count: Int
    ) {
        switch op {
        case .add:
            for i in 0..<count {
                let (j, k) = (i &* aStride, i &* bStride)
                let (al, ah, bl, bh) = (a.lo[j], a.hi[j], b.lo[k], b.hi[k])
                let l = DirectedRounding.addDown(al, bl)
                let h = DirectedRounding.addUp(ah, bh)
                if l.isNaN || h.isNaN {
                    nanResult(al, ah, bl, bh, y, i)
                } else {
                    y.set(i, l, h)
                }
            }
        default:
            for i in 0..<count { binaryElement(op, dtype: dtype, a, i &* aStride, b, i &* bStride, into: y, i) }
        }
    }

    /// One step of a reduction or a dot product, as ``binary(_:dtype:_:aStride:_:bStride:into:count:)``.
    public func binaryElement(
        _ op: BinaryOp, dtype: DType, _ a: IntervalBuffer, _ ai: Int, _ b: IntervalBuffer, _ bi: Int,
        into y: IntervalBuffer, _ yi: Int
    ) {
        let (al, ah, bl, bh) = (a.lo[ai], a.hi[ai], b.lo[bi], b.hi[bi])
        let points = a.isPoint(ai) && b.isPoint(bi)
        var l: Double
        var h: Double
        switch op {
        case .add:
            (l, h) = (DirectedRounding.addDown(al, bl), DirectedRounding.addUp(ah, bh))
        case .subtract:
            (l, h) = (DirectedRounding.addDown(al, -bh), DirectedRounding.addUp(ah, -bl))
        case .multiply:
            (l, h) = Self.productBounds(al, ah, bl, bh)
        case .divide:
            if points {
                (l, h) = (DirectedRounding.divideDown(al, bl), DirectedRounding.divideUp(al, bl))
            } else if let bounds = Self.quotientBounds(al, ah, bl, bh) {
                (l, h) = bounds
            } else if bl > 0 || bh < 0 {
                (l, h) = Self.corners(al, ah, bl, bh, DirectedRounding.divideDown, DirectedRounding.divideUp)
            } else if b.isPoint(bi) && (al > 0 || ah < 0) {
                // A nonzero numerator over an exact zero: an infinity of a known sign.
                (l, h) = (al / bl, al / bl)
            } else {
                giveUp()
                (l, h) = (-.infinity, .infinity)
            }
        case .maximum:
            (l, h) = (maximum(al, bl), maximum(ah, bh))
        case .minimum:
            (l, h) = (minimum(al, bl), minimum(ah, bh))
        case .remainder:
            // fmod's result is exact in binary64.
            if !points { giveUp() }
            let r = IEEEDomain.binaryDouble(.remainder)(al, bl)
            (l, h) = (r, r)
        case .atan2:
            if !points { giveUp() }
            let f = IEEEDomain.binaryDouble(.atan2)
            let v = f(al, bl)
            if (al == 0 || !al.isFinite) && (bl == 0 || !bl.isFinite) && (v == 0 || v.isNaN) {
                (l, h) = (v, v)
            } else {
                (l, h) = (
                    DirectedRounding.widenedDown(v, relative: Self.libmRelativeError),
                    DirectedRounding.widenedUp(v, relative: Self.libmRelativeError)
                )
            }
        case .power:
            (l, h) = powerBounds(al, ah, bl, bh, points: points)
        case .and, .or, .xor, .shiftLeft, .shiftRightLogical, .shiftRightArithmetic:
            giveUp()  // never reached: type checking keeps these on integers
            (l, h) = (.nan, .nan)
        }
        if l.isNaN || h.isNaN {
            nanResult(al, ah, bl, bh, y, yi)
        } else {
            y.set(yi, l, h)
        }
    }

    /// The outward-rounded bounds of `[al, ah] × [bl, bh]` (NaN bounds when a
    /// corner is NaN; the caller judges them). Points take one product;
    /// nonnegative intervals, or a wide interval times a number (an
    /// activation times a weight), two; anything else the four corners.
    @inline(__always)
    static func productBounds(_ al: Double, _ ah: Double, _ bl: Double, _ bh: Double) -> (Double, Double) {
        let (aPoint, bPoint) = (al.bitPattern == ah.bitPattern, bl.bitPattern == bh.bitPattern)
        if aPoint && bPoint {
            return (DirectedRounding.multiplyDown(al, bl), DirectedRounding.multiplyUp(al, bl))
        }
        if al >= 0 && bl >= 0 {
            return (DirectedRounding.multiplyDown(al, bl), DirectedRounding.multiplyUp(ah, bh))
        }
        if bPoint && bl.isFinite {
            return bl.sign == .plus
                ? (DirectedRounding.multiplyDown(al, bl), DirectedRounding.multiplyUp(ah, bl))
                : (DirectedRounding.multiplyDown(ah, bl), DirectedRounding.multiplyUp(al, bl))
        }
        if aPoint && al.isFinite {
            return al.sign == .plus
                ? (DirectedRounding.multiplyDown(al, bl), DirectedRounding.multiplyUp(al, bh))
                : (DirectedRounding.multiplyDown(al, bh), DirectedRounding.multiplyUp(al, bl))
        }
        return corners(al, ah, bl, bh, DirectedRounding.multiplyDown, DirectedRounding.multiplyUp)
    }

    /// The outward-rounded bounds of `[al, ah] ÷ [bl, bh]` from the two corners
    /// where the exact extremes lie, when every bound is finite, the divisor
    /// has one sign, and no corner comes near the magnitudes where
    /// ``FPNumerics/DirectedRounding`` widens blindly; nil otherwise. There
    /// the directed quotients are monotone in the exact quotient, so these two
    /// equal the four-corner bounds of ``corners(_:_:_:_:_:_:)`` bit for bit,
    /// at a quarter of the divisions.
    @inline(__always)
    static func quotientBounds(_ al: Double, _ ah: Double, _ bl: Double, _ bh: Double) -> (Double, Double)? {
        guard al.isFinite, ah.isFinite, bl.isFinite, bh.isFinite, bl > 0 || bh < 0 else { return nil }
        // Every corner's numerator, and quotient, at least 2^-959 in magnitude.
        let (numerator, divisor) = (Swift.min(Swift.abs(al), Swift.abs(ah)), Swift.max(Swift.abs(bl), Swift.abs(bh)))
        guard numerator >= 0x1p-959, numerator >= divisor * 0x1p-959 else { return nil }
        if bl > 0 {
            return (
                DirectedRounding.divideDown(al, al >= 0 ? bh : bl), DirectedRounding.divideUp(ah, ah >= 0 ? bl : bh)
            )
        }
        return (DirectedRounding.divideDown(ah, ah >= 0 ? bh : bl), DirectedRounding.divideUp(al, al >= 0 ? bl : bh))
    }

    /// The least of `down` and the greatest of `up` over the four corners of
    /// `[al, ah] × [bl, bh]`; NaN when any corner is NaN (`0 × ∞`, `∞ / ∞`).
    @inline(__always)
    static func corners(
        _ al: Double, _ ah: Double, _ bl: Double, _ bh: Double, _ down: (Double, Double) -> Double,
        _ up: (Double, Double) -> Double
    ) -> (Double, Double) {
        let (d1, d2, d3, d4) = (down(al, bl), down(al, bh), down(ah, bl), down(ah, bh))
        let (u1, u2, u3, u4) = (up(al, bl), up(al, bh), up(ah, bl), up(ah, bh))
        if d1.isNaN || d2.isNaN || d3.isNaN || d4.isNaN || u1.isNaN || u2.isNaN || u3.isNaN || u4.isNaN {
            return (.nan, .nan)
        }
        return (Swift.min(Swift.min(d1, d2), Swift.min(d3, d4)), Swift.max(Swift.max(u1, u2), Swift.max(u3, u4)))
    }

    /// A NaN bound: exact when both operands are points (IEEE's NaN of
    /// `∞ − ∞`, `0 × ∞`, NaN operands); otherwise the bounds say nothing.
    /// Takes the operands' bounds as read before `y` is written: `y` may be
    /// an operand (a reduction's accumulator), and judging it after the
    /// write would take the NaN for a NaN operand and call the NaN exact.
    private func nanResult(_ al: Double, _ ah: Double, _ bl: Double, _ bh: Double, _ y: IntervalBuffer, _ yi: Int) {
        let points = al.bitPattern == ah.bitPattern && bl.bitPattern == bh.bitPattern
        if !points && !al.isNaN && !bl.isNaN { giveUp() }
        y.set(yi, .nan, .nan)
    }

    /// Bounds of `x^y` (C's `pow`). Points: the libm value widened, exact for
    /// the results C fixes exactly (`y = 0`, `x = 1`, `y = 1`, special
    /// operands giving ±0, ±1, ±∞). Positive bases: `pow` is monotone in each
    /// operand, so the extremes are at the corners. Other bases with an
    /// integer exponent: the extremes are at the ends or at zero.
    private func powerBounds(_ al: Double, _ ah: Double, _ bl: Double, _ bh: Double, points: Bool) -> (Double, Double) {
        let f = IEEEDomain.binaryDouble(.power)
        func down(_ x: Double, _ y: Double) -> Double {
            let v = f(x, y)
            if Self.isExactPower(x, y, v) { return v }
            return DirectedRounding.widenedDown(v, relative: Self.libmRelativeError)
        }
        func up(_ x: Double, _ y: Double) -> Double {
            let v = f(x, y)
            if Self.isExactPower(x, y, v) { return v }
            return DirectedRounding.widenedUp(v, relative: Self.libmRelativeError)
        }
        if points { return (down(al, bl), up(al, bl)) }
        var lows = [down(al, bl), down(ah, bh)]
        var highs = [up(al, bl), up(ah, bh)]
        if al > 0 {
            lows += [down(al, bh), down(ah, bl)]
            highs += [up(al, bh), up(ah, bl)]
            return (Swift.max(0, lows.min()!), highs.max()!)
        }
        let integerExponent = bl.bitPattern == bh.bitPattern && bl.rounded() == bl && Swift.abs(bl) < 0x1p53
        if integerExponent && (bl >= 0 || al > 0 || ah < 0) {
            if al <= 0 && ah >= 0 {
                lows.append(down(0, bl))
                highs.append(up(0, bl))
            }
            let (l, h) = (lows.min()!, highs.max()!)
            if !l.isNaN && !h.isNaN { return (l, h) }
        }
        giveUp()
        return (-.infinity, .infinity)
    }

    private static func isExactPower(_ x: Double, _ y: Double, _ v: Double) -> Bool {
        if y == 0 || x == 1 || (y == 1 && v == x) { return true }
        return (x == 0 || !x.isFinite || !y.isFinite) && (v == 0 || !v.isFinite || Swift.abs(v) == 1)
    }
}

// MARK: - Integer semantics

extension IntegerKernels {
    static func binary(
        _ op: BinaryOp, _ a: [Int64], _ sa: Int, _ b: [Int64], _ sb: Int, into y: inout [Int64],
        count: Int, dtype: DType
    ) {
        for i in 0..<count {
            y[i] = apply(op, a[i * sa], b[i * sb], dtype: dtype)
        }
    }

    /// One integer operation. Division by zero gives -1 (all ones, so the
    /// largest value of an unsigned dtype) and remainder by zero the dividend
    /// (XLA's defined behaviour); `MIN / -1` wraps to `MIN` and `MIN % -1` is 0.
    /// `u64` elements are read as unsigned (see ``DType``).
    static func apply(_ op: BinaryOp, _ u: Int64, _ v: Int64, dtype: DType) -> Int64 {
        let unsigned = dtype.isUnsigned
        if dtype == .u64, let r = applyU64(op, UInt64(bitPattern: u), UInt64(bitPattern: v)) {
            return Int64(bitPattern: r)
        }
        switch op {
        case .add: return dtype.wrap(u &+ v)
        case .subtract: return dtype.wrap(u &- v)
        case .multiply: return dtype.wrap(u &* v)
        case .divide:
            if v == 0 { return dtype.wrap(-1) }
            if v == -1 { return dtype.wrap(0 &- u) }
            return dtype.wrap(u / v)
        case .remainder:
            if v == 0 { return u }
            if v == -1 { return 0 }
            return dtype.wrap(u % v)
        case .power:
            return dtype.wrap(
                unsigned ? Int64(bitPattern: powerUnsigned(UInt64(bitPattern: u), UInt64(bitPattern: v))) : power(u, v))
        case .maximum: return Swift.max(u, v)
        case .minimum: return Swift.min(u, v)
        case .and: return u & v
        case .or: return u | v
        case .xor: return unsigned && dtype == .pred ? (u ^ v) & 1 : dtype.wrap(u ^ v)
        case .atan2: return 0
        case .shiftLeft: return shift(.left, u, v, dtype: dtype)
        case .shiftRightLogical: return shift(.rightLogical, u, v, dtype: dtype)
        case .shiftRightArithmetic: return shift(.rightArithmetic, u, v, dtype: dtype)
        }
    }

    /// The `u64` operations whose result depends on signedness; nil for the
    /// rest, which act on the bit pattern as for `s64`.
    static func applyU64(_ op: BinaryOp, _ u: UInt64, _ v: UInt64) -> UInt64? {
        switch op {
        case .divide: return v == 0 ? UInt64.max : u / v
        case .remainder: return v == 0 ? u : u % v
        case .maximum: return Swift.max(u, v)
        case .minimum: return Swift.min(u, v)
        case .power: return powerUnsigned(u, v)
        case .add, .subtract, .multiply, .atan2, .and, .or, .xor, .shiftLeft, .shiftRightLogical,
            .shiftRightArithmetic:
            return nil
        }
    }

    /// The three shifts.
    enum ShiftKind {
        /// `shift-left`.
        case left
        /// `shift-right-logical`.
        case rightLogical
        /// `shift-right-arithmetic`.
        case rightArithmetic
    }

    /// XLA's shifts: the amount is read as an unsigned number, so a negative
    /// amount is as out of range as one of at least the width.
    static func shift(_ kind: ShiftKind, _ u: Int64, _ v: Int64, dtype: DType) -> Int64 {
        let w = width(dtype)
        let amount = bits(v, dtype)
        let pattern = bits(u, dtype)
        let inRange = amount < UInt64(w)
        switch kind {
        case .left:
            return inRange ? dtype.wrap(Int64(bitPattern: pattern << amount)) : 0
        case .rightLogical:
            return inRange ? dtype.wrap(Int64(bitPattern: pattern >> amount)) : 0
        case .rightArithmetic:
            // Sign-extend the width's top bit, then shift arithmetically.
            let signed = Int64(bitPattern: pattern << UInt64(64 - w)) >> Int64(64 - w)
            return dtype.wrap(inRange ? signed >> Int64(amount) : (signed < 0 ? -1 : 0))
        }
    }

    /// Integer power by repeated squaring (wrapping); a negative exponent gives
    /// 0 except for bases 1 and -1.
    static func power(_ base: Int64, _ exponent: Int64) -> Int64 {
        if exponent < 0 {
            if base == 1 { return 1 }
            if base == -1 { return exponent % 2 == 0 ? 1 : -1 }
            return 0
        }
        // wrapping products have the same bits signed or unsigned
        return Int64(bitPattern: powerUnsigned(UInt64(bitPattern: base), UInt64(exponent)))
    }

    /// Integer power of unsigned operands by repeated squaring (wrapping modulo 2^64).
    static func powerUnsigned(_ base: UInt64, _ exponent: UInt64) -> UInt64 {
        var result: UInt64 = 1
        var b = base
        var e = exponent
        while e > 0 {
            if e & 1 == 1 { result = result &* b }
            b = b &* b
            e >>= 1
        }
        return result
    }

}

// MARK: - Ball semantics

extension BallDomain {
    /// `y[i] = op(a[i * aStride], b[i * bStride])` as a double-double ball
    /// holding the exact result (see ``BallDomain`` for `+ − × ÷`):
    /// `maximum`/`minimum` pick the greater (lesser) ball, widened when the
    /// two overlap; `power` is bounded by MPFR over the balls (positive bases,
    /// or integer exponents); `remainder` and `atan2` on binary64 points. Operands
    /// that are NaN or infinite follow IEEE 754 on the centres when the
    /// result does not depend on more than the sign of a finite ball. What a
    /// ball cannot bound (a divisor ball holding zero, an overflow) records
    /// ``undecided``.
    public func binary(
        _ op: BinaryOp, dtype: DType, _ a: BallBuffer, aStride: Int, _ b: BallBuffer, bStride: Int,
        into y: BallBuffer, count: Int
    ) {
        for i in 0..<count { binaryElement(op, dtype: dtype, a, i &* aStride, b, i &* bStride, into: y, i) }
    }

    /// One step of a reduction or a dot product, as ``binary(_:dtype:_:aStride:_:bStride:into:count:)``.
    public func binaryElement(
        _ op: BinaryOp, dtype: DType, _ a: BallBuffer, _ ai: Int, _ b: BallBuffer, _ bi: Int,
        into y: BallBuffer, _ yi: Int
    ) {
        let v = binaryBall(op, a, ai, b, bi)
        // The sign is read from the operands before `y` is written: `y` may be
        // one of them (a reduction's accumulator).
        let sign = BallBuffer.straddlesZero(hi: v.center.hi, radius: v.radius) ? signAcrossZero(op, a, ai, b, bi) : 0
        store(v, into: y, yi)
        if sign != 0 { y.sign[yi] = sign }
    }

    /// The ball of `op(a[ai], b[bi])`, with the origin of the operand it equals
    /// (0 for a new real).
    @inline(__always)
    func binaryBall(_ op: BinaryOp, _ a: BallBuffer, _ ai: Int, _ b: BallBuffer, _ bi: Int) -> BallValue {
        let (ah, bh) = (a.hi[ai], b.hi[bi])
        if !ah.isFinite || !bh.isFinite { return nonFinite(op, a, ai, b, bi) }
        switch op {
        case .add:
            return new(sum(a.center(ai), a.radius[ai], b.center(bi), b.radius[bi]))
        case .subtract:
            // x − x of one real is +0 exactly (round to nearest), as in MPFR.
            if a.sameReal(ai, b, bi) { return (DoubleDouble(0), 0, 0) }
            return new(sum(a.center(ai), a.radius[ai], -b.center(bi), b.radius[bi]))
        case .multiply:
            return new(product(a, ai, b, bi))
        case .divide:
            if b.isPoint(bi) && bh == 0 { return nonFinite(op, a, ai, b, bi) }
            return new(quotient(a, ai, b, bi))
        case .maximum, .minimum:
            if a.sameReal(ai, b, bi) { return (a.center(ai), a.radius[ai], a.origin[ai]) }
            let sign: Double = op == .maximum ? 1 : -1
            let (ca, cb) = op == .maximum ? (a.center(ai), b.center(bi)) : (-a.center(ai), -b.center(bi))
            let (c, r, pickedA) = extremum(ca, a.radius[ai], cb, b.radius[bi], a.isPoint(ai) && b.isPoint(bi))
            let center = sign < 0 ? -c : c
            // The pick is the extremum's real only when the balls are separated (or points).
            guard let s = order(a, ai, b, bi), s != 0 || a.isPoint(ai) && b.isPoint(bi) else { return (center, r, 0) }
            return (center, r, pickedA ? a.origin[ai] : b.origin[bi])
        case .remainder:
            // fmod is exact in binary64.
            if a.isDoublePoint(ai) && b.isDoublePoint(bi) {
                return (DoubleDouble(IEEEDomain.binaryDouble(.remainder)(ah, bh)), 0, 0)
            }
        case .atan2:
            if a.isDoublePoint(ai) && b.isDoublePoint(bi) {
                if ah == 0 && bh == 0 || ah == 0 && bh > 0 {
                    return (DoubleDouble(IEEEDomain.binaryDouble(.atan2)(ah, bh)), 0, 0)  // ±0 exactly
                }
                if let ball = functions.atan2(ah, bh) { return (ball.center, ball.radius, 0) }
            }
        case .power:
            if b.isPoint(bi) && bh == 0 { return (DoubleDouble(1), 0, 0) }
            if a.isDoublePoint(ai) && ah == 1 { return (DoubleDouble(1), 0, 0) }
            if let ball = functions.power(a.center(ai), a.radius[ai], b.center(bi), b.radius[bi]) {
                return (ball.center, ball.radius, 0)
            }
        case .and, .or, .xor, .shiftLeft, .shiftRightLogical, .shiftRightArithmetic:
            break  // never reached: type checking keeps these on integers
        }
        giveUp()
        return (DoubleDouble(.nan), 0, 0)
    }

    /// The sign of `op(a, b)`'s exact real from its operands' known signs, for
    /// a result ball that reaches across zero (a product or quotient of a tiny
    /// positive and a positive stays positive); 0 when they do not say.
    @inline(__always)
    func signAcrossZero(_ op: BinaryOp, _ a: BallBuffer, _ ai: Int, _ b: BallBuffer, _ bi: Int) -> Int8 {
        let (sa, sb) = (a.knownSign(ai), b.knownSign(bi))
        switch op {
        case .multiply, .divide: return sa * sb
        case .add: return sa == sb ? sa : 0
        case .subtract: return sa == -sb ? sa : 0
        default: return 0
        }
    }

    /// A computed ball: a new real.
    @inline(__always)
    func new(_ ball: (DoubleDouble, Double)) -> BallValue { (ball.0, ball.1, 0) }

    /// `ca + cb` for balls `(ca, ra)`, `(cb, rb)`: exact by TwoSum on two
    /// binary64 points, or on two points whose double-double sum is exact
    /// (``FPNumerics/DoubleDouble/exactnessCheckedSum(_:_:)``), otherwise the double-double sum with the radii and its
    /// error bound (relative to the operands as well, which also covers a
    /// cancelling sum).
    @inline(__always)
    func sum(_ ca: DoubleDouble, _ ra: Double, _ cb: DoubleDouble, _ rb: Double) -> (DoubleDouble, Double) {
        if ra == 0 && rb == 0 && ca.lo == 0 && cb.lo == 0 {
            let s = DoubleDouble.twoSum(ca.hi, cb.hi)
            if s.hi.isFinite { return (s, 0) }
        } else if ra == 0 && rb == 0, case (let s, true) = DoubleDouble.exactnessCheckedSum(ca, cb), s.hi.isFinite {
            return (s, 0)
        } else {
            let s = ca + cb
            let r = Self.enlarged(ra + rb + DoubleDouble.relativeErrorBound * Swift.abs(s.hi))
            if s.hi.isFinite && r.isFinite { return (s, r) }
        }
        giveUp()  // beyond binary64's range
        return (DoubleDouble(.nan), 0)
    }

    /// `a × b`: exact by TwoProduct on two binary64 points (away from
    /// underflow) or with an exact zero, otherwise `|ca|·rb + ra·|cb| + ra·rb`
    /// plus the double-double error.
    @inline(__always)
    func product(_ a: BallBuffer, _ ai: Int, _ b: BallBuffer, _ bi: Int) -> (DoubleDouble, Double) {
        let (ah, bh) = (a.hi[ai], b.hi[bi])
        let (ra, rb) = (a.radius[ai], b.radius[bi])
        if ra == 0 && ah == 0 || rb == 0 && bh == 0 { return (DoubleDouble(ah * bh), 0) }
        if a.isDoublePoint(ai) && b.isDoublePoint(bi) {
            let p = DoubleDouble.twoProduct(ah, bh)
            if Swift.abs(p.hi) >= 0x1p-969 && p.hi.isFinite { return (p, 0) }
        }
        let p = a.center(ai) * b.center(bi)
        let (aa, ab) = (Swift.abs(ah), Swift.abs(bh))
        let r = Self.enlarged(aa * rb + ra * ab + ra * rb + DoubleDouble.relativeErrorBound * Swift.abs(p.hi))
        if p.hi.isFinite && r.isFinite { return (p, r) }
        giveUp()
        return (DoubleDouble(.nan), 0)
    }

    /// `a ÷ b` for a divisor ball that excludes zero: exact when the binary64
    /// quotient of two points leaves no remainder, otherwise
    /// `(ra + |ca/cb|·rb) / (|cb| − rb)` plus the double-double error.
    @inline(__always)
    func quotient(_ a: BallBuffer, _ ai: Int, _ b: BallBuffer, _ bi: Int) -> (DoubleDouble, Double) {
        guard excludesZero(b, bi) else {
            giveUp()
            return (DoubleDouble(.nan), 0)
        }
        let (ah, bh) = (a.hi[ai], b.hi[bi])
        let (ra, rb) = (a.radius[ai], b.radius[bi])
        if a.isDoublePoint(ai) && b.isDoublePoint(bi) {
            let q = ah / bh
            if q.isFinite && (q == 0 && ah == 0 || Swift.abs(q) >= 0x1p-969 && ah.addingProduct(-q, bh) == 0) {
                return (DoubleDouble(q), 0)
            }
        }
        let q = a.center(ai) / b.center(bi)
        let qa = Swift.abs(q.hi)
        let denominator = (Swift.abs(bh) * (1 - 0x1p-50) - rb) * (1 - 0x1p-50)
        let r = Self.enlarged((ra + qa * (1 + 0x1p-50) * rb) / denominator + DoubleDouble.relativeErrorBound * qa)
        if q.hi.isFinite && r.isFinite && denominator > 0 { return (q, r) }
        giveUp()
        return (DoubleDouble(.nan), 0)
    }

    /// The greater of two finite balls: the one whose centre is greater, its
    /// radius grown when the other reaches above it (`max(rp, ro − (cp − co))`
    /// keeps the upper end; the lower end of the pick already bounds the
    /// lower end of the maximum). Equal points follow IEEE 754 (`+0` over `−0`).
    @inline(__always)
    func extremum(_ ca: DoubleDouble, _ ra: Double, _ cb: DoubleDouble, _ rb: Double, _ points: Bool) -> (
        DoubleDouble, Double, pickedA: Bool
    ) {
        let aFirst = ca.hi > cb.hi || ca.hi == cb.hi && ca.lo >= cb.lo
        if points {
            if ca.hi == cb.hi && ca.lo == cb.lo {
                // Equal values: IEEE's choice between signed zeros (the centres are
                // already negated for a minimum, so the maximum's rule applies).
                let v = IEEEDomain.binaryDouble(.maximum)(ca.hi, cb.hi)
                return (DoubleDouble(v, ca.lo), 0, v.bitPattern == ca.hi.bitPattern)
            }
            return aFirst ? (ca, 0, true) : (cb, 0, false)
        }
        let (cp, rp, co, ro) = aFirst ? (ca, ra, cb, rb) : (cb, rb, ca, ra)
        let d = cp - co
        let gapLow = d.hi - Swift.abs(d.hi) * 0x1p-49
        if gapLow >= ro { return (cp, rp, aFirst) }  // the other ball lies below the pick's centre
        return (cp, Self.enlarged(Swift.max(rp, ro - gapLow)), aFirst)
    }

    /// An operation with a NaN or infinite operand (always points), or a
    /// division by an exact zero: IEEE 754 on the centres, exact when every
    /// finite operand that is a wider ball only contributes its sign (its
    /// sign decided) or is ignored (`±∞ + x`); `maximum(−∞, x)` and
    /// `minimum(+∞, x)` are `x`.
    func nonFinite(_ op: BinaryOp, _ a: BallBuffer, _ ai: Int, _ b: BallBuffer, _ bi: Int) -> BallValue {
        let (ah, bh) = (a.hi[ai], b.hi[bi])
        let (keepB, keepA) = (
            (op == .maximum && ah == -.infinity || op == .minimum && ah == .infinity) && !bh.isNaN,
            (op == .maximum && bh == -.infinity || op == .minimum && bh == .infinity) && !ah.isNaN
        )
        if keepB { return (b.center(bi), b.radius[bi], b.origin[bi]) }
        if keepA { return (a.center(ai), a.radius[ai], a.origin[ai]) }
        let v = IEEEDomain.binaryDouble(op)(ah, bh)
        func signOnly(_ x: BallBuffer, _ i: Int) -> Bool { x.isPoint(i) || !x.hi[i].isFinite || excludesZero(x, i) }
        let decided: Bool
        switch op {
        case .add, .subtract, .maximum, .minimum:
            decided = true
        case .multiply, .divide:
            decided = signOnly(a, ai) && signOnly(b, bi)
        case .power, .atan2, .remainder:
            let points = (a.isDoublePoint(ai) || !ah.isFinite) && (b.isDoublePoint(bi) || !bh.isFinite)
            decided = points && (op == .remainder || v == 0 || !v.isFinite || Swift.abs(v) == 1)
        case .and, .or, .xor, .shiftLeft, .shiftRightLogical, .shiftRightArithmetic:
            decided = false
        }
        if !decided { giveUp() }
        return (DoubleDouble(v), 0, 0)
    }
}
