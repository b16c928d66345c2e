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
    /// False: values depend on the working precision, and the adaptive truth
    /// compares the comparisons of whole runs, so nothing is reused.
    public var reusable: Bool { false }
    /// False: float converts and `reduce-precision` are the identity in the truth.
    public var roundsConversions: Bool { false }

    /// A buffer of `count` MPFR numbers (at least one) at the working precision.
    public func makeBuffer(count: Int) -> MPFRBuffer { MPFRBuffer(count: max(count, 1), precision: precision) }

    /// Stores each value exactly (the working precision is at least 64 bits).
    public func load(_ values: [Double], into buffer: MPFRBuffer) {
        for (i, v) in values.enumerated() { buffer.set(i, v) }
    }

    /// Stores each value exactly, except the elements with a literal: the
    /// real number the decimal denotes, rounded to nearest at the working
    /// precision (the adaptive truth raises it until the results settle).
    public func load(_ values: [Double], literals: [Int: String], into buffer: MPFRBuffer) {
        load(values, into: buffer)
        for (i, text) in literals where i < buffer.count {
            if !buffer.set(i, decimal: text) { buffer.setNaN(i) }
        }
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
}
