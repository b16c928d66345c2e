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

extension ReduceWindowRule {
    /// One array: a dimension whose window is one element wide (size, stride
    /// and dilations 1, no padding) takes the result's indices; the others are whole.
    func elementDependence(_ site: SliceSite) -> ElementDependence {
        guard site.operands.count == 2 else { return .whole }
        let w = window
        let trivial = (0..<site.result.rank).map { d in
            w.dimensions[d] == 1 && w.strides[d] == 1 && w.paddingLow[d] == 0 && w.paddingHigh[d] == 0
                && w.baseDilations[d] == 1 && w.windowDilations[d] == 1
        }
        return .restricts(
            operands: [trivial.enumerated().map { $1 ? $0 : nil }, []],
            wholeResultDimensions: trivial.indices.filter { !trivial[$0] })
    }
}
