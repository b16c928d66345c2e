import FPGraph

/// `bitcast` between layouts: each result element is the operand element at
/// the same physical position, the result read under `resultLayout` and the
/// operand under `operandLayout` (minor-to-major); a copy through the plan's
/// source index of every element.
struct BitcastKernel: SourceIndexKernel {
    let operandLayout: [Int]
    let resultLayout: [Int]

    func plan(_ node: PlanContext) -> NodePlan {
        guard let x = node.operandTypes.first ?? nil else { return .none }
        let out = node.result
        return .gather(
            source: mapIndices(out.dimensions) { index in
                // Physical position of the result element under the result's layout...
                var position = 0
                var scale = 1
                for axis in resultLayout {
                    position += index[axis] * scale
                    scale *= out.dimensions[axis]
                }
                // ...is the operand element at the same physical position under its layout.
                var flat = 0
                let strides = x.strides
                for axis in operandLayout {
                    let size = x.dimensions[axis]
                    flat += (position % size) * strides[axis]
                    position /= size
                }
                return flat
            })
    }
}
