import FPGraph

/// A reduce or reduce-window with an arbitrary reducer computation (several
/// inputs, or a body that is more than one op): the reducer runs once per
/// term, sequentially in row-major order. (The pairwise order applies to
/// single-op reducers of `reduce` only.)
final class GeneralReducerState<D: RealDomain> {
    let runner: ComputationRunner<D>
    let inputCount: Int
    private var parameters: [Value<D.Buffer>]
    private var accumulators: [Value<D.Buffer>]

    init(runner: ComputationRunner<D>, inputCount: Int) {
        self.runner = runner
        self.inputCount = inputCount
        let types = runner.computation.parameters.map { runner.computation.nodes[$0].type }
        parameters = types.map(runner.allocate)
        accumulators = types.prefix(inputCount).map(runner.allocate)
    }

    /// Folds output `o` over the input positions `positions(o)`, sequentially,
    /// from the init values; -1 (a padding position of a reduce-window) is skipped.
    func reduce(
        _ operands: [Value<D.Buffer>], outputs count: Int, into storage: Value<D.Buffer>,
        runner outer: ComputationRunner<D>, positions: (Int) -> [Int]
    ) throws {
        let n = inputCount
        let outputs = n == 1 ? [storage] : storage.elements
        for o in 0..<count {
            for j in 0..<n { outer.copyScalar(from: operands[n + j], 0, to: accumulators[j], 0) }
            for position in positions(o) where position >= 0 {
                for j in 0..<n {
                    outer.copyScalar(from: accumulators[j], 0, to: parameters[j], 0)
                    outer.copyScalar(from: operands[j], position, to: parameters[n + j], 0)
                }
                let result = try runner.run(parameters)
                let results = n == 1 ? [result] : result.elements
                for j in 0..<n { outer.copyScalar(from: results[j], 0, to: accumulators[j], 0) }
            }
            for j in 0..<n { outer.copyScalar(from: accumulators[j], 0, to: outputs[j], o) }
        }
    }

    /// Scatter: combines update element u into `outputs[j][targets[u]]` with
    /// the computation, `(current..., update...) -> new...`, in the order of
    /// `targets` (nil: skipped).
    func combine(
        _ updates: [Value<D.Buffer>], targets: [Int?], into outputs: [Value<D.Buffer>],
        runner outer: ComputationRunner<D>
    ) throws {
        let n = inputCount
        for (u, target) in targets.enumerated() {
            guard let t = target else { continue }
            for j in 0..<n {
                outer.copyScalar(from: outputs[j], t, to: parameters[j], 0)
                outer.copyScalar(from: updates[j], u, to: parameters[n + j], 0)
            }
            let result = try runner.run(parameters)
            let results = n == 1 ? [result] : result.elements
            for j in 0..<n { outer.copyScalar(from: results[j], 0, to: outputs[j], t) }
        }
    }
}
