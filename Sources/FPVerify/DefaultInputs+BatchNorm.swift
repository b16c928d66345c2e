import FPGraph
import FPNumerics

extension DefaultInputs {
    /// The default of a float parameter that is the variance operand of a
    /// batch norm (`batch-norm-inference` operand 4, `batch-norm-grad` operand
    /// 3): a variance is never negative, and `rsqrt(variance + epsilon)` of a
    /// `normal(0, 1)` draw would be NaN half the time.
    static let varianceDistribution = Distribution.uniform(lo: 0.5, hi: 2)

    /// The entry parameters that reach the variance operand of a batch norm
    /// of the entry computation unchanged in value (through broadcast,
    /// reshape, transpose, convert, bitcast, slice or copy).
    static func varianceParameters(_ graph: Graph) -> Set<Int> {
        let entry = graph.entry
        var carried = [Int?](repeating: nil, count: entry.nodes.count)
        var found = Set<Int>()
        for (i, node) in entry.nodes.enumerated() {
            switch node.operation.valueFlow {
            case .parameter(let index):
                carried[i] = index
            case .operandValues:
                carried[i] = node.operands.first.flatMap { carried[$0] }
            case .concatenation, .callee, .other:
                break
            }
            if let position = node.operation.varianceOperand, node.operands.indices.contains(position),
                let p = carried[node.operands[position]]
            {
                found.insert(p)
            }
        }
        return found
    }
}
