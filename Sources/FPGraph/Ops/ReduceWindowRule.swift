/// `reduce-window(inputs..., inits...)`: the reducer folded over each window position.
struct ReduceWindowRule: OpRule {
    /// The window.
    let window: WindowConfig
    /// The reducer computation's name.
    let reducer: String

    var name: String { "reduce-window" }
    var calledComputations: [String] { [reducer] }

    func inferType(_ c: Context) throws -> ValueType {
        let (inputs, inits) = try c.reductionOperands(reducer: reducer)
        let dims = try c.windowOutput(window, over: inputs[0])
        let results = inits.map { ValueType.array($0.dtype, dims) }
        return results.count == 1 ? results[0] : .tuple(results)
    }

    /// One reducer call per output element of the first result and window element.
    func work(at site: WorkSite) -> Double {
        let windowSize = window.dimensions.reduce(1.0) { $0 * Double($1) }
        return site.firstElements * windowSize * site.called(reducer)
    }

    var writesResult: Bool { true }

    var canonicalText: String {
        let w = window
        return
            "reduce-window \(w.dimensions) \(w.strides) \(w.paddingLow) \(w.paddingHigh) \(w.baseDilations) \(w.windowDilations)"
    }

    /// W − 1 over a window of W elements, when the reducer rounds.
    func reductionDepth(at site: DepthSite) -> Int {
        guard site.roundsWhenCombining(reducer) else { return 0 }
        let w = window.dimensions.reduce(1, saturatingMultiply)
        return max(0, w - 1)
    }

    var roundsInReducer: Bool { false }
    var isLocalErrorSite: Bool { true }
    var valueFlow: ValueFlow { .other }
}
