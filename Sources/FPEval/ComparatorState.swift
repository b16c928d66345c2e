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
