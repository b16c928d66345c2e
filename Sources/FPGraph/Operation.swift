import FPNumerics

/// Elementwise operations of one operand.
public enum UnaryOp: String, CaseIterable, Hashable, Sendable {
    case neg, abs, sign, exp, expm1, log, log1p, sqrt, rsqrt, cbrt, tanh, logistic
    case sin, cos, tan, erf, floor, ceil
    case atan, sinh, cosh, asin, acos, asinh, acosh, atanh
    case roundNearestEven = "round-nearest-even"
    /// Nearest integer, halfway cases away from zero (XLA `round-nearest-afz`).
    case roundNearestAfz = "round-nearest-afz"
    /// Number of set bits in the integer's width (XLA `popcnt`).
    case popcnt
    /// Number of leading zero bits in the integer's width (XLA `count-leading-zeros`).
    case clz = "count-leading-zeros"
    case isFinite = "is-finite"
    case not
    /// Identity (XLA `copy`); kept so imported graphs map without loss.
    case copy

    /// True for ops defined only on floating-point operands.
    public var requiresFloat: Bool {
        switch self {
        case .neg, .abs, .sign, .not, .copy, .popcnt, .clz: return false
        case .exp, .expm1, .log, .log1p, .sqrt, .rsqrt, .cbrt, .tanh, .logistic, .sin, .cos, .tan, .erf, .floor,
            .ceil, .atan, .sinh, .cosh, .asin, .acos, .asinh, .acosh, .atanh, .roundNearestEven, .roundNearestAfz,
            .isFinite:
            return true
        }
    }

    /// True for the bit-counting ops, defined on integers only (not pred).
    public var isBitCount: Bool { self == .popcnt || self == .clz }
}

/// Elementwise operations of two operands of the same type.
public enum BinaryOp: String, CaseIterable, Hashable, Sendable {
    case add, subtract, multiply, divide, remainder, power, maximum, minimum, atan2
    case and, or, xor
    /// `a << b` in the dtype's width; 0 when b is at least the width (or negative).
    case shiftLeft = "shift-left"
    /// `a >> b` filling with zeros; 0 when b is at least the width (or negative).
    case shiftRightLogical = "shift-right-logical"
    /// `a >> b` replicating the top bit; all copies of it when b is at least the width (or negative).
    case shiftRightArithmetic = "shift-right-arithmetic"

    /// True for ops defined only on floating-point operands.
    public var requiresFloat: Bool { self == .atan2 }

    /// True for the shifts, defined on integers only (not pred).
    public var isShift: Bool {
        self == .shiftLeft || self == .shiftRightLogical || self == .shiftRightArithmetic
    }

    /// True for the logical/bitwise ops, defined on pred and integers only.
    public var isLogical: Bool {
        switch self {
        case .and, .or, .xor: return true
        case .add, .subtract, .multiply, .divide, .remainder, .power, .maximum, .minimum, .atan2, .shiftLeft,
            .shiftRightLogical, .shiftRightArithmetic:
            return false
        }
    }
}

/// Direction of a `compare`.
public enum ComparisonDirection: String, CaseIterable, Hashable, Sendable {
    case eq = "EQ", ne = "NE", lt = "LT", le = "LE", gt = "GT", ge = "GE"
}

/// Dimension numbers of a general dot product, as in XLA's `DotGeneral`.
///
/// The result's dimensions are, in order: the batch dimensions, the lhs
/// dimensions that are neither batch nor contracting, then the rhs ones.
public struct DotDimensions: Hashable, Sendable {
    /// The lhs's batch dimensions, paired in order with ``rhsBatch`` (paired dimensions must have equal sizes).
    public var lhsBatch: [Int]
    /// The rhs's batch dimensions, paired in order with ``lhsBatch``.
    public var rhsBatch: [Int]
    /// The lhs dimensions summed over, paired in order with ``rhsContracting`` (paired dimensions must have
    /// equal sizes).
    public var lhsContracting: [Int]
    /// The rhs dimensions summed over, paired in order with ``lhsContracting``.
    public var rhsContracting: [Int]

    /// Creates dot dimension numbers; the batch dimensions default to none, as in a matrix product.
    public init(lhsBatch: [Int] = [], rhsBatch: [Int] = [], lhsContracting: [Int], rhsContracting: [Int]) {
        self.lhsBatch = lhsBatch
        self.rhsBatch = rhsBatch
        self.lhsContracting = lhsContracting
        self.rhsContracting = rhsContracting
    }
}

