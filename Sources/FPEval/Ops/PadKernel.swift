import FPGraph

/// `pad(low, high, interior)`: every element is the padding value (operand
/// 1), then operand element j goes to the plan's `destinations[j]` (-1:
/// cropped away by negative edge padding).
struct PadKernel: NodeKernel {
    let config: PaddingConfig

    func plan(_ node: PlanContext) -> NodePlan {
        guard let x = node.operandTypes.first ?? nil else { return .none }
        let p = config
        let out = node.result
        let outStrides = out.strides
        var destinations: [Int] = []
        destinations.reserveCapacity(x.elementCount)
        forEachIndex(x.dimensions) { index in
            var flat = 0
            for axis in index.indices {
                let position = p.low[axis] + index[axis] * (p.interior[axis] + 1)
                guard position >= 0, position < out.dimensions[axis] else {
                    flat = -1  // cropped away by negative edge padding
                    break
                }
                flat += position * outStrides[axis]
            }
            destinations.append(flat)
        }
        return .pad(destinations: destinations)
    }

    func ownsStorage<D: RealDomain>(_ node: NodeContext<D>) -> Bool { true }

    func evaluate<D: RealDomain>(_ node: NodeContext<D>) throws -> Value<D.Buffer> {
        guard case .pad(let destinations) = node.plan else { throw node.missing() }
        let y = try node.storage()
        let count = try node.resultType().elementCount
        node.runner.gather(try node.operand(1), [Int](repeating: 0, count: count), into: y)
        node.runner.scatter(try node.operand(0), destinations, into: y)
        return y
    }
}
