import FPGraph

/// XLA `topk(k, largest)`: the `k` first elements of each last-dimension row
/// and their s32 indices, by IEEE totalOrder or by a comparator computation.
struct TopKKernel: NodeKernel {
    let k: Int
    let largest: Bool
    let comparator: String?

    func ownsStorage<D: RealDomain>(_ node: NodeContext<D>) -> Bool { true }

    func prepare<D: RealDomain>(_ node: NodeContext<D>) -> KernelState<D> {
        guard let comparator, let runner = node.calledRunner(comparator) else { return .none }
        return .comparator(ComparatorState(runner: runner))
    }

    /// XLA's topk along the last dimension: the `k` first elements by IEEE
    /// totalOrder, descending when `largest` (NaN first, +0 before −0), ties
    /// by increasing index; values and s32 indices.
    /// With a comparator (XLA CPU's `custom-call` "TopK"), the order is the
    /// comparator's over (value, index) pairs, as a stable sort of the row.
    func evaluate<D: RealDomain>(_ node: NodeContext<D>) throws -> Value<D.Buffer> {
        let comparator: ComparatorState<D>?
        switch (node.state, self.comparator) {
        case (.comparator(let state), _?): comparator = state
        case (_, nil): comparator = nil
        case (_, _?): throw node.missing()
        }
        let storage = try node.storage()
        let x = try node.operand(0)
        guard let type = node.operandTypes().first ?? nil, case .tuple(let parts) = storage, parts.count == 2,
            case .integer(let indices) = parts[1]
        else { throw node.missing() }
        let values = parts[0]
        let (runner, domain) = (node.runner, node.domain)
        let n = type.dimensions.last ?? 0
        let rows = n == 0 ? 0 : type.elementCount / n
        let direction: ComparisonDirection = largest ? .gt : .lt
        let positions = IntegerBuffer(count: type.elementCount)
        if comparator != nil { for p in 0..<type.elementCount { positions.values[p] = Int64(p % Swift.max(n, 1)) } }
        for row in 0..<rows {
            let base = row * n
            if let comparator {
                let order = try mergeSort(n) { a, b in
                    try comparator.less([x, .integer(positions)], base + a, base + b, runner: runner)
                }
                for (position, source) in order.prefix(k).enumerated() {
                    runner.copyScalar(from: x, base + source, to: values, row * k + position)
                    indices.values[row * k + position] = Int64(source)
                }
                continue
            }
            let before: (Int, Int) -> Bool
            switch x {
            case .real(let buffer):
                before = { a, b in
                    let outcome = domain.compareTotalOrder(direction, buffer, base + a, buffer, base + b)
                    runner.branches.record(outcome)
                    return outcome
                }
            case .integer(let buffer):
                before = { a, b in direction.holds(buffer.values[base + a], buffer.values[base + b]) }
            case .tuple:
                throw node.missing()
            }
            let order = (try? mergeSort(n) { a, b in before(a, b) }) ?? Array(0..<n)
            for (position, source) in order.prefix(k).enumerated() {
                runner.copyScalar(from: x, base + source, to: values, row * k + position)
                indices.values[row * k + position] = Int64(source)
            }
        }
        return storage
    }
}
