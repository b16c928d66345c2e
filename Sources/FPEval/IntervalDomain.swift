import FPGraph
import FPMPFR
import FPNumerics

/// Storage of the interval domain: for each value, a binary64 lower and upper
/// bound of the exact real result.
public final class IntervalBuffer {
    /// The number of values the buffer holds (its storage has room for at least one).
    public let count: Int
    let lo: UnsafeMutablePointer<Double>
    let hi: UnsafeMutablePointer<Double>

    init(count: Int) {
        self.count = count
        lo = .allocate(capacity: max(count, 1))
        hi = .allocate(capacity: max(count, 1))
        lo.initialize(repeating: 0, count: max(count, 1))
        hi.initialize(repeating: 0, count: max(count, 1))
    }

    deinit {
        lo.deallocate()
        hi.deallocate()
    }

    /// The bounds of element `i`.
    public subscript(i: Int) -> (lo: Double, hi: Double) { (lo[i], hi[i]) }

    @inline(__always)
    func set(_ i: Int, _ l: Double, _ h: Double) {
        lo[i] = l
        hi[i] = h
    }

    /// True when element `i` is one exact value (a NaN is stored as `[NaN, NaN]`).
    @inline(__always)
    func isPoint(_ i: Int) -> Bool { lo[i].bitPattern == hi[i].bitPattern }
}

/// The cheap tier of the truth: the real-number function the graph denotes
/// (as in ``MPFRDomain``: float converts and `reduce-precision` are the
/// identity, no overflow the real function would not have), enclosed in
/// binary64 intervals.
///
/// Every value is a pair `[lo, hi]` with the exact real result inside:
/// `+ − × ÷ √` round outward exactly (``FPNumerics/DirectedRounding``), so an
/// input's exact value stays a point interval as long as the arithmetic on it
/// is exact; transcendental functions evaluate the platform libm at the
/// endpoints of their monotone pieces (or a Lipschitz bound for `sin` and
/// `cos`) and widen by ``libmRelativeError``, far above glibc's documented
/// errors for binary64 (at most a few ulps for these functions).
///
/// Where an interval cannot decide something the evaluation depends on (a
/// comparison whose operands overlap, a truncation to an integer across an
/// integer, a function outside its domain on part of an interval, an op
/// with no interval rule), the domain records it in ``undecided``: the whole
/// evaluation is then not a proof, and the caller falls back to MPFR.
public final class IntervalDomain: EnclosureDomain {
    /// The relative widening applied to every libm result: 2^-48, 16 to 32
    /// ulps of binary64, several times the errors glibc documents for the
    /// functions used.
    public static var libmRelativeError: Double { 0x1p-48 }

    /// Set when some step of the evaluations since the last ``reset()`` could
    /// not be decided by the intervals; read it after a run.
    public private(set) var undecided = false

    /// Creates the domain.
    public init() {}

    /// Clears ``undecided`` before an evaluation.
    public func reset() { undecided = false }

    /// True while every step since the last ``reset()`` was decided: the
    /// values computed so far are enclosures another run may reuse.
    public var reusable: Bool { !undecided }

    /// Records that an interval did not decide a step.
    @inline(__always)
    func giveUp() { undecided = true }

    /// `interval`.
    public var name: String { "interval" }
    /// False: converts and `reduce-precision` are the identity, as in the MPFR truth.
    public var roundsConversions: Bool { false }

    /// A buffer of `count` point intervals at zero.
    public func makeBuffer(count: Int) -> IntervalBuffer { IntervalBuffer(count: count) }

    /// Stores each value as a point interval.
    public func load(_ values: [Double], into buffer: IntervalBuffer) {
        for (i, v) in values.enumerated() where i < buffer.count { buffer.set(i, v, v) }
    }

