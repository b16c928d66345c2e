import FPGraph
import FPNumerics
import Foundation
import RealModule

/// Storage of the IEEE domain: one contiguous block of binary64 values, each
/// holding a value exactly representable in its node's dtype.
public final class IEEEBuffer {
    /// The number of values the buffer holds (its storage has room for at least one).
    public let count: Int
    let values: UnsafeMutablePointer<Double>

    init(count: Int) {
        self.count = count
        values = .allocate(capacity: max(count, 1))
        values.initialize(repeating: 0, count: max(count, 1))
    }

    deinit { values.deallocate() }

    /// Element `i`.
    public subscript(i: Int) -> Double { values[i] }
}

/// The IEEE 754 evaluator: declared precision, or everything in binary64.
///
/// Declared precision: f64 ops run on `Double`; f32 ops on `Float`; f16 and
/// bf16 ops compute in `Float` and round the result once to the narrow
/// format (ties to even). For `+ - * /` and `sqrt` this double rounding is
/// harmless: binary32 has 24 ≥ 2·11 + 2 and 24 ≥ 2·8 + 2 significand bits,
/// so rounding first to binary32 and then to the narrow format gives the
/// correctly rounded narrow result (Figueroa's theorem). Transcendentals call
/// the platform libm (glibc): `exp`, `expf`, ... on the compute type.
public final class IEEEDomain: RealDomain {
    /// Declared precision, or everything in binary64.
    public let mode: ExecutionMode
    /// Whether subnormals are kept or flushed; flushing applies in declared mode only.
    public let subnormals: SubnormalMode
    /// Flushing applies to the declared-precision evaluator only.
    let flushesSubnormals: Bool

    /// Creates the domain; `subnormals: .flush` takes effect only with
    /// `mode: .declared`.
    public init(mode: ExecutionMode, subnormals: SubnormalMode = .keep) {
        self.mode = mode
        self.subnormals = subnormals
        flushesSubnormals = mode == .declared && subnormals == .flush
    }

    /// The mode's name (`declared`, `double`), with `+ftz` when subnormals are flushed.
    public var name: String { flushesSubnormals ? "\(mode.rawValue)+ftz" : mode.rawValue }
    /// True in declared mode; in double mode float converts and `reduce-precision`
    /// are the identity.
    public var roundsConversions: Bool { mode == .declared }

    /// A zero-filled buffer of `count` binary64 values.
    public func makeBuffer(count: Int) -> IEEEBuffer { IEEEBuffer(count: count) }

    /// Copies `values`, each already exact in its node's dtype, into `buffer`;
    /// values beyond the buffer's count are ignored.
    public func load(_ values: [Double], into buffer: IEEEBuffer) {
        values.withUnsafeBufferPointer { source in
            buffer.values.update(from: source.baseAddress!, count: min(source.count, buffer.count))
        }
    }

    /// Stores `values`, the constant's elements rounded to its dtype: the
    /// measured semantics computes with the rounded constant, so `literals`
    /// are not used.
    public func load(_ values: [Double], literals: [Int: String], into buffer: IEEEBuffer) {
        load(values, into: buffer)
    }

    /// Converts each integer to `dtype`'s compute format with a single rounding to
    /// nearest (magnitudes above 2^53 go through a round-to-odd `Double`).
    public func loadIntegers(_ values: [Int64], dtype: DType, into buffer: IEEEBuffer) {
        let format = computeFormat(dtype)
        for (i, v) in values.enumerated() {
            // Through a round-to-odd Double, so that |v| > 2^53 is rounded once (not twice) to a narrow format.
            buffer.values[i] = format == .f64 ? Double(v) : format.round(Self.roundedToOdd(v))
        }
    }

    /// Converts each unsigned integer to `dtype`'s compute format with a single
    /// rounding to nearest (through a round-to-odd `Double` above 2^53).
    public func loadUnsignedIntegers(_ values: [UInt64], dtype: DType, into buffer: IEEEBuffer) {
        let format = computeFormat(dtype)
        for (i, v) in values.enumerated() {
            buffer.values[i] = format == .f64 ? Double(v) : format.round(Self.roundedToOdd(v))
        }
    }

