import FPGraph

/// `concatenate(dimension)`: the operands one after another along
/// `dimension`; operand k's element j goes to the plan's `destinations[k][j]`.
struct ConcatenateKernel: NodeKernel {
    let dimension: Int

    func plan(_ node: PlanContext) -> NodePlan {
        let outStrides = node.result.strides
        var offset = 0
        var destinations: [[Int]] = []
        for type in node.operandTypes {
            guard let a = type, a.dimensions.indices.contains(dimension) else { return .none }
            let shift = offset
            destinations.append(
                mapIndices(a.dimensions) { index in
                    index.indices.reduce(0) { $0 + (index[$1] + ($1 == dimension ? shift : 0)) * outStrides[$1] }
                })
            offset += a.dimensions[dimension]
        }
        return .scatter(destinations: destinations)
    }

    func ownsStorage<D: RealDomain>(_ node: NodeContext<D>) -> Bool { true }

    func evaluate<D: RealDomain>(_ node: NodeContext<D>) throws -> Value<D.Buffer> {
        let operands = try node.operands()
        guard case .scatter(let destinations) = node.plan, destinations.count == operands.count else {
            throw node.missing()
        }
        let y = try node.storage()
        for (k, operand) in operands.enumerated() { node.runner.scatter(operand, destinations[k], into: y) }
        return y
    }
}
