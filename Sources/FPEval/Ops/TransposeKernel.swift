import FPGraph

/// `transpose(permutation)`: result dimension k is operand dimension
/// `permutation[k]`; a copy through the plan's source index of every element.
struct TransposeKernel: NodeKernel {
    let permutation: [Int]

    func plan(_ node: PlanContext) -> NodePlan {
        guard let x = node.operandTypes.first ?? nil else { return .none }
        let xStrides = x.strides
        return .gather(
            source: mapIndices(node.result.dimensions) { index in
                permutation.enumerated().reduce(0) { $0 + index[$1.offset] * xStrides[$1.element] }
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
