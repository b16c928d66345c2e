import FPGraph

/// XLA `select-and-scatter(window, select, scatter)`: the gradient of a
/// max-pool. The plan lists every window's operand positions (as for
/// reduce-window, over the source's positions); `select` and `scatter` are
/// computations called on scalars (``ScalarCallState``).
struct SelectAndScatterKernel: NodeKernel {
    let window: WindowConfig
    let select: String
    let scatter: String

    func plan(_ node: PlanContext) -> NodePlan {
        guard node.operandTypes.count >= 2, let x = node.operandTypes[0], let source = node.operandTypes[1] else {
            return .none
        }
        let indices = GraphPlan.windowIndices(window, input: x, positions: source.dimensions)
        return .window(indices: indices, windowSize: window.dimensions.reduce(1, *), simple: nil)
    }

    func ownsStorage<D: RealDomain>(_ node: NodeContext<D>) -> Bool { true }

    func prepare<D: RealDomain>(_ node: NodeContext<D>) -> KernelState<D> {
        node.calledRunners([select, scatter]).map { .scalarCalls($0.map(ScalarCallState.init)) } ?? .none
    }

    /// XLA's select-and-scatter, as XLA CPU emits it: the result starts as the
    /// init value everywhere; for each source element in row-major order, its
    /// window is walked in row-major order over the operand positions that are
    /// not padding (padding is never selected). The first such position is
    /// selected, and each later one replaces the selection when
    /// `select(selected, current)` is false (so `GE` keeps the first of equal
    /// maxima). Then `result[selected] = scatter(result[selected], source)`.
    /// A window that lies entirely in the padding scatters nothing.
    func evaluate<D: RealDomain>(_ node: NodeContext<D>) throws -> Value<D.Buffer> {
        guard case .window(let indices, let windowSize, _) = node.plan,
            case .scalarCalls(let calls) = node.state, calls.count == 2
        else { throw node.missing() }
        let y = try node.storage()
        let operands = try node.operands()
        guard operands.count == 3 else { throw node.missing() }
        let runner = node.runner
        let (select, scatter) = (calls[0], calls[1])
        let (x, source, initial) = (operands[0], operands[1], operands[2])
        let count = try node.resultType().elementCount
        for e in 0..<count { runner.copyScalar(from: initial, 0, to: y, e) }
        guard windowSize > 0 else { return y }
        for s in 0..<(indices.count / windowSize) {
            var selected = -1
            for k in 0..<windowSize {
                let position = indices[s * windowSize + k]
                guard position >= 0 else { continue }
                if selected < 0 {
                    selected = position
                } else if try select.call([x, x], at: [selected, position], runner: runner).integer.values[0] == 0 {
                    selected = position
                }
            }
            guard selected >= 0 else { continue }
            let combined = try scatter.call([y, source], at: [selected, s], runner: runner)
            runner.copyScalar(from: combined, 0, to: y, selected)
        }
        return y
    }
}
