import FPGraph

/// `reduce-window(window, reducer)`: folds each window of the (padded,
/// dilated) operand. The plan lists every window's input positions; a
/// single-op reducer runs as that op, any other as a computation
/// (``GeneralReducerState``), both sequentially in row-major window order.
struct ReduceWindowKernel: NodeKernel {
    let window: WindowConfig
    let reducer: String

    func plan(_ node: PlanContext) -> NodePlan {
        guard let x = node.operandTypes.first ?? nil else { return .none }
        let indices = GraphPlan.windowIndices(window, input: x, positions: node.result.dimensions)
        let simple =
            node.node.operands.count == 2 ? node.graph.computations[reducer]?.simpleBinaryReducer : nil
        return .window(indices: indices, windowSize: window.dimensions.reduce(1, *), simple: simple)
    }

    func ownsStorage<D: RealDomain>(_ node: NodeContext<D>) -> Bool { true }

    func prepare<D: RealDomain>(_ node: NodeContext<D>) -> KernelState<D> {
        guard case .window(_, _, nil) = node.plan, let runner = node.calledRunner(reducer) else { return .none }
        return .reducer(GeneralReducerState(runner: runner, inputCount: node.node.operands.count / 2))
    }

    func evaluate<D: RealDomain>(_ node: NodeContext<D>) throws -> Value<D.Buffer> {
        guard case .window(let indices, let size, let simple) = node.plan else { throw node.missing() }
        let storage = try node.storage()
        let operands = try node.operands()
        let outputs = size == 0 ? 0 : indices.count / size
        if let simple {
            guard operands.count == 2,
                let dtype = (node.node.type.arrayType ?? node.node.type.tupleElements?.first?.arrayType)?.dtype
            else { throw node.missing() }
            try reduceWindowSimple(
                node, simple, operands[0], operands[1], indices: indices, windowSize: size, into: storage,
                dtype: dtype)
        } else {
            guard case .reducer(let reducer) = node.state else { throw node.missing() }
            try reducer.reduce(operands, outputs: outputs, into: storage, runner: node.runner) { o in
                Array(indices[(o * size)..<((o + 1) * size)])
            }
        }
        return storage
    }

    /// A reduce-window whose reducer is one binary op: the init value, then the
    /// window's input elements in row-major window order; padding positions and
    /// the holes of base dilation are skipped (as XLA CPU does: they do not fold
    /// in the init value again).
    /// - Throws: ``EvaluationError/missingPlan(node:op:)`` when the operand and result storage disagree.
    func reduceWindowSimple<D: RealDomain>(
        _ node: NodeContext<D>, _ op: BinaryOp, _ x: Value<D.Buffer>, _ initial: Value<D.Buffer>, indices: [Int],
        windowSize: Int, into y: Value<D.Buffer>, dtype: DType
    ) throws {
        guard windowSize > 0 else { return }
        let domain = node.domain
        switch (x, y) {
        case (.real(let xs), .real(let out)):
            let start = initial.real
            for o in 0..<(indices.count / windowSize) {
                domain.copyElement(from: start, 0, to: out, o)
                for k in 0..<windowSize {
                    let index = indices[o * windowSize + k]
                    if index >= 0 { domain.binaryElement(op, dtype: dtype, out, o, xs, index, into: out, o) }
                }
            }
        case (.integer(let xs), .integer(let out)):
            let start = initial.integer.values[0]
            for o in 0..<(indices.count / windowSize) {
                var acc = start
                for k in 0..<windowSize {
                    let index = indices[o * windowSize + k]
                    if index >= 0 { acc = IntegerKernels.apply(op, acc, xs.values[index], dtype: dtype) }
                }
                out.values[o] = acc
            }
        default:
            throw node.missing()  // reduce-window between different kinds of storage
        }
    }
}
