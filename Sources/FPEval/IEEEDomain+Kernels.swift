import FPGraph
import FPNumerics
import Foundation
import RealModule

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
        switch (op, format) {
        case (.add, .f64): Self.loop(a, aStride, b, bStride, y, count) { $0 + $1 }
        case (.subtract, .f64): Self.loop(a, aStride, b, bStride, y, count) { $0 - $1 }
        case (.multiply, .f64): Self.loop(a, aStride, b, bStride, y, count) { $0 * $1 }
        case (.divide, .f64): Self.loop(a, aStride, b, bStride, y, count) { $0 / $1 }
        case (.add, .f32): Self.loop(a, aStride, b, bStride, y, count) { Double(Float($0) + Float($1)) }
        case (.subtract, .f32): Self.loop(a, aStride, b, bStride, y, count) { Double(Float($0) - Float($1)) }
        case (.multiply, .f32): Self.loop(a, aStride, b, bStride, y, count) { Double(Float($0) * Float($1)) }
        case (.divide, .f32): Self.loop(a, aStride, b, bStride, y, count) { Double(Float($0) / Float($1)) }
        case (_, .f64):
            let f = Self.binaryDouble(op)
            Self.loop(a, aStride, b, bStride, y, count, f)
        default:
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
            default: y.values[yi] = Self.binaryDouble(op)(u, v)
            }
        case .f32:
            switch op {
            case .add: y.values[yi] = Double(Float(u) + Float(v))
            case .multiply: y.values[yi] = Double(Float(u) * Float(v))
            default: y.values[yi] = Double(Self.binaryFloat(op)(Float(u), Float(v)))
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

    // MARK: - Scalar semantics, written once for Float and Double

    static func unaryDouble(_ op: UnaryOp) -> (Double) -> Double { unaryFunction(op) }
    static func unaryFloat(_ op: UnaryOp) -> (Float) -> Float { unaryFunction(op) }
    static func binaryDouble(_ op: BinaryOp) -> (Double, Double) -> Double { binaryFunction(op) }
    static func binaryFloat(_ op: BinaryOp) -> (Float, Float) -> Float { binaryFunction(op) }

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

/// -1, +1, or the zero/NaN itself (so sign(-0) = -0 and sign(NaN) = NaN).
@inline(__always)
func signum<T: BinaryFloatingPoint>(_ x: T) -> T {
    if x > 0 { return 1 }
    if x < 0 { return -1 }
    return x
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