/// Per-dimension slice bounds: `start ..< limit` by `stride`.
public struct SliceBounds: Hashable, Sendable {
    /// First index taken in each dimension (inclusive, at least 0).
    public var starts: [Int]
    /// End of the range in each dimension (exclusive, at most the dimension's size).
    public var limits: [Int]
    /// Step between the indices taken in each dimension (at least 1).
    public var strides: [Int]

    /// Creates slice bounds from one start, limit and stride per dimension.
    public init(starts: [Int], limits: [Int], strides: [Int]) {
        self.starts = starts
        self.limits = limits
        self.strides = strides
    }
}

/// Per-dimension padding: low and high edge padding (negative crops) and
/// interior padding between elements.
public struct PaddingConfig: Hashable, Sendable {
    /// Elements added before the first one in each dimension; a negative count removes elements.
    public var low: [Int]
    /// Elements added after the last one in each dimension; a negative count removes elements.
    public var high: [Int]
    /// Elements inserted between each two adjacent elements, per dimension (at least 0).
    public var interior: [Int]

    /// Creates a padding configuration from one low, high and interior count per dimension.
    public init(low: [Int], high: [Int], interior: [Int]) {
        self.low = low
        self.high = high
        self.interior = interior
    }
}

/// The window of a `reduce-window`, per dimension of the input (XLA's `Window`).
public struct WindowConfig: Hashable, Sendable {
    /// The window's size in each dimension (at least 1).
    public var dimensions: [Int]
    /// Step between successive window positions, per dimension (at least 1).
    public var strides: [Int]
    /// Padding before the first input element, per dimension.
    public var paddingLow: [Int]
    /// Padding after the last input element, per dimension.
    public var paddingHigh: [Int]
    /// Input dilation per dimension: with d, adjacent input elements sit d positions apart (1: none).
    public var baseDilations: [Int]
    /// Window dilation per dimension: with d, the window takes every d-th position in its span (1: none).
    public var windowDilations: [Int]

    /// A window with the given sizes; strides, dilations default to 1 and padding to 0.
    public init(
        dimensions: [Int], strides: [Int]? = nil, paddingLow: [Int]? = nil, paddingHigh: [Int]? = nil,
        baseDilations: [Int]? = nil, windowDilations: [Int]? = nil
    ) {
        let ones = [Int](repeating: 1, count: dimensions.count)
        let zeros = [Int](repeating: 0, count: dimensions.count)
        self.dimensions = dimensions
        self.strides = strides ?? ones
        self.paddingLow = paddingLow ?? zeros
        self.paddingHigh = paddingHigh ?? zeros
        self.baseDilations = baseDilations ?? ones
        self.windowDilations = windowDilations ?? ones
    }
}

