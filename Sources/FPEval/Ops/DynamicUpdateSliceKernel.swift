import FPGraph

/// `dynamic-update-slice`: operand 0 with the update (operand 1) written at
/// the start indices given by operands 2..., each clamped so the update fits
/// (``ComputationRunner/clampedStarts(_:_:dimensions:sizes:)``).
struct DynamicUpdateSliceKernel: NodeKernel {
    func ownsStorage<D: RealDomain>(_ node: NodeContext<D>) -> Bool { true }

    func evaluate<D: RealDomain>(_ node: NodeContext<D>) throws -> Value<D.Buffer> {
        let y = try node.storage()
        let operands = try node.operands()
        let operandTypes = node.operandTypes()
        guard operandTypes.count >= 2, let x = operandTypes[0], let update = operandTypes[1],
            operands.count >= 2 + x.rank, update.rank == x.rank
        else { throw node.missing() }
        let starts = node.runner.clampedStarts(
            operands[2...], operandTypes[2...], dimensions: x.dimensions, sizes: update.dimensions)
        node.runner.copyValue(operands[0], into: y, type: node.node.type)
        let strides = x.strides
        var destinations: [Int] = []
        destinations.reserveCapacity(update.elementCount)
        forEachIndex(update.dimensions) { index in
            destinations.append(index.indices.reduce(0) { $0 + (starts[$1] + index[$1]) * strides[$1] })
        }
        node.runner.scatter(operands[1], destinations, into: y)
        return y
    }
}
