import FPGraph

/// XLA `scatter(dimensions, combiner)`: the operands, copied, then each update
/// element combined into its target (``FPGraph/ScatterDimensions``, from the
/// index values at run time) by the combiner computation, in update order
/// (``GeneralReducerState/combine(_:targets:into:runner:)``).
struct ScatterKernel: NodeKernel {
    let dimensions: ScatterDimensions
    let combiner: String

    func ownsStorage<D: RealDomain>(_ node: NodeContext<D>) -> Bool { true }

    func prepare<D: RealDomain>(_ node: NodeContext<D>) -> KernelState<D> {
        guard let runner = node.calledRunner(combiner) else { return .none }
        return .reducer(GeneralReducerState(runner: runner, inputCount: node.node.operands.count / 2))
    }

    func evaluate<D: RealDomain>(_ node: NodeContext<D>) throws -> Value<D.Buffer> {
        guard case .reducer(let combiner) = node.state else { throw node.missing() }
        let storage = try node.storage()
        let operands = try node.operands()
        let types = try node.arrayOperandTypes()
        let n = operands.count / 2
        guard n > 0, operands.count == 2 * n + 1 else { throw node.missing() }
        let outputs = n == 1 ? [storage] : storage.elements
        for k in 0..<n { node.runner.copyValue(operands[k], into: outputs[k], type: .array(types[k])) }
        let targets = dimensions.targetPositions(
            operand: types[0], indices: types[n],
            indexValues: ComputationRunner<D>.indexValues(operands[n].integer.values, types[n].dtype),
            updates: types[n + 1])
        try combiner.combine(Array(operands[(n + 1)...]), targets: targets, into: outputs, runner: node.runner)
        return storage
    }
}
