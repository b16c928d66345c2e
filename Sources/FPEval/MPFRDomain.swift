import FPGraph
import FPMPFR
import FPNumerics

/// The ground-truth domain: every float op correctly rounded at a working
/// precision of `precision` bits (MPFR, round to nearest), with MPFR's wide
/// exponent range so nothing overflows or underflows that the real function
/// would not. Float converts and `reduce-precision` are the identity: the
/// truth is the real-number function the graph denotes.
public final class MPFRDomain: RealDomain {
    /// Working precision in bits (at least 64, so integers convert exactly).
    public let precision: Int

    /// Creates the domain at `precision` bits (raised to 64 when lower) and sets the
    /// calling thread's MPFR exponent range to the widest one.
    public init(precision: Int) {
        self.precision = max(precision, 64)
        MPFRConfiguration.prepareCurrentThread()
    }

    /// `mpfr@` and the working precision (`mpfr@256`).
    public var name: String { "mpfr@\(precision)" }
    /// False: float converts and `reduce-precision` are the identity in the truth.
    public var roundsConversions: Bool { false }

    /// A buffer of `count` MPFR numbers (at least one) at the working precision.
    public func makeBuffer(count: Int) -> MPFRBuffer { MPFRBuffer(count: max(count, 1), precision: precision) }

    /// Stores each value exactly (the working precision is at least 64 bits).
    public func load(_ values: [Double], into buffer: MPFRBuffer) {
        for (i, v) in values.enumerated() { buffer.set(i, v) }
    }

    /// Stores each integer exactly (64 bits or more hold any `Int64`); `dtype` is
    /// not used.
    public func loadIntegers(_ values: [Int64], dtype: DType, into buffer: MPFRBuffer) {
        for (i, v) in values.enumerated() { buffer.set(i, integer: v) }
    }

    /// Stores each unsigned integer exactly; `dtype` is not used.
    public func loadUnsignedIntegers(_ values: [UInt64], dtype: DType, into buffer: MPFRBuffer) {
        for (i, v) in values.enumerated() { buffer.set(i, unsigned: v) }
    }

    /// `y[i] = op(x[i * xStride])`, correctly rounded to nearest at the working
    /// precision (`logistic` may be 1 ulp off in cases too close to call);
    /// `dtype` is not used. `rsqrt(-0)` is -inf, as in the IEEE evaluator.
    public func unary(_ op: UnaryOp, dtype: DType, _ x: MPFRBuffer, xStride: Int, into y: MPFRBuffer, count: Int) {
        MPFRKernels.unary(Self.mpfrOp(op), x, xStride: xStride, into: y, count: count)
        if op == .rsqrt {
            // mpfr_rec_sqrt(-0) is +inf; 1/sqrt(-0) (IEEE 754 rSqrt, and the IEEE evaluator) is -inf.
            for i in 0..<count where x.isZero(i * xStride) && x.signBit(i * xStride) { y.set(i, -Double.infinity) }
        }
    }

    /// `y[i] = op(a[i * aStride], b[i * bStride])`, correctly rounded to nearest at
    /// the working precision; `dtype` is not used.
    public func binary(
        _ op: BinaryOp, dtype: DType, _ a: MPFRBuffer, aStride: Int, _ b: MPFRBuffer, bStride: Int,
        into y: MPFRBuffer, count: Int
    ) {
        MPFRKernels.binary(Self.mpfrOp(op), a, aStride: aStride, b, bStride: bStride, into: y, count: count)
    }

    /// `y[yi] = op(a[ai], b[bi])`, correctly rounded to nearest at the working
    /// precision: one step of a reduction or a dot product.
    public func binaryElement(
        _ op: BinaryOp, dtype: DType, _ a: MPFRBuffer, _ ai: Int, _ b: MPFRBuffer, _ bi: Int,
        into y: MPFRBuffer, _ yi: Int
    ) {
        MPFRKernels.binary(Self.mpfrOp(op), a, ai, b, bi, into: y, yi)
    }

    /// IEEE 754 totalOrder on the exact values: NaNs at the end their sign
    /// bit names, and −0 below +0.
    public func compareTotalOrder(
        _ direction: ComparisonDirection, _ a: MPFRBuffer, _ ai: Int, _ b: MPFRBuffer, _ bi: Int
    ) -> Bool {
        // (class, value order): -NaN = 0, numbers = 1, +NaN = 2.
        func rank(_ x: MPFRBuffer, _ i: Int) -> Int { x.isNaN(i) ? (x.signBit(i) ? 0 : 2) : 1 }
        let (ra, rb) = (rank(a, ai), rank(b, bi))
        var order = ra < rb ? -1 : (ra > rb ? 1 : 0)
        if order == 0 && ra == 1 {
            order = a.compare(ai, b, bi) ?? 0
            if order == 0 && a.isZero(ai) { order = (a.signBit(ai) ? 0 : 1) - (b.signBit(bi) ? 0 : 1) }
        }
        return direction.holds(order, 0)
    }

