import FPGraph
import FPMPFR
import FPNumerics
import Foundation

/// One value of a ``BallBuffer``, its fields side by side so that reading
/// one element touches one cache line (a dot reads its right operand with a
/// stride).
struct BallElement {
    var hi: Double
    var lo: Double
    var radius: Double
    var origin: UInt64
    var sign: Int8
}

/// One field of every element of a ``BallBuffer``, indexed like an array.
struct BallField<T> {
    let base: UnsafeMutablePointer<BallElement>
    let offset: Int

    @inline(__always)
    subscript(i: Int) -> T {
        get { UnsafeRawPointer(base + i).load(fromByteOffset: offset, as: T.self) }
        nonmutating set { UnsafeMutableRawPointer(base + i).storeBytes(of: newValue, toByteOffset: offset, as: T.self) }
    }
}

/// Storage of the ball domain: for each value a double-double centre
/// `hi + lo` and a binary64 radius; the exact real result lies within the
/// radius of the centre.
public final class BallBuffer {
    /// The number of values the buffer holds (its storage has room for at least one).
    public let count: Int
    let elements: UnsafeMutablePointer<BallElement>
    /// The centres' leading parts.
    let hi: BallField<Double>
    /// The centres' trailing parts.
    let lo: BallField<Double>
    /// The radii.
    let radius: BallField<Double>
    /// Which exact real each element holds: elements with the same nonzero
    /// origin hold the same real (a copy, or the greater of two separated
    /// balls carries its operand's origin; every computed value gets a new one).
    let origin: BallField<UInt64>
    /// The sign of the exact real when it is known although the ball reaches
    /// across zero (+1 or −1; 0 otherwise): a positive result too small for
    /// binary64 (`exp(−1000)`) is a ball around zero, but rounds to +0.
    let sign: BallField<Int8>

    init(count: Int) {
        self.count = count
        let n = max(count, 1)
        elements = .allocate(capacity: n)
        elements.initialize(repeating: BallElement(hi: 0, lo: 0, radius: 0, origin: 0, sign: 0), count: n)
        hi = BallField(base: elements, offset: MemoryLayout<BallElement>.offset(of: \.hi)!)
        lo = BallField(base: elements, offset: MemoryLayout<BallElement>.offset(of: \.lo)!)
        radius = BallField(base: elements, offset: MemoryLayout<BallElement>.offset(of: \.radius)!)
        origin = BallField(base: elements, offset: MemoryLayout<BallElement>.offset(of: \.origin)!)
        sign = BallField(base: elements, offset: MemoryLayout<BallElement>.offset(of: \.sign)!)
    }

    deinit {
        elements.deallocate()
    }

    /// Element `i`: its centre and radius.
    public subscript(i: Int) -> (center: DoubleDouble, radius: Double) { (DoubleDouble(hi[i], lo[i]), radius[i]) }

    @inline(__always)
    func center(_ i: Int) -> DoubleDouble { DoubleDouble(hi[i], lo[i]) }

    /// The bytes one element takes.
    public static var bytesPerElement: Int { MemoryLayout<BallElement>.stride }

    @inline(__always)
    func set(_ i: Int, _ c: DoubleDouble, _ r: Double, origin o: UInt64) {
        elements[i] = BallElement(hi: c.hi, lo: c.lo, radius: r, origin: o, sign: 0)
    }

    /// The sign of element `i`'s exact real: +1, −1, or 0 when unknown or zero.
    @inline(__always)
    func knownSign(_ i: Int) -> Int8 {
        let h = hi[i]
        if radius[i] == 0 || Swift.abs(h) * (1 - 0x1p-50) > radius[i] { return h > 0 ? 1 : (h < 0 ? -1 : 0) }
        return sign[i]
    }

    /// True when the ball of element `i` reaches across zero.
    @inline(__always)
    func straddlesZero(_ i: Int) -> Bool { Self.straddlesZero(hi: hi[i], radius: radius[i]) }

    /// True when a ball of leading centre part `hi` and radius `radius` reaches across zero.
    @inline(__always)
    static func straddlesZero(hi: Double, radius: Double) -> Bool {
        radius != 0 && !(Swift.abs(hi) * (1 - 0x1p-50) > radius)
    }

