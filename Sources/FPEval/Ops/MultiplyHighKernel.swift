import FPGraph

/// XLA's `mulhi`: the high half of the exact double-width product, in the
/// dtype's signedness (a scalar operand broadcasts). Integers only.
struct MultiplyHighKernel: NodeKernel {
    func ownsStorage<D: RealDomain>(_ node: NodeContext<D>) -> Bool { true }

    func evaluate<D: RealDomain>(_ node: NodeContext<D>) throws -> Value<D.Buffer> {
        let y = try node.storage()
        let operands = try node.operands()
        let types = try node.arrayOperandTypes()
        guard operands.count == 2, types.count == 2 else { throw node.missing() }
        let type = try node.resultType()
        let count = type.elementCount
        let (sa, sb) = (node.runner.stride(types[0], count), node.runner.stride(types[1], count))
        let (a, b) = (operands[0].integer.values, operands[1].integer.values)
        let out = y.integer
        for i in 0..<count {
            out.values[i] = IntegerKernels.multiplyHigh(a[i * sa], b[i * sb], dtype: type.dtype)
        }
        return y
    }
}

extension IntegerKernels {
    /// The high half of the full product of two integers of `dtype`: for a
    /// width w below 64 the product is exact in 64 bits and shifted right by w
    /// (arithmetically for signed dtypes); for 64 bits it is the high word of
    /// the 128-bit product, signed or unsigned by the dtype's name (`s`/`u`).
    static func multiplyHigh(_ u: Int64, _ v: Int64, dtype: DType) -> Int64 {
        let w = width(dtype)
        let unsigned = dtype.rawValue.hasPrefix("u")
        if w < 64 {
            if unsigned {
                let p = UInt64(bitPattern: u) &* UInt64(bitPattern: v)
                return dtype.wrap(Int64(bitPattern: p >> UInt64(w)))
            }
            return dtype.wrap((u &* v) >> Int64(w))
        }
        if unsigned {
            return Int64(bitPattern: UInt64(bitPattern: u).multipliedFullWidth(by: UInt64(bitPattern: v)).high)
        }
        return u.multipliedFullWidth(by: v).high
    }
}
