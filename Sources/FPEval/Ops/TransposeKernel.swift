import FPGraph

/// `transpose(permutation)`: result dimension k is operand dimension
/// `permutation[k]`; a copy through the plan's source index of every element.
struct TransposeKernel: SourceIndexKernel {
    let permutation: [Int]

    func plan(_ node: PlanContext) -> NodePlan {
        guard let x = node.operandTypes.first ?? nil else { return .none }
        let xStrides = x.strides
        return .gather(
            source: mapIndices(node.result.dimensions) { index in
                permutation.enumerated().reduce(0) { $0 + index[$1.offset] * xStrides[$1.element] }
            })
    }
}
