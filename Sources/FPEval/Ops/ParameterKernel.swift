import FPGraph

/// `parameter(index)`: the computation's argument `index`, aliased.
struct ParameterKernel: NodeKernel {
    let index: Int

    func ownsStorage<D: RealDomain>(_ node: NodeContext<D>) -> Bool { false }

    func evaluate<D: RealDomain>(_ node: NodeContext<D>) throws -> Value<D.Buffer> {
        let arguments = node.runner.arguments
        guard arguments.indices.contains(index) else { throw node.missing() }
        return arguments[index]
    }
}
