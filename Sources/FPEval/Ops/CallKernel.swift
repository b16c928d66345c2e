import FPGraph

/// `call(computation)`: the callee's result on the operands, run by a runner
/// of its own (prepared once); the node aliases the callee's root value.
struct CallKernel: NodeKernel {
    let computation: String

    func ownsStorage<D: RealDomain>(_ node: NodeContext<D>) -> Bool { false }

    func prepare<D: RealDomain>(_ node: NodeContext<D>) -> KernelState<D> {
        node.calledRunner(computation).map { .runners([$0]) } ?? .none
    }

    func evaluate<D: RealDomain>(_ node: NodeContext<D>) throws -> Value<D.Buffer> {
        guard case .runners(let runners) = node.state, runners.count == 1 else { throw node.missing() }
        return try runners[0].run(try node.operands())
    }
}