    /// True when elements `i` of `self` and `j` of `other` are known to hold the same real.
    @inline(__always)
    func sameReal(_ i: Int, _ other: BallBuffer, _ j: Int) -> Bool { origin[i] != 0 && origin[i] == other.origin[j] }

    /// True when element `i` is one exact value (radius zero; NaN and the
    /// infinities only ever appear as points).
    @inline(__always)
    func isPoint(_ i: Int) -> Bool { radius[i] == 0 }

    /// True when element `i` is exactly a binary64 number.
    @inline(__always)
    func isDoublePoint(_ i: Int) -> Bool { radius[i] == 0 && lo[i] == 0 }
}

/// The second tier of the truth: the real-number function the graph denotes
/// (as in ``MPFRDomain``: float converts and `reduce-precision` are the
/// identity), enclosed in double-double midpoint-radius balls.
///
/// Every value is a ball `(c, r)`, `c` a double-double (about 106 bits) and
/// `r` a binary64 radius, with the exact result in `[c − r, c + r]`.
/// Arithmetic follows Rump's midpoint-radius rules: the centre is computed in
/// double-double, and the radius adds the operands' radii propagated through
/// the operation (`|a|·rb + ra·|b| + ra·rb` for a product) to a bound on the
/// double-double rounding error (``FPNumerics/DoubleDouble/relativeErrorBound``
/// of the result, and of the operands for a sum). Every radius computation
/// is rounded to nearest and then enlarged by a factor that covers its own
/// roundings (``enlarged(_:)``). An operation on two binary64 numbers that
/// TwoSum or TwoProduct makes exact stays a point, as inputs are.
///
/// Functions (`exp`, `tanh`, `rsqrt`, ...) are bounded over the whole ball by
/// MPFR with directed rounding (``FPMPFR/MPFRRangeBounds``); they are linear
/// in the number of elements, so their cost is small next to the dots.
///
/// Each element also carries its *origin*, which tells when two balls hold
/// the same real: a copy keeps it, and so does the greater of two separated
/// balls (`maximum`, `minimum`). `x − x` of the same real is then exactly
/// `+0` and `x == x` true, as in MPFR, where two balls alone could not say
/// (softmax's `x − max(x)` at the maximum).
///
/// A ball starts about 2^-100 wide relative to its value, some 2^50 times
/// tighter than binary64 intervals, so the rounding of an output to binary32
/// or binary64 is decided after long dot products and cancellations that
/// leave an interval straddling a boundary. NaN and the infinities are
/// handled only as exact points (IEEE 754's rules on the centres); a finite
/// ball that meets them where the sign of zero or of the ball matters, an
/// overflow of binary64's range, or a step the ball cannot decide records
/// ``undecided``, and the caller goes on to MPFR.
public final class BallDomain: EnclosureDomain {
    /// Set when some step since the last ``reset()`` was not decided by the balls.
    public private(set) var undecided = false

    let functions: MPFRRangeBounds
    /// The last origin handed out. Origins are unique across every ball
    /// domain of the process (each instance takes a block of 2^40 from
    /// ``OriginBlocks``), so values a run stores for reuse by another
    /// domain's run (``NodeValueStore``) never share an origin with a
    /// different real.
    private var lastOrigin: UInt64

    /// A value as the operations compute it: its ball, and the origin of an
    /// operand it is known to equal (0: a new real).
    typealias BallValue = (center: DoubleDouble, radius: Double, origin: UInt64)

    /// Writes `v` to `y[i]`, with a new origin unless it equals an operand.
    @inline(__always)
    func store(_ v: BallValue, into y: BallBuffer, _ i: Int) {
        y.set(i, v.center, v.radius, origin: v.origin != 0 ? v.origin : newOrigin())
    }

    /// A fresh origin.
    @inline(__always)
    func newOrigin() -> UInt64 {
        lastOrigin &+= 1
        if lastOrigin & OriginBlocks.mask == 0 { lastOrigin = OriginBlocks.next() }
        return lastOrigin
    }

    /// Creates the domain.
    public init() {
        functions = MPFRRangeBounds()
        lastOrigin = OriginBlocks.next()
    }

    /// Clears ``undecided`` before an evaluation.
    public func reset() { undecided = false }

    /// True while every step since the last ``reset()`` was decided: the
    /// values computed so far are enclosures another run may reuse.
    public var reusable: Bool { !undecided }

