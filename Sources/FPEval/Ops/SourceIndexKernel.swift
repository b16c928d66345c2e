/// The kernels whose every result element is one operand element, through the plan's
/// source index (`NodePlan.gather`): broadcast, transpose, slice, reverse and bitcast.
/// Each supplies only its ``NodeKernel/plan(_:)``; storage and evaluation are shared here.
protocol SourceIndexKernel: NodeKernel {}

extension SourceIndexKernel {
    func ownsStorage<D: RealDomain>(_ node: NodeContext<D>) -> Bool { true }

    /// Copies operand element `source[i]` to result element `i`.
    func evaluate<D: RealDomain>(_ node: NodeContext<D>) throws -> Value<D.Buffer> {
        guard case .gather(let source) = node.plan else { throw node.missing() }
        let y = try node.storage()
        node.runner.gather(try node.operand(0), source, into: y)
        return y
    }
}