    /// Stores each value as a point, except the elements with a literal: the
    /// two binary64 numbers nearest below and above the real number the
    /// decimal denotes (MPFR, directed roundings), a point only when it is
    /// one; a literal MPFR cannot read (the reader gives none) stores the
    /// whole line, which decides nothing.
    public func load(_ values: [Double], literals: [Int: String], into buffer: IntervalBuffer) {
        load(values, into: buffer)
        for (i, text) in literals where i < buffer.count {
            if let (lo, hi) = MPFRDecimal.bounds(text) {
                buffer.set(i, lo, hi)
            } else {
                buffer.set(i, -.infinity, .infinity)
            }
        }
    }

    /// Stores each integer as a point (exact below 2^53 in magnitude) or as the
    /// two doubles around it; `dtype` is not used.
    public func loadIntegers(_ values: [Int64], dtype: DType, into buffer: IntervalBuffer) {
        for (i, v) in values.enumerated() where i < buffer.count {
            let d = Double(v)
            if Swift.abs(d) < 0x1p53 {
                buffer.set(i, d, d)
            } else {
                buffer.set(i, d.nextDown, d.nextUp)
            }
        }
    }

    /// Stores each unsigned integer as a point or the two doubles around it.
    public func loadUnsignedIntegers(_ values: [UInt64], dtype: DType, into buffer: IntervalBuffer) {
        for (i, v) in values.enumerated() where i < buffer.count {
            let d = Double(v)
            if d < 0x1p53 { buffer.set(i, d, d) } else { buffer.set(i, d.nextDown, d.nextUp) }
        }
    }

    /// The exact comparison when the intervals separate the operands (or both are
    /// points); otherwise records ``undecided``. NaN compares false except `ne`.
    public func compare(
        _ direction: ComparisonDirection, dtype: DType, _ a: IntervalBuffer, _ ai: Int, _ b: IntervalBuffer,
        _ bi: Int
    ) -> Bool {
        let (al, ah, bl, bh) = (a.lo[ai], a.hi[ai], b.lo[bi], b.hi[bi])
        if al.isNaN || bl.isNaN { return direction == .ne }
        if a.isPoint(ai) && b.isPoint(bi) { return direction.holds(al, bl) }
        // Separated: every pair of values compares the same way.
        if ah < bl { return direction == .lt || direction == .le || direction == .ne }
        if al > bh { return direction == .gt || direction == .ge || direction == .ne }
        giveUp()
        return direction.holds(al, bl)
    }

    /// IEEE 754 totalOrder, decided on points or separated intervals; otherwise
    /// records ``undecided``.
    public func compareTotalOrder(
        _ direction: ComparisonDirection, _ a: IntervalBuffer, _ ai: Int, _ b: IntervalBuffer, _ bi: Int
    ) -> Bool {
        let (la, ha) = (totalOrderKey(a.lo[ai]), totalOrderKey(a.hi[ai]))
        let (lb, hb) = (totalOrderKey(b.lo[bi]), totalOrderKey(b.hi[bi]))
        if a.isPoint(ai) && b.isPoint(bi) { return direction.holds(la, lb) }
        if ha < lb { return direction.holds(0, 1) }
        if la > hb { return direction.holds(1, 0) }
        giveUp()
        return direction.holds(la, lb)
    }

    /// True when the whole interval is finite; false for an infinite point or NaN;
    /// otherwise records ``undecided``.
    public func isFinite(_ x: IntervalBuffer, _ i: Int) -> Bool {
        let (l, h) = (x.lo[i], x.hi[i])
        if l.isNaN { return false }
        if l.isFinite && h.isFinite { return true }
        if x.isPoint(i) { return false }
        giveUp()
        return false
    }

    /// True when zero is outside the interval (or it is NaN); false for a zero
    /// point; otherwise records ``undecided``.
    public func isNonZero(_ x: IntervalBuffer, _ i: Int) -> Bool {
        let (l, h) = (x.lo[i], x.hi[i])
        if l.isNaN || l > 0 || h < 0 { return true }
        if l == 0 && h == 0 { return false }
        giveUp()
        return true
    }