    /// `v` as a Double rounded to odd: exact below 2^53, else truncated to 53 bits with the
    /// last bit set if any bit was dropped; rounding that to at most 51 bits is correct.
    static func roundedToOdd(_ v: UInt64) -> Double {
        let shift = Swift.max(0, 64 - v.leadingZeroBitCount - 53)
        guard shift > 0 else { return Double(v) }
        var kept = v >> UInt64(shift)
        if v & ((1 << UInt64(shift)) - 1) != 0 { kept |= 1 }
        return Double(sign: .plus, exponent: shift, significand: Double(kept))
    }

    /// `v` as a Double rounded to odd: exact below 2^53, else truncated to 53 bits with the
    /// last bit set if any bit was dropped; rounding that to at most 51 bits is correct.
    static func roundedToOdd(_ v: Int64) -> Double {
        let magnitude = v.magnitude
        let shift = Swift.max(0, 64 - magnitude.leadingZeroBitCount - 53)
        guard shift > 0 else { return Double(v) }
        var kept = magnitude >> UInt64(shift)
        if magnitude & ((1 << UInt64(shift)) - 1) != 0 { kept |= 1 }
        let result = Double(sign: .plus, exponent: shift, significand: Double(kept))
        return v < 0 ? -result : result
    }

    /// The format a dtype computes in under this mode.
    @inline(__always)
    func computeFormat(_ dtype: DType) -> FloatFormat {
        if mode == .double { return .f64 }
        return FloatFormat(dtype: dtype)
    }

    /// IEEE 754 totalOrder on the stored doubles (the narrower formats embed in
    /// binary64 preserving signs, so the order is the same).
    public func compareTotalOrder(
        _ direction: ComparisonDirection, _ a: IEEEBuffer, _ ai: Int, _ b: IEEEBuffer, _ bi: Int
    ) -> Bool {
        direction.holds(totalOrderKey(a.values[ai]), totalOrderKey(b.values[bi]))
    }

    /// The IEEE comparison `a[ai] direction b[bi]`: false when either is NaN, except
    /// `ne`; -0 equals +0.
    /// When flushing, operands subnormal in the compute format compare as zeros
    /// of their sign (DAZ), as XLA CPU's compiled comparisons do.
    public func compare(
        _ direction: ComparisonDirection, dtype: DType, _ a: IEEEBuffer, _ ai: Int, _ b: IEEEBuffer, _ bi: Int
    ) -> Bool {
        var x = a.values[ai]
        var y = b.values[bi]
        if flushesSubnormals {
            let format = computeFormat(dtype)
            let flushFormat: FloatFormat = format == .f64 ? .f64 : .f32
            x = Self.flushedIn(flushFormat, x)
            y = Self.flushedIn(flushFormat, y)
        }
        switch direction {
        case .eq: return x == y
        case .ne: return x != y
        case .lt: return x < y
        case .le: return x <= y
        case .gt: return x > y
        case .ge: return x >= y
        }
    }

    /// True when `x[i]` is neither infinite nor NaN.
    public func isFinite(_ x: IEEEBuffer, _ i: Int) -> Bool { x.values[i].isFinite }

    /// True when `x[i]` is not ±0 (NaN counts as non-zero).
    public func isNonZero(_ x: IEEEBuffer, _ i: Int) -> Bool { x.values[i] != 0 }

    /// `y[j] = x[i]`, exactly.
    public func copyElement(from x: IEEEBuffer, _ i: Int, to y: IEEEBuffer, _ j: Int) { y.values[j] = x.values[i] }

