import FPGraph

/// `get-tuple-element(index)`: element `index` of its tuple operand, aliased.
struct GetTupleElementKernel: NodeKernel {
    let index: Int

    func ownsStorage<D: RealDomain>(_ node: NodeContext<D>) -> Bool { false }

    func evaluate<D: RealDomain>(_ node: NodeContext<D>) throws -> Value<D.Buffer> {
        guard case .tuple(let elements) = try node.operand(0), elements.indices.contains(index) else {
            throw node.missing()
        }
        return elements[index]
    }
}
