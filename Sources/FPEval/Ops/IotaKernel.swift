import FPGraph

/// `iota(dimension)`: each element's index along `dimension`, worked out by
/// the plan and loaded once into the node's storage when the runner is made.
struct IotaKernel: NodeKernel {
    let dimension: Int

    func plan(_ node: PlanContext) -> NodePlan {
        guard node.result.dimensions.indices.contains(dimension) else { return .none }
        return .iota(values: mapIndices(node.result.dimensions) { Int64($0[dimension]) }.map { $0 })
    }

    func ownsStorage<D: RealDomain>(_ node: NodeContext<D>) -> Bool { true }

    func prepare<D: RealDomain>(_ node: NodeContext<D>) -> KernelState<D> {
        guard case .iota(let indices) = node.plan, let storage = try? node.storage(),
            let dtype = node.node.type.arrayType?.dtype
        else { return .none }
        switch storage {
        case .real(let b): node.domain.loadIntegers(indices, dtype: dtype, into: b)
        case .integer(let b): b.values = indices.map(dtype.wrap)
        case .tuple: break  // an iota of tuple type has no plan
        }
        return .none
    }

    func evaluate<D: RealDomain>(_ node: NodeContext<D>) throws -> Value<D.Buffer> {
        guard case .iota = node.plan else { throw node.missing() }
        return try node.storage()
    }
}