    /// Records that a ball did not decide a step.
    @inline(__always)
    func giveUp() { undecided = true }

    /// `ball`.
    public var name: String { "ball" }
    /// False: converts and `reduce-precision` are the identity, as in the MPFR truth.
    public var roundsConversions: Bool { false }

    /// A buffer of `count` exact zeros.
    public func makeBuffer(count: Int) -> BallBuffer { BallBuffer(count: count) }

    /// `x` times `1 + 2^-48`, plus 2^-1060: an upper bound of a radius whose
    /// terms were computed with at most eight roundings to nearest (each at
    /// most 2^-53 relative) and may have lost up to a few subnormal units.
    @inline(__always)
    static func enlarged(_ x: Double) -> Double { x * (1 + 0x1p-48) + DoubleDouble.underflowErrorBound }

    /// Stores each value as a point.
    public func load(_ values: [Double], into buffer: BallBuffer) {
        for (i, v) in values.enumerated() where i < buffer.count {
            buffer.set(i, DoubleDouble(v), 0, origin: newOrigin())
        }
    }

    /// Stores each value as a point, except the elements with a literal: a
    /// ball holding the real number the decimal denotes (its ends read by
    /// MPFR rounding down and up, ``FPMPFR/MPFRRangeBounds/decimal(_:)``),
    /// with that real's sign. A literal MPFR cannot bound (the reader gives
    /// none) stores a ball of binary64's whole range, which decides nothing.
    public func load(_ values: [Double], literals: [Int: String], into buffer: BallBuffer) {
        load(values, into: buffer)
        for (i, text) in literals where i < buffer.count {
            if let ball = functions.decimal(text) {
                buffer.set(i, ball.center, ball.radius, origin: newOrigin())
                buffer.sign[i] = ball.sign
            } else {
                buffer.set(i, DoubleDouble(0), .greatestFiniteMagnitude, origin: newOrigin())
            }
        }
    }

    /// Stores each integer exactly as a double-double (every Int64 fits in 106 bits).
    public func loadIntegers(_ values: [Int64], dtype: DType, into buffer: BallBuffer) {
        for (i, v) in values.enumerated() where i < buffer.count {
            let h = Double(v)
            if Swift.abs(h) < 0x1p63 {
                buffer.set(i, DoubleDouble(h, Double(v &- Int64(h))), 0, origin: newOrigin())
            } else {
                // v is within 2^10 of −2^63 (h rounds to exactly −2^63 only then).
                buffer.set(i, DoubleDouble(h, Double(v &- Int64.min)), 0, origin: newOrigin())
            }
        }
    }

    /// Stores each unsigned integer exactly as a double-double.
    public func loadUnsignedIntegers(_ values: [UInt64], dtype: DType, into buffer: BallBuffer) {
        for (i, v) in values.enumerated() where i < buffer.count {
            let h = Double(v)
            if h < 0x1p64 {
                let back = UInt64(h)
                let low = v >= back ? Double(v - back) : -Double(back - v)
                buffer.set(i, DoubleDouble(h, low), 0, origin: newOrigin())
            } else {
                // h rounded up to 2^64: v = 2^64 − d with d < 2^11.
                buffer.set(i, DoubleDouble(h, -Double(UInt64.max - v) - 1), 0, origin: newOrigin())
            }
        }
    }

    /// Exactly `a − b` compared with zero when both are points; otherwise the
    /// sign of the difference of the centres when it exceeds both radii plus
    /// its rounding error; nil when the balls overlap.
    @inline(__always)
    func order(_ a: BallBuffer, _ ai: Int, _ b: BallBuffer, _ bi: Int) -> Int? {
        let (ah, bh) = (a.hi[ai], b.hi[bi])
        if a.sameReal(ai, b, bi) { return 0 }
        if a.isPoint(ai) && b.isPoint(bi) {
            if ah != bh { return ah < bh ? -1 : 1 }
            let (al, bl) = (a.lo[ai], b.lo[bi])
            return al == bl ? 0 : (al < bl ? -1 : 1)
        }
        let d = a.center(ai) - b.center(bi)
        // The difference's centre is within 2^-100 of |d| of the exact one, and
        // |d| >= |hi|(1 − 2^-52): |hi|(1 − 2^-49) is below the exact difference of the centres.
        let slack = Self.enlarged(a.radius[ai] + b.radius[bi])
        if d.hi * (1 - 0x1p-49) > slack { return 1 }
        if d.hi * (1 - 0x1p-49) < -slack { return -1 }
        return nil
    }

