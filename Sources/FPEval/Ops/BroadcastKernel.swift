import FPGraph

/// `broadcast(dimensions)`: operand dimension k becomes result dimension
/// `dimensions[k]`; a copy through the plan's source index of every element.
struct BroadcastKernel: SourceIndexKernel {
    let dimensions: [Int]

    func plan(_ node: PlanContext) -> NodePlan {
        guard let x = node.operandTypes.first ?? nil else { return .none }
        let xStrides = x.strides
        return .gather(
            source: mapIndices(node.result.dimensions) { index in
                zip(dimensions, xStrides).reduce(0) { $0 + index[$1.0] * $1.1 }
            })
    }
}
