import FPGraph

/// `slice(starts, limits, strides)`: a strided box of the operand; a copy
/// through the plan's source index of every element.
struct SliceKernel: NodeKernel {
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

    func ownsStorage<D: RealDomain>(_ node: NodeContext<D>) -> Bool { true }

    func evaluate<D: RealDomain>(_ node: NodeContext<D>) throws -> Value<D.Buffer> {
        guard case .gather(let source) = node.plan else { throw node.missing() }
        let y = try node.storage()
        node.runner.gather(try node.operand(0), source, into: y)
        return y
    }
}
