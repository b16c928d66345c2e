import FPGraph

/// A computation applied to scalars taken from arrays (a map's function,
/// select-and-scatter's `select` and `scatter`). Its float comparisons feed
/// branch-flip detection like any other, since the runner shares the
/// evaluation's recorder.
final class ScalarCallState<D: RealDomain> {
    let runner: ComputationRunner<D>
    private var parameters: [Value<D.Buffer>]

    init(runner: ComputationRunner<D>) {
        self.runner = runner
        parameters = runner.computation.parameters.map { runner.allocate(runner.computation.nodes[$0].type) }
    }

    /// The computation on `(arguments[0][positions[0]], arguments[1][positions[1]], ...)`.
    func call(
        _ arguments: [Value<D.Buffer>], at positions: [Int], runner outer: ComputationRunner<D>
    ) throws -> Value<D.Buffer> {
        for (k, argument) in arguments.enumerated() {
            outer.copyScalar(from: argument, positions[k], to: parameters[k], 0)
        }
        return try runner.run(parameters)
    }
}
