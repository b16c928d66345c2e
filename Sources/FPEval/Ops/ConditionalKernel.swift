import FPGraph

/// `conditional(branches)`: the branch chosen by operand 0 (a pred selects
/// branch 0 when true, 1 when false; an s32 index selects that branch, or the
/// last when out of range), run on its own operand by a runner prepared once;
/// the node aliases the branch's result.
struct ConditionalKernel: NodeKernel {
    let branches: [String]

    func ownsStorage<D: RealDomain>(_ node: NodeContext<D>) -> Bool { false }

    func prepare<D: RealDomain>(_ node: NodeContext<D>) -> KernelState<D> {
        node.calledRunners(branches).map { .runners($0) } ?? .none
    }

    func evaluate<D: RealDomain>(_ node: NodeContext<D>) throws -> Value<D.Buffer> {
        guard case .runners(let runners) = node.state, runners.count == branches.count, !branches.isEmpty else {
            throw node.missing()
        }
        let k = Operation.conditionalBranch(
            selector: try node.operand(0).integer.values[0], isPred: node.operandTypes().first??.dtype == .pred,
            branchCount: branches.count)
        return try runners[k].run([try node.operand(k + 1)])
    }
}