    /// The exact comparison when the balls are separated (or both points);
    /// otherwise records ``undecided``. NaN compares false except `ne`.
    public func compare(
        _ direction: ComparisonDirection, dtype: DType, _ a: BallBuffer, _ ai: Int, _ b: BallBuffer, _ bi: Int
    ) -> Bool {
        let (ah, bh) = (a.hi[ai], b.hi[bi])
        if ah.isNaN || bh.isNaN { return direction == .ne }
        if !ah.isFinite || !bh.isFinite {
            // Infinities are points; a finite ball is below +∞ and above −∞.
            return direction.holds(ah, bh)
        }
        guard let s = order(a, ai, b, bi) else {
            giveUp()
            return direction.holds(ah, bh)
        }
        return direction.holds(s, 0)
    }

    /// IEEE 754 totalOrder, decided on points or separated balls; otherwise
    /// records ``undecided``.
    public func compareTotalOrder(
        _ direction: ComparisonDirection, _ a: BallBuffer, _ ai: Int, _ b: BallBuffer, _ bi: Int
    ) -> Bool {
        let (ah, bh) = (a.hi[ai], b.hi[bi])
        if a.isPoint(ai) && b.isPoint(bi) {
            let (ka, kb) = (totalOrderKey(ah), totalOrderKey(bh))
            if ka != kb || ah.isNaN { return direction.holds(ka, kb) }
            let (al, bl) = (a.lo[ai], b.lo[bi])
            return direction.holds(al == bl ? 0 : (al < bl ? -1 : 1), 0)
        }
        if ah.isNaN || bh.isNaN || !ah.isFinite || !bh.isFinite {
            return direction.holds(totalOrderKey(ah), totalOrderKey(bh))
        }
        guard let s = order(a, ai, b, bi), s != 0 else {
            giveUp()
            return direction.holds(ah, bh)
        }
        return direction.holds(s, 0)
    }

    /// True for a finite ball; false for an infinity or NaN (always points).
    public func isFinite(_ x: BallBuffer, _ i: Int) -> Bool { x.hi[i].isFinite }

    /// True when zero is outside the ball (or it is NaN); false for a zero
    /// point; otherwise records ``undecided``.
    public func isNonZero(_ x: BallBuffer, _ i: Int) -> Bool {
        let h = x.hi[i]
        if h.isNaN || !h.isFinite { return true }
        if x.isPoint(i) { return h != 0 }
        if x.knownSign(i) != 0 { return true }
        giveUp()
        return true
    }

    /// True when every real in the finite ball `x[i]` has the sign of its centre.
    @inline(__always)
    func excludesZero(_ x: BallBuffer, _ i: Int) -> Bool {
        // |c| >= |hi|(1 − 2^-52) since |lo| <= ulp(hi)/2.
        Swift.abs(x.hi[i]) * (1 - 0x1p-50) > x.radius[i]
    }

    /// `y[j] = x[i]`.
    public func copyElement(from x: BallBuffer, _ i: Int, to y: BallBuffer, _ j: Int) {
        y.elements[j] = x.elements[i]
    }

    /// The identity (not called: ``roundsConversions`` is false).
    public func convert(_ x: BallBuffer, from source: DType, to target: DType, into y: BallBuffer, count: Int) {
        for i in 0..<count { copyElement(from: x, i, to: y, i) }
    }

    /// The identity, like ``convert(_:from:to:into:count:)``.
    public func reducePrecision(_ x: BallBuffer, exponentBits: Int, mantissaBits: Int, into y: BallBuffer, count: Int) {
        for i in 0..<count { copyElement(from: x, i, to: y, i) }
    }

    /// Lower and upper binary64 bounds of the ball `x[i]` (cut at zero on
    /// the side its known sign excludes).
    @inline(__always)
    func bounds(_ x: BallBuffer, _ i: Int) -> (Double, Double) {
        let (h, l, r) = (x.hi[i], x.lo[i], x.radius[i])
        if r == 0 && l == 0 { return (h, h) }
        let lower = DirectedRounding.addDown(h, DirectedRounding.addDown(l, -r))
        let upper = DirectedRounding.addUp(h, DirectedRounding.addUp(l, r))
        switch x.sign[i] {
        case 1: return (Swift.max(lower, 0), upper)
        case -1: return (lower, Swift.min(upper, -0.0))
        default: return (lower, upper)
        }
    }

