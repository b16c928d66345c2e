/// Binary64 arithmetic rounded toward −∞ (`down`) or +∞ (`up`), obtained from
/// round-to-nearest without touching the FPU's rounding mode.
///
/// Each operation is computed to nearest and its exact rounding error is
/// recovered by an error-free transformation: TwoSum for `+` and `−`, a fused
/// multiply-add for `×`, `÷` and `√` (the remainder `a − q·b` and `x − s²` are
/// exact). The sign of the error says which side of the exact result the
/// nearest value fell on, so one step to the neighbouring double gives the
/// directed result. Where the error-free transformations stop being exact
/// (results or operands near the bottom of the exponent range) the result is
/// widened by one ulp without the test, which stays a valid bound.
///
/// Overflow from finite operands gives `±greatestFiniteMagnitude` on the side
/// that must stay below the exact value (the exact value is finite), and ±∞ on
/// the other; special operands (±∞, NaN, exact zeros) follow IEEE 754.
public enum DirectedRounding {
    /// Below this magnitude the error-free transformations of `×`, `÷` and `√`
    /// may lose their error term to underflow; results there are widened blindly.
    @inlinable static var tiny: Double { 0x1p-960 }

    /// `a + b` rounded toward −∞.
    @inlinable @inline(__always)
    public static func addDown(_ a: Double, _ b: Double) -> Double {
        let s = a + b
        guard s.isFinite else { return overflowDown(s, a.isFinite && b.isFinite) }
        let e = twoSumError(a, b, s)
        return e < 0 || e.isNaN ? s.nextDown : s
    }

    /// `a + b` rounded toward +∞.
    @inlinable @inline(__always)
    public static func addUp(_ a: Double, _ b: Double) -> Double {
        let s = a + b
        guard s.isFinite else { return overflowUp(s, a.isFinite && b.isFinite) }
        let e = twoSumError(a, b, s)
        return e > 0 || e.isNaN ? s.nextUp : s
    }

    /// `a × b` rounded toward −∞.
    @inlinable @inline(__always)
    public static func multiplyDown(_ a: Double, _ b: Double) -> Double {
        let p = a * b
        guard p.isFinite else { return overflowDown(p, a.isFinite && b.isFinite) }
        if a == 0 || b == 0 { return p }
        if Swift.abs(p) < tiny { return p.nextDown }
        return (-p).addingProduct(a, b) < 0 ? p.nextDown : p
    }

    /// `a × b` rounded toward +∞.
    @inlinable @inline(__always)
    public static func multiplyUp(_ a: Double, _ b: Double) -> Double {
        let p = a * b
        guard p.isFinite else { return overflowUp(p, a.isFinite && b.isFinite) }
        if a == 0 || b == 0 { return p }
        if Swift.abs(p) < tiny { return p.nextUp }
        return (-p).addingProduct(a, b) > 0 ? p.nextUp : p
    }

    /// `a ÷ b` rounded toward −∞.
    @inlinable @inline(__always)
    public static func divideDown(_ a: Double, _ b: Double) -> Double {
        let q = a / b
        guard q.isFinite else { return overflowDown(q, a.isFinite && b.isFinite && b != 0) }
        if a == 0 || b.isInfinite { return q }
        if Swift.abs(q) < tiny || Swift.abs(a) < tiny { return q.nextDown }
        // a = q·b + r exactly; the exact quotient is q + r/b.
        let r = a.addingProduct(-q, b)
        return (r != 0 && (r < 0) != (b < 0)) ? q.nextDown : q
    }

    /// `a ÷ b` rounded toward +∞.
    @inlinable @inline(__always)
    public static func divideUp(_ a: Double, _ b: Double) -> Double {
        let q = a / b
        guard q.isFinite else { return overflowUp(q, a.isFinite && b.isFinite && b != 0) }
        if a == 0 || b.isInfinite { return q }
        if Swift.abs(q) < tiny || Swift.abs(a) < tiny { return q.nextUp }
        let r = a.addingProduct(-q, b)
        return (r != 0 && (r < 0) == (b < 0)) ? q.nextUp : q
    }

    /// `√x` rounded toward −∞ (NaN below zero, `−0` for `−0`).
    @inlinable @inline(__always)
    public static func squareRootDown(_ x: Double) -> Double {
        let s = x.squareRoot()
        guard s.isFinite, x != 0 else { return s }
        if x < tiny { return s.nextDown }
        return x.addingProduct(-s, s) < 0 ? s.nextDown : s
    }

    /// `√x` rounded toward +∞.
    @inlinable @inline(__always)
    public static func squareRootUp(_ x: Double) -> Double {
        let s = x.squareRoot()
        guard s.isFinite, x != 0 else { return s }
        if x < tiny { return s.nextUp }
        return x.addingProduct(-s, s) > 0 ? s.nextUp : s
    }

    /// A lower bound of a value `v` known to within `ulps` units in the last
    /// place (a platform libm result with a bounded error): `v` moved down by
    /// at least that much, and by a few subnormal steps near zero.
    @inlinable @inline(__always)
    public static func widenedDown(_ v: Double, relative: Double) -> Double {
        guard v.isFinite else { return v == .infinity ? .greatestFiniteMagnitude : v }
        return (v - Swift.max(Swift.abs(v) * relative, 0x1p-1068)).nextDown
    }

    /// An upper bound of a value known to within the same relative error; see
    /// ``widenedDown(_:relative:)``.
    @inlinable @inline(__always)
    public static func widenedUp(_ v: Double, relative: Double) -> Double {
        guard v.isFinite else { return v == -.infinity ? -.greatestFiniteMagnitude : v }
        return (v + Swift.max(Swift.abs(v) * relative, 0x1p-1068)).nextUp
    }

    /// The exact rounding error of `s = a + b` (Knuth's TwoSum): `a + b − s`.
    @inlinable @inline(__always)
    static func twoSumError(_ a: Double, _ b: Double, _ s: Double) -> Double {
        let bVirtual = s - a
        let aVirtual = s - bVirtual
        return (a - aVirtual) + (b - bVirtual)
    }

    /// The downward result of an operation whose nearest result `r` is not finite.
    @inlinable @inline(__always)
    @usableFromInline static func overflowDown(_ r: Double, _ finiteOperands: Bool) -> Double {
        finiteOperands && r == .infinity ? .greatestFiniteMagnitude : r
    }

    /// The upward result of an operation whose nearest result `r` is not finite.
    @inlinable @inline(__always)
    @usableFromInline static func overflowUp(_ r: Double, _ finiteOperands: Bool) -> Double {
        finiteOperands && r == -.infinity ? -.greatestFiniteMagnitude : r
    }
}