    /// The exact comparison `a[ai] direction b[bi]`: false when either is NaN, except
    /// `ne`; -0 equals +0.
    public func compare(
        _ direction: ComparisonDirection, dtype: DType, _ a: MPFRBuffer, _ ai: Int, _ b: MPFRBuffer, _ bi: Int
    )
        -> Bool
    {
        guard let c = a.compare(ai, b, bi) else { return direction == .ne }
        switch direction {
        case .eq: return c == 0
        case .ne: return c != 0
        case .lt: return c < 0
        case .le: return c <= 0
        case .gt: return c > 0
        case .ge: return c >= 0
        }
    }

    /// True when `x[i]` is neither infinite nor NaN.
    public func isFinite(_ x: MPFRBuffer, _ i: Int) -> Bool { !x.isNaN(i) && !x.isInfinite(i) }

    /// True when `x[i]` is not ±0 (NaN counts as non-zero).
    public func isNonZero(_ x: MPFRBuffer, _ i: Int) -> Bool { !x.isZero(i) }

    /// `y[j] = x[i]`, exactly.
    public func copyElement(from x: MPFRBuffer, _ i: Int, to y: MPFRBuffer, _ j: Int) { y.copy(j, from: x, i) }

    /// The identity: copies the first `count` values, since the truth is the
    /// real-number function (``roundsConversions`` is false, so the interpreter
    /// does not call it).
    public func convert(_ x: MPFRBuffer, from source: DType, to target: DType, into y: MPFRBuffer, count: Int) {
        for i in 0..<count { y.copy(i, from: x, i) }
    }

    /// The identity, like ``convert(_:from:to:into:count:)``.
    public func reducePrecision(_ x: MPFRBuffer, exponentBits: Int, mantissaBits: Int, into y: MPFRBuffer, count: Int) {
        for i in 0..<count { y.copy(i, from: x, i) }
    }

    /// `x[i]` rounded toward zero, saturated to the `Int64` range (±inf included);
    /// nil for NaN.
    public func truncatedInteger(_ x: MPFRBuffer, _ i: Int) -> Int64? { x.toInt64Truncating(i) }

    /// `x[i]` rounded toward zero, saturated to `0...UInt64.max`; nil for NaN.
    public func truncatedUnsigned(_ x: MPFRBuffer, _ i: Int) -> UInt64? { x.toUInt64Truncating(i) }

    /// `x[i]` rounded to the nearest `Double`, with gradual underflow and overflow
    /// to ±inf.
    public func double(_ x: MPFRBuffer, _ i: Int) -> Double { x.double(i) }

    /// `x[i]` in decimal, correctly rounded to `digits` significant digits.
    public func decimal(_ x: MPFRBuffer, _ i: Int, digits: Int) -> String? { x.decimal(i, digits: digits) }

    /// `x[i]` correctly rounded (ties to even) to `format` directly from the MPFR
    /// value, subnormals and overflow included; never through f64, which could
    /// round twice.
    public func rounded(_ x: MPFRBuffer, _ i: Int, to format: FloatFormat) -> Double {
        switch format {
        case .f64: return x.double(i)
        case .f32: return x.rounded(i, to: .f32)
        case .f16: return x.rounded(i, to: .f16)
        case .bf16: return x.rounded(i, to: .bf16)
        default:
            // 8-bit formats: round the significand with the format's subnormal
            // threshold and an unbounded top (MPFR's emax 1024), then apply the
            // format's own overflow rule (NaN without infinities) and zero sign.
            let r = (try? x.rounded(i, precision: format.precision, emin: format.emin + 1, emax: 1024)) ?? .nan
            return format.round(r)
        }
    }

    static func mpfrOp(_ op: UnaryOp) -> MPFRUnaryOp {
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
        case .isFinite, .not, .copy, .popcnt, .clz: preconditionFailure("\(op) is not a float kernel")
        }
    }

    static func mpfrOp(_ op: BinaryOp) -> MPFRBinaryOp {
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
        case .and, .or, .xor, .shiftLeft, .shiftRightLogical, .shiftRightArithmetic:
            preconditionFailure("\(op) is not a float kernel")
        }
    }
}
