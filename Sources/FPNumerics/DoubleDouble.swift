/// Double-double ("double-word") arithmetic: a real number held as the
/// unevaluated sum `hi + lo` of two binary64 values, about 106 bits.
///
/// The operations are the error-free transformations (TwoSum, Fast2Sum and
/// TwoProduct with a fused multiply-add) and the double-word algorithms
/// analysed by Joldes, Muller and Popescu, "Tight and rigorous error bounds
/// for basic building blocks of double-word arithmetic" (ACM TOMS 44(2),
/// 2017). Each operation below states the bound it is used with,
/// ``relativeErrorBound`` (2^-100, at least four times each proved bound,
/// which are at most 15u² with u = 2^-53), valid while no intermediate
/// overflows or underflows. Below about 2^-969 the low parts lose bits to
/// underflow; callers add an absolute ``underflowErrorBound`` for that.
///
/// Every result is normalised: `hi` is `lo + hi` rounded to nearest, so
/// `|lo| <= ulp(hi) / 2`.
public struct DoubleDouble: Sendable, Equatable {
    /// The leading part, the sum rounded to nearest.
    public var hi: Double
    /// The trailing part.
    public var lo: Double

    /// The number `hi + lo`; the caller guarantees the normalisation.
    @inlinable @inline(__always)
    public init(_ hi: Double, _ lo: Double = 0) {
        self.hi = hi
        self.lo = lo
    }

    /// The relative error bound used for every operation: 2^-100.
    @inlinable public static var relativeErrorBound: Double { 0x1p-100 }

    /// An absolute bound on what underflow adds to one operation's error:
    /// a few units of the smallest subnormal, taken generously as 2^-1060.
    @inlinable public static var underflowErrorBound: Double { 0x1p-1060 }

    /// `a + b` exactly as `s + e` with `s = fl(a + b)` (Knuth's TwoSum; no
    /// condition on the operands, exact unless `s` overflows).
    @inlinable @inline(__always)
    public static func twoSum(_ a: Double, _ b: Double) -> DoubleDouble {
        let s = a + b
        let bb = s - a
        let e = (a - (s - bb)) + (b - bb)
        return DoubleDouble(s, e)
    }

    /// `a + b` exactly as `s + e` when `|a| >= |b|` or `a` is zero (Dekker's Fast2Sum).
    @inlinable @inline(__always)
    public static func fastTwoSum(_ a: Double, _ b: Double) -> DoubleDouble {
        let s = a + b
        let e = b - (s - a)
        return DoubleDouble(s, e)
    }

    /// `a × b` exactly as `p + e` with `p = fl(a × b)`, by one fused
    /// multiply-add; exact unless `p` overflows or `|p|` is below about 2^-969.
    @inlinable @inline(__always)
    public static func twoProduct(_ a: Double, _ b: Double) -> DoubleDouble {
        let p = a * b
        let e = (-p).addingProduct(a, b)
        return DoubleDouble(p, e)
    }

    /// `x + y`, the accurate double-word addition (JMP Algorithm 6, relative
    /// error at most 3u²/(1 − 4u) of the exact sum, cancellation included).
    @inlinable @inline(__always)
    public static func + (x: DoubleDouble, y: DoubleDouble) -> DoubleDouble {
        let s = twoSum(x.hi, y.hi)
        let t = twoSum(x.lo, y.lo)
        let c = s.lo + t.hi
        let v = fastTwoSum(s.hi, c)
        let w = t.lo + v.lo
        return fastTwoSum(v.hi, w)
    }

    /// `x + y` as ``+(_:_:)`` computes it, and whether that sum is exact: its
    /// two rounded additions are checked by TwoSum, and its two Fast2Sum
    /// steps by Dekker's condition `|a| >= |b|`. Sums of exact values that
    /// fit in 106 bits (a dot product of binary32 numbers, a sum of inputs)
    /// then stay exact, so a result exactly halfway between two values of
    /// a narrower format can still be rounded correctly.
    @inlinable @inline(__always)
    public static func exactnessCheckedSum(_ x: DoubleDouble, _ y: DoubleDouble) -> (sum: DoubleDouble, exact: Bool) {
        let s = twoSum(x.hi, y.hi)
        let t = twoSum(x.lo, y.lo)
        let c = twoSum(s.lo, t.hi)
        let v = fastTwoSum(s.hi, c.hi)
        let w = twoSum(t.lo, v.lo)
        let z = fastTwoSum(v.hi, w.hi)
        let exact =
            c.lo == 0 && w.lo == 0 && (s.hi == 0 || Swift.abs(s.hi) >= Swift.abs(c.hi))
            && (v.hi == 0 || Swift.abs(v.hi) >= Swift.abs(w.hi))
        return (z, exact)
    }

    /// `−x`, exactly.
    @inlinable @inline(__always)
    public static prefix func - (x: DoubleDouble) -> DoubleDouble { DoubleDouble(-x.hi, -x.lo) }

    /// `x − y`, as `x + (−y)`.
    @inlinable @inline(__always)
    public static func - (x: DoubleDouble, y: DoubleDouble) -> DoubleDouble { x + (-y) }

    /// `x × y` with fused multiply-adds (JMP Algorithm 12, relative error at
    /// most 5u²).
    @inlinable @inline(__always)
    public static func * (x: DoubleDouble, y: DoubleDouble) -> DoubleDouble {
        let c = twoProduct(x.hi, y.hi)
        let t0 = x.lo * y.lo
        let t1 = t0.addingProduct(x.hi, y.lo)
        let c2 = t1.addingProduct(x.lo, y.hi)
        let c3 = c.lo + c2
        return fastTwoSum(c.hi, c3)
    }

    /// `x ÷ y` by one correction step: `q1 = xh / yh`, the remainder
    /// `x − q1·y` (its leading part exact by TwoProduct and Sterbenz), then
    /// `q1 + remainder / yh`. Relative error a few u² (below 10u²); `y` nonzero.
    @inlinable @inline(__always)
    public static func / (x: DoubleDouble, y: DoubleDouble) -> DoubleDouble {
        let q1 = x.hi / y.hi
        let p = twoProduct(q1, y.hi)
        let r = (((x.hi - p.hi) - p.lo) + x.lo) - q1 * y.lo
        let q2 = r / y.hi
        return fastTwoSum(q1, q2)
    }

    /// `√x` for `x > 0` by one Newton step on `s1 = √xh`: the remainder
    /// `x − s1²` (leading part exact) over `2·s1`. Relative error a few u².
    @inlinable @inline(__always)
    public static func squareRoot(_ x: DoubleDouble) -> DoubleDouble {
        let s1 = x.hi.squareRoot()
        let p = twoProduct(s1, s1)
        let r = ((x.hi - p.hi) - p.lo) + x.lo
        return fastTwoSum(s1, r / (2 * s1))
    }

    /// True when both parts are finite.
    @inlinable public var isFinite: Bool { hi.isFinite && lo.isFinite }
}