    /// The truncation toward zero when both ends of the ball truncate to the
    /// same integer; otherwise records ``undecided``. Nil for NaN.
    public func truncatedInteger(_ x: BallBuffer, _ i: Int) -> Int64? {
        func truncated(_ v: Double) -> Int64 {
            if v >= 0x1p63 { return Int64.max }
            if v < -0x1p63 { return Int64.min }
            return Int64(v.rounded(.towardZero))
        }
        if x.hi[i].isNaN { return nil }
        let (lower, upper) = bounds(x, i)
        let (l, h) = (truncated(lower), truncated(upper))
        if l != h { giveUp() }
        return l
    }

    /// The truncation toward zero, saturated to `0...UInt64.max`, when both
    /// ends agree; otherwise records ``undecided``. Nil for NaN.
    public func truncatedUnsigned(_ x: BallBuffer, _ i: Int) -> UInt64? {
        func truncated(_ v: Double) -> UInt64 {
            if v >= 0x1p64 { return UInt64.max }
            if v < 1 { return 0 }
            return UInt64(v.rounded(.towardZero))
        }
        if x.hi[i].isNaN { return nil }
        let (lower, upper) = bounds(x, i)
        let (l, h) = (truncated(lower), truncated(upper))
        if l != h { giveUp() }
        return l
    }

    /// The leading part of the centre (the centre rounded to nearest).
    public func double(_ x: BallBuffer, _ i: Int) -> Double { x.hi[i] }

    /// The decided rounding, else the centre's leading part rounded to `format`
    /// (an approximation).
    public func rounded(_ x: BallBuffer, _ i: Int, to format: FloatFormat) -> Double {
        decided(x, i, in: format) ?? format.round(x.hi[i])
    }

    /// The correctly rounded value of `x[i]` in `format` when the whole ball
    /// rounds to it. For binary64 the ball must lie strictly between the two
    /// midpoints around its centre's leading part; for narrower formats its
    /// binary64 bounds must round to the same value (rounding is monotone).
    public func decided(_ x: BallBuffer, _ i: Int, in format: FloatFormat) -> Double? {
        let (h, l, r) = (x.hi[i], x.lo[i], x.radius[i])
        if h.isNaN || !h.isFinite { return h }
        if r == 0 && l == 0 { return format.round(h) }
        if format == .f64 && !x.straddlesZero(i) {
            guard h != 0, h.nextUp.isFinite, h.nextDown.isFinite else { return nil }
            let below = (h - h.nextDown) / 2
            let above = (h.nextUp - h) / 2
            let lower = DirectedRounding.addDown(l, -r)
            let upper = DirectedRounding.addUp(l, r)
            return lower > -below && upper < above ? h : nil
        }
        let (lower, upper) = bounds(x, i)
        let a = format.round(lower)
        let b = format.round(upper)
        return a.bitPattern == b.bitPattern ? a : nil
    }

    /// True when both binary64 bounds of the ball round to a zero of `format`.
    public func roundsToZero(_ x: BallBuffer, _ i: Int, in format: FloatFormat) -> Bool {
        if x.hi[i].isNaN { return false }
        let (lower, upper) = bounds(x, i)
        return format.round(lower) == 0 && format.round(upper) == 0
    }

    /// Nil: reports read the centre as a Double.
    public func decimal(_ x: BallBuffer, _ i: Int, digits: Int) -> String? { nil }
}

/// Hands out disjoint blocks of ball origins, one per ``BallDomain``
/// instance (and a fresh one when an instance uses up its block).
enum OriginBlocks {
    /// The low bits of an origin, counted within a block.
    static let mask: UInt64 = (1 << 40) - 1
    private static let lock = NSLock()
    nonisolated(unsafe) private static var blocks: UInt64 = 0

    /// The first origin of a new block, less one (origin 0 means "no origin").
    static func next() -> UInt64 {
        lock.lock()
        defer { lock.unlock() }
        blocks += 1
        return blocks << 40
    }
}
