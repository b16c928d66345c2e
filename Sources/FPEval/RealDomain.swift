import FPGraph
import FPNumerics

/// A number domain the interpreter runs in: how floating-point values are
/// stored and how each operation rounds.
///
/// Integer and pred values never reach a domain: the interpreter computes
/// them exactly itself. Buffers are allocated once per node and reused for
/// every evaluation. Every method that writes takes the destination buffer
/// explicitly and never allocates.
public protocol RealDomain: AnyObject {
    /// Storage for `count` floating-point values.
    associatedtype Buffer: AnyObject

    /// Short name for reports (`declared`, `double`, `mpfr@128`).
    var name: String { get }

    /// True when float-to-float `convert` and `reduce-precision` round (the
    /// declared-precision evaluator); false when they are the identity (double
    /// mode and the MPFR truth, which compute the real-number function).
    var roundsConversions: Bool { get }

    /// True when the values this domain computed since its last reset may be
    /// stored and reused by another run on the same inputs
    /// (``NodeValueStore``): an enclosure domain that gave up on a step has
    /// guessed, and its later values are not enclosures.
    var reusable: Bool { get }

    /// Allocates a buffer of `count` values.
    func makeBuffer(count: Int) -> Buffer

    /// Stores values given exactly as doubles (parameters, constants).
    func load(_ values: [Double], into buffer: Buffer)

    /// Stores a constant's values (``load(_:into:)``) whose elements listed
    /// in `literals` were written as decimals that are not values of the
    /// dtype (``FPGraph/Tensor/literals``): `values` holds them rounded to the
    /// dtype. A domain computing the real-number function (the MPFR truth
    /// and its enclosures) stores the real number each literal denotes (to
    /// its working precision, or enclosed); the IEEE domain stores `values`.
    func load(_ values: [Double], literals: [Int: String], into buffer: Buffer)

    /// Stores integers converted to the float `dtype` (rounded as the domain rounds).
    func loadIntegers(_ values: [Int64], dtype: DType, into buffer: Buffer)

    /// Stores unsigned integers (`u64` bit patterns) converted to the float
    /// `dtype` with one rounding, as ``loadIntegers(_:dtype:into:)`` does.
    func loadUnsignedIntegers(_ values: [UInt64], dtype: DType, into buffer: Buffer)

    /// `y[i] = op(x[i * xStride])`; `xStride` is 0 (scalar operand) or 1.
    func unary(_ op: UnaryOp, dtype: DType, _ x: Buffer, xStride: Int, into y: Buffer, count: Int)

    /// `y[i] = op(a[i * aStride], b[i * bStride])`.
    func binary(
        _ op: BinaryOp, dtype: DType, _ a: Buffer, aStride: Int, _ b: Buffer, bStride: Int,
        into y: Buffer, count: Int)

    /// `y[yi] = op(a[ai], b[bi])`: one step of a reduction or a dot product.
    func binaryElement(
        _ op: BinaryOp, dtype: DType, _ a: Buffer, _ ai: Int, _ b: Buffer, _ bi: Int,
        into y: Buffer, _ yi: Int)

    /// The comparison `a[ai] direction b[bi]`; any comparison with NaN is false except `NE`.
    func compare(_ direction: ComparisonDirection, dtype: DType, _ a: Buffer, _ ai: Int, _ b: Buffer, _ bi: Int)
        -> Bool

    /// Compares `a[ai]` with `b[bi]` by IEEE 754 totalOrder: −NaN < −∞ < … <
    /// −0 < +0 < … < +∞ < +NaN (the sign of a NaN decides its end).
    func compareTotalOrder(_ direction: ComparisonDirection, _ a: Buffer, _ ai: Int, _ b: Buffer, _ bi: Int) -> Bool

    /// True when `x[i]` is neither infinite nor NaN.
    func isFinite(_ x: Buffer, _ i: Int) -> Bool

    /// True when `x[i]` is not ±0 (NaN counts as non-zero, as C's `x != 0`).
    func isNonZero(_ x: Buffer, _ i: Int) -> Bool

    /// `y[j] = x[i]`, exactly (both buffers belong to this domain).
    func copyElement(from x: Buffer, _ i: Int, to y: Buffer, _ j: Int)

    /// Float-to-float conversion; only called when ``roundsConversions`` is true.
    func convert(_ x: Buffer, from source: DType, to target: DType, into y: Buffer, count: Int)

    /// XLA `reduce-precision`; only called when ``roundsConversions`` is true.
    func reducePrecision(_ x: Buffer, exponentBits: Int, mantissaBits: Int, into y: Buffer, count: Int)

    /// `x[i]` truncated toward zero, saturated to the Int64 range; nil for NaN.
    func truncatedInteger(_ x: Buffer, _ i: Int) -> Int64?

    /// `x[i]` truncated toward zero, saturated to `0...UInt64.max`; nil for NaN.
    func truncatedUnsigned(_ x: Buffer, _ i: Int) -> UInt64?

    /// `x[i]` rounded to nearest into a Double.
    func double(_ x: Buffer, _ i: Int) -> Double

    /// `x[i]` correctly rounded (ties to even) to `format`.
    func rounded(_ x: Buffer, _ i: Int, to format: FloatFormat) -> Double

    /// `x[i]` with `digits` significant decimal digits, when the domain holds
    /// more than a Double can say (nil otherwise).
    func decimal(_ x: Buffer, _ i: Int, digits: Int) -> String?

    /// The dot products `y[o] = Σ_j a[lhsBases[o] + lhsOffsets[j]] × b[rhsBases[o] + rhsOffsets[j]]`,
    /// each accumulated from +0 in order of `j` (the sequential order) in
    /// `dtype` (the dot's accumulation type), when the domain has a faster
    /// path with exactly the meaning of those steps
    /// (``binaryElement(_:dtype:_:_:_:_:into:_:)`` multiplies then adds);
    /// false, having written nothing, to let the dot kernel take the steps.
    func sequentialDots(
        _ a: Buffer, _ b: Buffer, lhsBases: [Int], rhsBases: [Int], lhsOffsets: [Int], rhsOffsets: [Int],
        dtype: DType, into y: Buffer
    ) -> Bool
}

extension RealDomain {
    /// True: a deterministic domain's values are a function of the graph and its inputs.
    public var reusable: Bool { true }

    /// No faster path: the dot kernel takes the steps.
    public func sequentialDots(
        _ a: Buffer, _ b: Buffer, lhsBases: [Int], rhsBases: [Int], lhsOffsets: [Int], rhsOffsets: [Int],
        dtype: DType, into y: Buffer
    ) -> Bool { false }
}
