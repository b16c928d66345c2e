import FPGraph

/// `slice(starts, limits, strides)`: a strided box of the operand; a copy
/// through the plan's source index of every element.
struct SliceKernel: SourceIndexKernel {
    let bounds: SliceBounds

    func plan(_ node: PlanContext) -> NodePlan {
        guard let x = node.operandTypes.first ?? nil else { return .none }
        let xStrides = x.strides
        let b = bounds
        return .gather(
            source: mapIndices(node.result.dimensions) { index in
                index.indices.reduce(0) { $0 + (b.starts[$1] + index[$1] * b.strides[$1]) * xStrides[$1] }
            })
    }
}
