import FPGraph

/// Exact integer and pred arithmetic, shared by every domain: results wrap to
/// the dtype's width (two's complement) as XLA's integer ops do.
enum IntegerKernels {
    static func unary(_ op: UnaryOp, _ x: [Int64], into y: inout [Int64], dtype: DType) {
        for i in x.indices {
            let v = x[i]
            switch op {
            case .neg: y[i] = dtype.wrap(0 &- v)
            case .abs: y[i] = dtype.isUnsigned ? v : dtype.wrap(v < 0 ? 0 &- v : v)
            case .sign: y[i] = dtype.isUnsigned ? (v != 0 ? 1 : 0) : (v > 0 ? 1 : (v < 0 ? -1 : 0))
            case .not: y[i] = dtype == .pred ? (v == 0 ? 1 : 0) : dtype.wrap(~v)
            case .popcnt: y[i] = Int64(bits(v, dtype).nonzeroBitCount)
            case .clz: y[i] = Int64(bits(v, dtype).leadingZeroBitCount - (64 - width(dtype)))
            default: y[i] = v
            }
        }
    }

    static func binary(
        _ op: BinaryOp, _ a: [Int64], _ sa: Int, _ b: [Int64], _ sb: Int, into y: inout [Int64],
        count: Int, dtype: DType
    ) {
        for i in 0..<count {
            y[i] = apply(op, a[i * sa], b[i * sb], dtype: dtype)
        }
    }

    /// One integer operation. Division by zero gives -1 (all ones, so the
    /// largest value of an unsigned dtype) and remainder by zero the dividend
    /// (XLA's defined behaviour); `MIN / -1` wraps to `MIN` and `MIN % -1` is 0.
    /// `u64` elements are read as unsigned (see ``DType``).
    static func apply(_ op: BinaryOp, _ u: Int64, _ v: Int64, dtype: DType) -> Int64 {
        let unsigned = dtype.isUnsigned
        if dtype == .u64, let r = applyU64(op, UInt64(bitPattern: u), UInt64(bitPattern: v)) {
            return Int64(bitPattern: r)
        }
        switch op {
        case .add: return dtype.wrap(u &+ v)
        case .subtract: return dtype.wrap(u &- v)
        case .multiply: return dtype.wrap(u &* v)
        case .divide:
            if v == 0 { return dtype.wrap(-1) }
            if v == -1 { return dtype.wrap(0 &- u) }
            return dtype.wrap(u / v)
        case .remainder:
            if v == 0 { return u }
            if v == -1 { return 0 }
            return dtype.wrap(u % v)
        case .power:
            return dtype.wrap(
                unsigned ? Int64(bitPattern: powerUnsigned(UInt64(bitPattern: u), UInt64(bitPattern: v))) : power(u, v))
        case .maximum: return Swift.max(u, v)
        case .minimum: return Swift.min(u, v)
        case .and: return u & v
        case .or: return u | v
        case .xor: return unsigned && dtype == .pred ? (u ^ v) & 1 : dtype.wrap(u ^ v)
        case .atan2: return 0
        case .shiftLeft, .shiftRightLogical, .shiftRightArithmetic: return shift(op, u, v, dtype: dtype)
        }
    }

    /// The `u64` operations whose result depends on signedness; nil for the
    /// rest, which act on the bit pattern as for `s64`.
    static func applyU64(_ op: BinaryOp, _ u: UInt64, _ v: UInt64) -> UInt64? {
        switch op {
        case .divide: return v == 0 ? UInt64.max : u / v
        case .remainder: return v == 0 ? u : u % v
        case .maximum: return Swift.max(u, v)
        case .minimum: return Swift.min(u, v)
        case .power: return powerUnsigned(u, v)
        default: return nil
        }
    }

    /// The dtype's width in bits (pred: 1).
    static func width(_ dtype: DType) -> Int {
        dtype == .pred ? 1 : dtype.bitWidth
    }

    /// The value's bit pattern in the dtype's width.
    static func bits(_ v: Int64, _ dtype: DType) -> UInt64 {
        let w = width(dtype)
        return w == 64 ? UInt64(bitPattern: v) : UInt64(bitPattern: v) & ((1 << UInt64(w)) - 1)
    }

    /// XLA's shifts: the amount is read as an unsigned number, so a negative
    /// amount is as out of range as one of at least the width.
    static func shift(_ op: BinaryOp, _ u: Int64, _ v: Int64, dtype: DType) -> Int64 {
        let w = width(dtype)
        let amount = bits(v, dtype)
        let pattern = bits(u, dtype)
        let inRange = amount < UInt64(w)
        switch op {
        case .shiftLeft:
            return inRange ? dtype.wrap(Int64(bitPattern: pattern << amount)) : 0
        case .shiftRightLogical:
            return inRange ? dtype.wrap(Int64(bitPattern: pattern >> amount)) : 0
        default:
            // Sign-extend the width's top bit, then shift arithmetically.
            let signed = Int64(bitPattern: pattern << UInt64(64 - w)) >> Int64(64 - w)
            return dtype.wrap(inRange ? signed >> Int64(amount) : (signed < 0 ? -1 : 0))
        }
    }

    /// Integer power by repeated squaring (wrapping); a negative exponent gives
    /// 0 except for bases 1 and -1.
    static func power(_ base: Int64, _ exponent: Int64) -> Int64 {
        if exponent < 0 {
            if base == 1 { return 1 }
            if base == -1 { return exponent % 2 == 0 ? 1 : -1 }
            return 0
        }
        // wrapping products have the same bits signed or unsigned
        return Int64(bitPattern: powerUnsigned(UInt64(bitPattern: base), UInt64(exponent)))
    }

    /// Integer power of unsigned operands by repeated squaring (wrapping modulo 2^64).
    static func powerUnsigned(_ base: UInt64, _ exponent: UInt64) -> UInt64 {
        var result: UInt64 = 1
        var b = base
        var e = exponent
        while e > 0 {
            if e & 1 == 1 { result = result &* b }
            b = b &* b
            e >>= 1
        }
        return result
    }

    /// `u direction v`; `u64` elements compare as unsigned.
    static func compare(_ direction: ComparisonDirection, _ u: Int64, _ v: Int64, dtype: DType) -> Bool {
        if dtype == .u64 {
            return direction.holds(UInt64(bitPattern: u), UInt64(bitPattern: v))
        }
        switch direction {
        case .eq: return u == v
        case .ne: return u != v
        case .lt: return u < v
        case .le: return u <= v
        case .gt: return u > v
        case .ge: return u >= v
        }
    }
}