    /// `y[j] = x[i]`.
    public func copyElement(from x: IntervalBuffer, _ i: Int, to y: IntervalBuffer, _ j: Int) {
        y.set(j, x.lo[i], x.hi[i])
    }

    /// The identity (the truth is the real-number function; not called, since
    /// ``roundsConversions`` is false).
    public func convert(_ x: IntervalBuffer, from source: DType, to target: DType, into y: IntervalBuffer, count: Int) {
        for i in 0..<count { y.set(i, x.lo[i], x.hi[i]) }
    }

    /// The identity, like ``convert(_:from:to:into:count:)``.
    public func reducePrecision(
        _ x: IntervalBuffer, exponentBits: Int, mantissaBits: Int, into y: IntervalBuffer, count: Int
    ) {
        for i in 0..<count { y.set(i, x.lo[i], x.hi[i]) }
    }

    /// The truncation toward zero when both bounds truncate to the same integer;
    /// otherwise records ``undecided``. Nil for NaN.
    public func truncatedInteger(_ x: IntervalBuffer, _ i: Int) -> Int64? {
        func truncated(_ v: Double) -> Int64 {
            if v >= 0x1p63 { return Int64.max }
            if v < -0x1p63 { return Int64.min }
            return Int64(v.rounded(.towardZero))
        }
        if x.lo[i].isNaN { return nil }
        let (l, h) = (truncated(x.lo[i]), truncated(x.hi[i]))
        if l != h { giveUp() }
        return l
    }

    /// The truncation toward zero, saturated to `0...UInt64.max`, when both bounds
    /// agree; otherwise records ``undecided``. Nil for NaN.
    public func truncatedUnsigned(_ x: IntervalBuffer, _ i: Int) -> UInt64? {
        func truncated(_ v: Double) -> UInt64 {
            if v >= 0x1p64 { return UInt64.max }
            if v < 1 { return 0 }
            return UInt64(v.rounded(.towardZero))
        }
        if x.lo[i].isNaN { return nil }
        let (l, h) = (truncated(x.lo[i]), truncated(x.hi[i]))
        if l != h { giveUp() }
        return l
    }

    /// The lower bound when the interval is a point, else the nearest double to its
    /// midpoint (an approximation: decide with ``decided(_:_:in:)``).
    public func double(_ x: IntervalBuffer, _ i: Int) -> Double {
        let (l, h) = (x.lo[i], x.hi[i])
        if x.isPoint(i) || !l.isFinite || !h.isFinite { return l }
        return l / 2 + h / 2
    }

    /// The value of ``double(_:_:)`` rounded to `format` (an approximation unless
    /// ``decided(_:_:in:)`` says the rounding is decided).
    public func rounded(_ x: IntervalBuffer, _ i: Int, to format: FloatFormat) -> Double {
        decided(x, i, in: format) ?? format.round(double(x, i))
    }

    /// The correctly rounded value of `x[i]` in `format` when every real in the
    /// interval rounds (to nearest, ties to even) to the same value of
    /// `format`, signed zeros included; nil when the interval straddles a
    /// rounding boundary. Rounding to nearest is monotone, so the two bounds
    /// decide it.
    @inline(__always)
    public func decided(_ x: IntervalBuffer, _ i: Int, in format: FloatFormat) -> Double? {
        let l = format.round(x.lo[i])
        if x.isPoint(i) { return l }
        let h = format.round(x.hi[i])
        return l.bitPattern == h.bitPattern ? l : nil
    }

    /// True when both bounds round to a zero of `format`.
    public func roundsToZero(_ x: IntervalBuffer, _ i: Int, in format: FloatFormat) -> Bool {
        !x.lo[i].isNaN && format.round(x.lo[i]) == 0 && format.round(x.hi[i]) == 0
    }

    /// Nil: the bounds are binary64 values.
    public func decimal(_ x: IntervalBuffer, _ i: Int, digits: Int) -> String? { nil }
}
