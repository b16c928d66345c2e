import FPGraph

/// `tuple`: its operands' values, aliased.
struct TupleKernel: NodeKernel {
    func ownsStorage<D: RealDomain>(_ node: NodeContext<D>) -> Bool { false }

    func evaluate<D: RealDomain>(_ node: NodeContext<D>) throws -> Value<D.Buffer> { .tuple(try node.operands()) }
}
