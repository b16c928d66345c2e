import FPGraph

/// `clamp(lo, x, hi) = minimum(maximum(x, lo), hi)`, NaN-propagating; `lo`
/// and `hi` may be scalars.
struct ClampKernel: NodeKernel {
    func ownsStorage<D: RealDomain>(_ node: NodeContext<D>) -> Bool { true }

    func evaluate<D: RealDomain>(_ node: NodeContext<D>) throws -> Value<D.Buffer> {
        let y = try node.storage()
        let (low, operand, high) = try node.operandTriple()
        let types = try node.arrayOperandTypes()
        guard types.count == 3 else { throw node.missing() }
        let (runner, domain) = (node.runner, node.domain)
        let type = try node.resultType()
        let count = type.elementCount
        let (sl, sh) = (runner.stride(types[0], count), runner.stride(types[2], count))
        if type.dtype.isFloatingPoint {
            domain.binary(
                .maximum, dtype: type.dtype, operand.real, aStride: 1, low.real, bStride: sl,
                into: y.real, count: count)
            domain.binary(
                .minimum, dtype: type.dtype, y.real, aStride: 1, high.real, bStride: sh,
                into: y.real, count: count)
        } else {
            let lo = low.integer.values
            let x = operand.integer.values
            let hi = high.integer.values
            let t = type.dtype
            for i in 0..<count {
                let raised = IntegerKernels.apply(.maximum, x[i], lo[i * sl], dtype: t)
                y.integer.values[i] = IntegerKernels.apply(.minimum, raised, hi[i * sh], dtype: t)
            }
        }
        return y
    }
}
