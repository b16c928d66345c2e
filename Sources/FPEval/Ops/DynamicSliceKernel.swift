import FPGraph

/// `dynamic-slice(sizes)`: the box of `sizes` at the start indices given by
/// operands 1..., each clamped into range (``ComputationRunner/clampedStarts(_:_:dimensions:sizes:)``).
struct DynamicSliceKernel: NodeKernel {
    let sizes: [Int]

    func ownsStorage<D: RealDomain>(_ node: NodeContext<D>) -> Bool { true }

    func evaluate<D: RealDomain>(_ node: NodeContext<D>) throws -> Value<D.Buffer> {
        let y = try node.storage()
        let operands = try node.operands()
        let operandTypes = node.operandTypes()
        guard let x = operandTypes.first ?? nil, operands.count >= 1 + x.rank, sizes.count == x.rank else {
            throw node.missing()
        }
        let starts = node.runner.clampedStarts(
            operands[1...], operandTypes[1...], dimensions: x.dimensions, sizes: sizes)
        let strides = x.strides
        var source: [Int] = []
        source.reserveCapacity(try node.resultType().elementCount)
        forEachIndex(sizes) { index in
            source.append(index.indices.reduce(0) { $0 + (starts[$1] + index[$1]) * strides[$1] })
        }
        node.runner.gather(operands[0], source, into: y)
        return y
    }
}
