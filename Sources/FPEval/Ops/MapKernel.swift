import FPGraph

/// XLA `map(computation)`: the computation on the operands' elements at each
/// position (``ScalarCallState``).
struct MapKernel: NodeKernel {
    let computation: String

    func ownsStorage<D: RealDomain>(_ node: NodeContext<D>) -> Bool { true }

    func prepare<D: RealDomain>(_ node: NodeContext<D>) -> KernelState<D> {
        node.calledRunner(computation).map { .scalarCalls([ScalarCallState(runner: $0)]) } ?? .none
    }

    /// XLA's map: the computation on the operands' elements at each position, in row-major order.
    func evaluate<D: RealDomain>(_ node: NodeContext<D>) throws -> Value<D.Buffer> {
        guard case .scalarCalls(let calls) = node.state, calls.count == 1 else { throw node.missing() }
        let y = try node.storage()
        let operands = try node.operands()
        let count = try node.resultType().elementCount
        let runner = node.runner
        let function = calls[0]
        for e in 0..<count {
            let result = try function.call(operands, at: [Int](repeating: e, count: operands.count), runner: runner)
            runner.copyScalar(from: result, 0, to: y, e)
        }
        return y
    }
}
