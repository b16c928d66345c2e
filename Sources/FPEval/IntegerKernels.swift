import FPGraph

/// Exact integer and pred arithmetic, shared by every domain: results wrap to
/// the dtype's width (two's complement) as XLA's integer ops do.
enum IntegerKernels {
    /// The dtype's width in bits (pred: 1).
    static func width(_ dtype: DType) -> Int {
        dtype == .pred ? 1 : dtype.bitWidth
    }

    /// The value's bit pattern in the dtype's width.
    static func bits(_ v: Int64, _ dtype: DType) -> UInt64 {
        let w = width(dtype)
        return w == 64 ? UInt64(bitPattern: v) : UInt64(bitPattern: v) & ((1 << UInt64(w)) - 1)
    }
}
