import FPGraph

/// `opt-barrier`: its operand, aliased (the barrier only constrains optimisers).
struct OptimizationBarrierKernel: NodeKernel {
    func ownsStorage<D: RealDomain>(_ node: NodeContext<D>) -> Bool { false }

    func evaluate<D: RealDomain>(_ node: NodeContext<D>) throws -> Value<D.Buffer> { try node.operand(0) }
}