    /// Rounds each of the first `count` values to `target`'s compute format (ties to
    /// even). When flushing, a subnormal source or result whose compute format is
    /// binary32 or binary64 becomes a zero of its sign; an f16 or bf16 side keeps
    /// its subnormals.
    public func convert(_ x: IEEEBuffer, from source: DType, to target: DType, into y: IEEEBuffer, count: Int) {
        let format = computeFormat(target)
        guard flushesSubnormals else {
            for i in 0..<count { y.values[i] = format.round(x.values[i]) }
            return
        }
        // Hardware conversions between binary32 and binary64 obey DAZ on the
        // source and FTZ on the result; f16 and bf16 are converted on their bits
        // and keep their subnormals.
        let sourceFormat = computeFormat(source)
        for i in 0..<count {
            y.values[i] = Self.flushedIn(format, format.round(Self.flushedIn(sourceFormat, x.values[i])))
        }
    }

    /// `x` flushed to zero if it is subnormal in `format` (binary32 or binary64 only).
    static func flushedIn(_ format: FloatFormat, _ x: Double) -> Double {
        switch format {
        case .f32: return Double(flushed(Float(x)))
        case .f64: return flushed(x)
        default: return x
        }
    }

    /// XLA `reduce-precision` of each of the first `count` values (FPNumerics'
    /// `reducePrecision(_:exponentBits:mantissaBits:)`).
    public func reducePrecision(_ x: IEEEBuffer, exponentBits: Int, mantissaBits: Int, into y: IEEEBuffer, count: Int) {
        for i in 0..<count {
            y.values[i] = FPNumerics.reducePrecision(
                x.values[i], exponentBits: exponentBits, mantissaBits: mantissaBits)
        }
    }

    /// `x[i]` truncated toward zero, saturated to the `Int64` range; nil for NaN.
    public func truncatedInteger(_ x: IEEEBuffer, _ i: Int) -> Int64? {
        let v = x.values[i]
        if v.isNaN { return nil }
        if v >= 0x1p63 { return Int64.max }
        if v < -0x1p63 { return Int64.min }
        return Int64(v.rounded(.towardZero))
    }

    /// `x[i]` truncated toward zero, saturated to `0...UInt64.max`; nil for NaN.
    public func truncatedUnsigned(_ x: IEEEBuffer, _ i: Int) -> UInt64? {
        let v = x.values[i]
        if v.isNaN { return nil }
        if v >= 0x1p64 { return UInt64.max }
        if v < 1 { return 0 }
        return UInt64(v.rounded(.towardZero))
    }

    /// `x[i]` itself: an IEEE value is stored as its exact `Double`.
    public func double(_ x: IEEEBuffer, _ i: Int) -> Double { x.values[i] }

    /// `x[i]` rounded to nearest (ties to even) to `format`.
    public func rounded(_ x: IEEEBuffer, _ i: Int, to format: FloatFormat) -> Double { format.round(x.values[i]) }

    /// Nil: an IEEE value is exactly its Double.
    public func decimal(_ x: IEEEBuffer, _ i: Int, digits: Int) -> String? { nil }
}

/// A float type with the C library functions swift-numerics does not give
/// with C semantics: `pow` (defined for negative bases with integral
/// exponents, which swift-numerics' `pow` is not) and `fmod`.
protocol LibmFloat: Real, BinaryFloatingPoint {
    static func cPower(_ x: Self, _ y: Self) -> Self
    static func cRemainder(_ x: Self, _ y: Self) -> Self
}

extension Double: LibmFloat {
    static func cPower(_ x: Double, _ y: Double) -> Double { Foundation.pow(x, y) }
    static func cRemainder(_ x: Double, _ y: Double) -> Double { Foundation.fmod(x, y) }
}

extension Float: LibmFloat {
    static func cPower(_ x: Float, _ y: Float) -> Float { Foundation.pow(x, y) }
    static func cRemainder(_ x: Float, _ y: Float) -> Float { Foundation.fmod(x, y) }
}

/// `x`, or a zero of its sign when `x` is subnormal (flush-to-zero / denormals-are-zero).
@inline(__always)
func flushed<T: BinaryFloatingPoint>(_ x: T) -> T {
    x.isSubnormal ? (x.sign == .minus ? -T.zero : T.zero) : x
}
