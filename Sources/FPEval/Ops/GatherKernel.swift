import FPGraph

/// XLA `gather`: the operand element of every result position, worked out
/// from the index values at run time by ``FPGraph/GatherDimensions``.
struct GatherKernel: NodeKernel {
    let dimensions: GatherDimensions

    func ownsStorage<D: RealDomain>(_ node: NodeContext<D>) -> Bool { true }

    func evaluate<D: RealDomain>(_ node: NodeContext<D>) throws -> Value<D.Buffer> {
        let y = try node.storage()
        let types = try node.arrayOperandTypes()
        guard types.count == 2 else { throw node.missing() }
        let (x, indices) = (types[0], types[1])
        let source = dimensions.sourcePositions(
            operand: x, indices: indices,
            indexValues: ComputationRunner<D>.indexValues(try node.operand(1).integer.values, indices.dtype),
            result: try node.resultType().dimensions)
        node.runner.gather(try node.operand(0), source, into: y)
        return y
    }
}