/// What a node computes, with the attributes that define it.
public enum Operation: Hashable, Sendable {
    /// The computation's parameter with this position.
    case parameter(index: Int)
    case constant(Tensor)
    case unary(UnaryOp)
    case binary(BinaryOp)
    /// Compares elementwise; with `totalOrder`, floats compare by IEEE 754
    /// totalOrder (−NaN < −∞ < … < −0 < +0 < … < +∞ < +NaN; XLA `type=TOTALORDER`).
    case compare(ComparisonDirection, totalOrder: Bool = false)
    /// `select(pred, on_true, on_false)`.
    case select
    /// `clamp(min, operand, max)`.
    case clamp
    /// Conversion to the node's declared dtype.
    case convert
    /// XLA `bitcast-convert`: the operand's bit pattern read as the node's
    /// declared dtype, of the same width (f32 ↔ s32/u32, f64 ↔ s64, s32 ↔ u32).
    case bitcastConvert
    /// Rounds to a float format with the given exponent and mantissa bits (XLA semantics).
    case reducePrecision(exponentBits: Int, mantissaBits: Int)
    /// Operand dimension `i` becomes result dimension `dimensions[i]`.
    case broadcast(dimensions: [Int])
    case reshape
    /// Result dimension `i` is operand dimension `permutation[i]`.
    case transpose(permutation: [Int])
    case slice(SliceBounds)
    case concatenate(dimension: Int)
    /// `pad(operand, padding_value)`.
    case pad(PaddingConfig)
    case iota(dimension: Int)
    /// `reduce(inputs..., inits...)` over `dimensions` with the named reducer computation.
    case reduce(dimensions: [Int], reducer: String)
    case dot(DotDimensions)
    /// XLA `convolution(lhs, rhs)`: windowed sums of products (see ``ConvolutionAttributes``).
    case convolution(ConvolutionAttributes)
    case tuple
    case getTupleElement(index: Int)
    /// Calls the named computation with the operands as its parameters.
    case call(computation: String)
    /// Reinterprets the operand's physical memory with the result's layout
    /// (XLA `bitcast` after layout assignment). Layouts are minor-to-major
    /// dimension orders, as in `f32[4,16]{1,0}`.
    case bitcast(operandLayout: [Int], resultLayout: [Int])
    /// `reduce-window(inputs..., inits...)` with the named reducer: each output starts
    /// at the init values and folds in the window's input elements in row-major
    /// window order; padding positions and base-dilation holes are skipped (XLA CPU).
    case reduceWindow(WindowConfig, reducer: String)
    /// `dynamic-slice(operand, starts...)`: a `sizes` block at run-time start
    /// indices (one integer scalar per dimension), clamped so the block fits.
    case dynamicSlice(sizes: [Int])
    /// `dynamic-update-slice(operand, update, starts...)`: the operand with
    /// `update` written at run-time start indices, clamped so it fits.
    case dynamicUpdateSlice
    /// `while(init)`: repeats `body` while `condition` returns true.
    case whileLoop(condition: String, body: String)
    /// `conditional(selector, operands...)`: runs `branches[k]` on operand k + 1, where
    /// k = 0 for a true pred and 1 for false, or the s32 index (out of range: the last branch).
    case conditional(branches: [String])
    /// `gather(operand, start_indices)`: slices of the operand at run-time
    /// start indices (clamped so each slice fits), laid out as the dimension numbers say.
    case gather(GatherDimensions)
    /// `scatter(operands..., scatter_indices, updates...)`: each update element
    /// combined into its operand element with `combiner(current..., update...)`,
    /// in the updates' row-major order; windows that do not fit are skipped.
    case scatter(ScatterDimensions, combiner: String)
    /// The operand with the order of its elements reversed along `dimensions`.
    case reverse(dimensions: [Int])
    /// XLA `opt-barrier`: its operand, unchanged (it only stops optimisations moving code across it).
    case optimizationBarrier
    /// `sort(operands...)` along `dimension`: every operand permuted alike, in
    /// the order the `comparator` computation (2N scalars: lhs and rhs of each
    /// operand, returning pred) defines; stable when `isStable`.
    case sort(dimension: Int, isStable: Bool, comparator: String)
    /// `topk(x)`: the `k` largest (or smallest) elements along the last
    /// dimension by IEEE totalOrder, and their indices (s32); ties by index.
    /// With a `comparator` (XLA CPU's `custom-call` "TopK": a sort comparator
    /// over (value, index) pairs), the first `k` in the comparator's order.
    case topK(k: Int, largest: Bool, comparator: String? = nil)
    /// XLA `select-and-scatter(operand, source, init_value)`: the result starts
    /// as `init_value` everywhere; for each source element (row-major) the
    /// `select` computation picks one operand position of its window (see
    /// ``SelectAndScatter``) and `scatter(current, source)` is stored there.
    case selectAndScatter(WindowConfig, select: String, scatter: String)
    /// XLA `map(operands...)`: the computation applied to the operands' elements at each position.
    case map(computation: String)
    /// XLA `mulhi(a, b)`: the high half of the double-width product of two integers (signed or unsigned).
    case multiplyHigh
    /// XLA `batch-norm-inference`, `batch-norm-training` and `batch-norm-grad`.
    case batchNorm(BatchNormConfig)
    /// XLA `rng-bit-generator(state)`: the pure counter-based generator
    /// (``FPNumerics/RandomBitGenerator``) run from the u64 state; the result is
    /// the tuple (new state, random bits of type `output`). `rng_default` is
    /// resolved to the algorithm XLA CPU runs for it (Philox) when read.
    case rngBitGenerator(algorithm: RandomBitAlgorithm, output: ArrayType)

    /// The opcode name used in our JSON format and in messages.
    public var opcodeName: String { rule.name }

    /// Names of the computations this operation calls.
    public var calledComputations: [String] { rule.calledComputations }
}
