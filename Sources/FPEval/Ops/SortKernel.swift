import FPGraph

/// XLA `sort(dimension, comparator)`: every operand permuted along
/// `dimension` by one stable merge sort in the comparator's order.
struct SortKernel: NodeKernel {
    let dimension: Int
    let comparator: String

    func ownsStorage<D: RealDomain>(_ node: NodeContext<D>) -> Bool { true }

    func prepare<D: RealDomain>(_ node: NodeContext<D>) -> KernelState<D> {
        node.calledRunner(comparator).map { .comparator(ComparatorState(runner: $0)) } ?? .none
    }

    /// XLA's sort: along `dimension`, every operand permuted by one stable
    /// merge sort whose order is the comparator's (ties keep their input
    /// order, which is also a valid outcome of an unstable sort). The
    /// comparator's float comparisons feed branch-flip detection like any other.
    func evaluate<D: RealDomain>(_ node: NodeContext<D>) throws -> Value<D.Buffer> {
        guard case .comparator(let comparator) = node.state else { throw node.missing() }
        let storage = try node.storage()
        let operands = try node.operands()
        let types = try node.arrayOperandTypes()
        guard let type = types.first, type.dimensions.indices.contains(dimension) else { throw node.missing() }
        let runner = node.runner
        let outputs = operands.count == 1 ? [storage] : storage.elements
        let n = type.dimensions[dimension]
        let stride = type.strides[dimension]
        var outer = type.dimensions
        outer[dimension] = 1
        var failure: Error?
        forEachIndex(outer) { index in
            guard failure == nil else { return }
            let base = index.indices.reduce(0) { $0 + index[$1] * type.strides[$1] }
            do {
                let order = try mergeSort(n) { a, b in
                    try comparator.less(operands, base + a * stride, base + b * stride, runner: runner)
                }
                for (k, operand) in operands.enumerated() {
                    for (position, source) in order.enumerated() {
                        runner.copyScalar(
                            from: operand, base + source * stride, to: outputs[k], base + position * stride)
                    }
                }
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        return storage
    }
}
