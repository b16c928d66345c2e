import FPGraph

/// `compare(direction)`: pred `a direction b`, a scalar operand broadcast.
/// Float comparisons are the domain's (IEEE: false with NaN except `NE`; or
/// IEEE totalOrder when `totalOrder`), and each outcome feeds branch-flip
/// detection; integers compare exactly (`u64` as unsigned).
struct CompareKernel: NodeKernel {
    let direction: ComparisonDirection
    let totalOrder: Bool

    func ownsStorage<D: RealDomain>(_ node: NodeContext<D>) -> Bool { true }

    func evaluate<D: RealDomain>(_ node: NodeContext<D>) throws -> Value<D.Buffer> {
        let storage = try node.storage()
        let (x, y) = try node.operandPair()
        let types = try node.arrayOperandTypes()
        guard types.count == 2 else { throw node.missing() }
        let (runner, domain) = (node.runner, node.domain)
        let out = storage.integer
        let count = try node.resultType().elementCount
        let (sa, sb) = (runner.stride(types[0], count), runner.stride(types[1], count))
        if types[0].dtype.isFloatingPoint {
            let a = x.real
            let b = y.real
            for i in 0..<count {
                let outcome =
                    totalOrder
                    ? domain.compareTotalOrder(direction, a, i * sa, b, i * sb)
                    : domain.compare(direction, dtype: types[0].dtype, a, i * sa, b, i * sb)
                runner.branches.record(outcome)
                out.values[i] = outcome ? 1 : 0
            }
        } else {
            let a = x.integer.values
            let b = y.integer.values
            for i in 0..<count {
                out.values[i] = IntegerKernels.compare(direction, a[i * sa], b[i * sb], dtype: types[0].dtype) ? 1 : 0
            }
        }
        return storage
    }
}

extension IntegerKernels {
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
