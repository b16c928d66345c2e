import FPGraph

/// A sort's comparator computation, run on pairs of elements.
final class ComparatorState<D: RealDomain> {
    let runner: ComputationRunner<D>
    private var parameters: [Value<D.Buffer>]

    init(runner: ComputationRunner<D>) {
        self.runner = runner
        parameters = runner.computation.parameters.map { runner.allocate(runner.computation.nodes[$0].type) }
    }

    /// Whether element `i` goes before element `j`: the comparator on
    /// (operand 0 at i, operand 0 at j, operand 1 at i, operand 1 at j, ...).
    func less(
        _ operands: [Value<D.Buffer>], _ i: Int, _ j: Int, runner outer: ComputationRunner<D>
    ) throws -> Bool {
        for (k, operand) in operands.enumerated() {
            outer.copyScalar(from: operand, i, to: parameters[2 * k], 0)
            outer.copyScalar(from: operand, j, to: parameters[2 * k + 1], 0)
        }
        return try runner.run(parameters).integer.values[0] != 0
    }
}

extension ComputationRunner {
    /// XLA's sort: along `dimension`, every operand permuted by one stable
    /// merge sort whose order is the comparator's (ties keep their input
    /// order, which is also a valid outcome of an unstable sort). The
    /// comparator's float comparisons feed branch-flip detection like any other.
    func evaluateSort(
        _ node: Int, _ operands: [Value<D.Buffer>], _ types: [ArrayType], dimension: Int,
        into storage: Value<D.Buffer>
    ) throws {
        let type = types[0]
        let outputs = operands.count == 1 ? [storage] : storage.elements
        let n = type.dimensions[dimension]
        let stride = type.strides[dimension]
        let comparator = comparators[node]!
        var outer = type.dimensions
        outer[dimension] = 1
        var failure: Error?
        forEachIndex(outer) { index in
            guard failure == nil else { return }
            let base = index.indices.reduce(0) { $0 + index[$1] * type.strides[$1] }
            do {
                let order = try mergeSort(n) { a, b in
                    try comparator.less(operands, base + a * stride, base + b * stride, runner: self)
                }
                for (k, operand) in operands.enumerated() {
                    for (position, source) in order.enumerated() {
                        copyScalar(from: operand, base + source * stride, to: outputs[k], base + position * stride)
                    }
                }
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
    }

    /// XLA's topk along the last dimension: the `k` first elements by IEEE
    /// totalOrder, descending when `largest` (NaN first, +0 before −0), ties
    /// by increasing index; values and s32 indices.
    /// With a comparator (XLA CPU's `custom-call` "TopK"), the order is the
    /// comparator's over (value, index) pairs, as a stable sort of the row.
    func evaluateTopK(
        _ node: Int, _ x: Value<D.Buffer>, _ type: ArrayType, k: Int, largest: Bool, into storage: Value<D.Buffer>
    ) throws {
        let (values, indices) = (storage.elements[0], storage.elements[1].integer)
        let n = type.dimensions.last ?? 0
        let rows = n == 0 ? 0 : type.elementCount / n
        let direction: ComparisonDirection = largest ? .gt : .lt
        let comparator = comparators[node]
        let positions = IntegerBuffer(count: type.elementCount)
        if comparator != nil { for p in 0..<type.elementCount { positions.values[p] = Int64(p % Swift.max(n, 1)) } }
        for row in 0..<rows {
            let base = row * n
            if let comparator {
                let order = try mergeSort(n) { a, b in
                    try comparator.less([x, .integer(positions)], base + a, base + b, runner: self)
                }
                for (position, source) in order.prefix(k).enumerated() {
                    copyScalar(from: x, base + source, to: values, row * k + position)
                    indices.values[row * k + position] = Int64(source)
                }
                continue
            }
            let before: (Int, Int) -> Bool
            switch x {
            case .real(let buffer):
                before = { a, b in
                    let outcome = self.domain.compareTotalOrder(direction, buffer, base + a, buffer, base + b)
                    self.branches.record(outcome)
                    return outcome
                }
            case .integer(let buffer):
                before = { a, b in direction.holds(buffer.values[base + a], buffer.values[base + b]) }
            case .tuple:
                return
            }
            let order = (try? mergeSort(n) { a, b in before(a, b) }) ?? Array(0..<n)
            for (position, source) in order.prefix(k).enumerated() {
                copyScalar(from: x, base + source, to: values, row * k + position)
                indices.values[row * k + position] = Int64(source)
            }
        }
    }
}

/// The positions `0..<n` in the order `less` defines, stably (a merge sort:
/// at most n·log2(n) calls of `less`, which may throw).
func mergeSort(_ n: Int, _ less: (Int, Int) throws -> Bool) throws -> [Int] {
    var items = Array(0..<n)
    var scratch = items
    var width = 1
    while width < n {
        var start = 0
        while start < n {
            let mid = min(start + width, n)
            let end = min(start + 2 * width, n)
            var (i, j, out) = (start, mid, start)
            while i < mid && j < end {
                // Take from the right only when it is strictly before the left: stability.
                if try less(items[j], items[i]) {
                    scratch[out] = items[j]
                    j += 1
                } else {
                    scratch[out] = items[i]
                    i += 1
                }
                out += 1
            }
            while i < mid {
                scratch[out] = items[i]
                i += 1
                out += 1
            }
            while j < end {
                scratch[out] = items[j]
                j += 1
                out += 1
            }
            start = end
        }
        swap(&items, &scratch)
        width *= 2
    }
    return items
}
