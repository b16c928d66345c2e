import FPGraph

/// `reshape`: the operand's elements in the same row-major order, aliased.
struct ReshapeKernel: NodeKernel {
    func ownsStorage<D: RealDomain>(_ node: NodeContext<D>) -> Bool { false }

    func evaluate<D: RealDomain>(_ node: NodeContext<D>) throws -> Value<D.Buffer> { try node.operand(0) }
}
