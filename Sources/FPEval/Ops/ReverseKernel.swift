import FPGraph

/// `reverse(dimensions)`: the operand with the order of `dimensions` reversed;
/// a copy through the plan's source index of every element.
struct ReverseKernel: SourceIndexKernel {
    let dimensions: [Int]

    func plan(_ node: PlanContext) -> NodePlan {
        guard let x = node.operandTypes.first ?? nil else { return .none }
        let xStrides = x.strides
        return .gather(
            source: mapIndices(node.result.dimensions) { index in
                index.indices.reduce(0) { sum, d in
                    sum + (dimensions.contains(d) ? x.dimensions[d] - 1 - index[d] : index[d]) * xStrides[d]
                }
            })
    }
}
