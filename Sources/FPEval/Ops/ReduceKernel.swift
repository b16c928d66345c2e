import FPGraph

/// `reduce(dimensions, reducer)`: folds the operand over `dimensions`. A
/// reducer that is one binary op on two scalars (the plan's `simple`) runs
/// as that op in the evaluation's ``ReductionOrder``; any other reducer runs
/// as a computation, once per term, sequentially (``GeneralReducerState``).
struct ReduceKernel: NodeKernel {
    let dimensions: [Int]
    let reducer: String

    func plan(_ node: PlanContext) -> NodePlan {
        guard let x = node.operandTypes.first ?? nil, dimensions.allSatisfy({ x.dimensions.indices.contains($0) })
        else {
            return .none
        }
        let strides = x.strides
        let kept = (0..<x.rank).filter { !dimensions.contains($0) }
        let reduced = dimensions.sorted()
        let bases = mapIndices(kept.map { x.dimensions[$0] }) { index in
            zip(kept, index).reduce(0) { $0 + $1.1 * strides[$1.0] }
        }
        let offsets = mapIndices(reduced.map { x.dimensions[$0] }) { index in
            zip(reduced, index).reduce(0) { $0 + $1.1 * strides[$1.0] }
        }
        let simple =
            node.node.operands.count == 2 ? node.graph.computations[reducer]?.simpleBinaryReducer : nil
        return .reduce(bases: bases, offsets: offsets, simple: simple)
    }

    func ownsStorage<D: RealDomain>(_ node: NodeContext<D>) -> Bool { true }

    func prepare<D: RealDomain>(_ node: NodeContext<D>) -> KernelState<D> {
        guard case .reduce(_, _, nil) = node.plan, let runner = node.calledRunner(reducer) else { return .none }
        return .reducer(GeneralReducerState(runner: runner, inputCount: node.node.operands.count / 2))
    }

    func evaluate<D: RealDomain>(_ node: NodeContext<D>) throws -> Value<D.Buffer> {
        guard case .reduce(let bases, let offsets, let simple) = node.plan else { throw node.missing() }
        let storage = try node.storage()
        if let simple {
            let (terms, initial) = try node.operandPair()
            try reduceSimple(
                node, simple, terms, initial, bases: bases, offsets: offsets, into: storage,
                dtype: try node.resultType().dtype)
        } else {
            let operands = try node.operands()
            guard case .reducer(let reducer) = node.state else { throw node.missing() }
            try reducer.reduce(operands, outputs: bases.count, into: storage, runner: node.runner) { o in
                offsets.map { bases[o] + $0 }
            }
        }
        return storage
    }

    /// A reduce whose reducer is one binary op (sum, product, max, min, ...).
    /// - Throws: ``EvaluationError/missingPlan(node:op:)`` when the operand and result storage disagree.
    func reduceSimple<D: RealDomain>(
        _ node: NodeContext<D>, _ op: BinaryOp, _ x: Value<D.Buffer>, _ initial: Value<D.Buffer>,
        bases: [Int], offsets: [Int], into y: Value<D.Buffer>, dtype: DType
    ) throws {
        let runner = node.runner
        switch (x, y) {
        case (.real(let xs), .real(let out)):
            let tree =
                runner.order == .pairwise && offsets.count > 1
                ? runner.scratchBuffer(node.index, count: runner.treeScratchSize(offsets.count)) : nil
            // 8-bit floats: each step computes in f16 and rounds to the 8-bit type, as
            // XLA CPU's float normalization rewrites the reducer (f16 op, convert to f8 and back).
            for (o, base) in bases.enumerated() {
                runner.accumulate(
                    op, dtype: dtype, terms: xs, base: base, offsets: offsets, initial: initial.real, tree: tree,
                    into: out, o)
            }
        case (.integer(let xs), .integer(let out)):
            let start = initial.integer.values[0]
            for (o, base) in bases.enumerated() {
                var acc = start
                for offset in offsets { acc = IntegerKernels.apply(op, acc, xs.values[base + offset], dtype: dtype) }
                out.values[o] = acc
            }
        default:
            throw node.missing()  // reduce between different kinds of storage
        }
    }
}
