import FPGraph

/// `while(condition, body)`: runs the body while the condition holds, on a
/// loop state that lives in the node's own storage; the body's result is
/// copied back into it after every iteration (``ComputationRunner/copyLoopState(_:into:type:)``).
struct WhileKernel: NodeKernel {
    let condition: String
    let body: String

    /// Largest number of iterations a while loop may run.
    static var maxIterations: Int { 1_000_000 }

    func ownsStorage<D: RealDomain>(_ node: NodeContext<D>) -> Bool { true }

    func prepare<D: RealDomain>(_ node: NodeContext<D>) -> KernelState<D> {
        node.calledRunners([condition, body]).map { .runners($0) } ?? .none
    }

    /// - Throws: ``EvaluationError/loopLimit(node:iterations:)`` when the loop runs away.
    func evaluate<D: RealDomain>(_ node: NodeContext<D>) throws -> Value<D.Buffer> {
        guard case .runners(let runners) = node.state, runners.count == 2 else { throw node.missing() }
        let runner = node.runner
        let type = node.node.type
        let state = try node.storage()
        runner.copyValue(try node.operand(0), into: state, type: type)
        let (condition, body) = (runners[0], runners[1])
        var iterations = 0
        while try condition.run([state]).integer.values[0] != 0 {
            iterations += 1
            if iterations > Self.maxIterations {
                throw EvaluationError.loopLimit(node: node.node.name, iterations: Self.maxIterations)
            }
            runner.copyLoopState(try body.run([state]), into: state, type: type)
        }
        return state
    }
}
