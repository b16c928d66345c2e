/// XLA `select-and-scatter(operand, source, init_value)`: the source has the
/// shape of the window's positions over the operand, all three share one
/// dtype (the init value a scalar), `select` is `(T, T) -> pred` and
/// `scatter` is `(T, T) -> T`; the result has the operand's type. Windows
/// with dilations are refused (XLA CPU's emitter ignores them).
struct SelectAndScatterRule: OpRule {
    /// The window.
    let window: WindowConfig
    /// The select computation's name.
    let select: String
    /// The scatter computation's name.
    let scatter: String

    var name: String { "select-and-scatter" }
    var calledComputations: [String] { [select, scatter] }

    func inferType(_ c: Context) throws -> ValueType {
        let w = window
        try c.arity(3)
        let (operand, source, initial) = (try c.array(0), try c.array(1), try c.array(2))
        let positions = try c.windowOutput(w, over: operand)
        if w.baseDilations.contains(where: { $0 != 1 }) || w.windowDilations.contains(where: { $0 != 1 }) {
            throw c.invalid(
                "select-and-scatter takes no base or window dilation (got \(w.baseDilations), \(w.windowDilations))")
        }
        guard source.dtype == operand.dtype, initial.dtype == operand.dtype, initial.rank == 0 else {
            throw c.mismatch(
                "the source and the init value must have the operand's dtype \(operand.dtype.rawValue), the init value a scalar; got \(source) and \(initial)"
            )
        }
        guard source.dimensions == positions else {
            throw c.mismatch("the source is \(source) but the window has \(positions) positions over \(operand)")
        }
        let scalar = ValueType.array(operand.dtype, [])
        let selector = try c.callee(select)
        let selectParameters = selector.parameters.map { selector.nodes[$0].type }
        if selectParameters != [scalar, scalar] || selector.resultType != .array(.pred, []) {
            throw c.mismatch(
                "select '\(select)' takes \(selectParameters.map(\.description)) and returns \(selector.resultType); it must take (\(scalar), \(scalar)) and return pred[]"
            )
        }
        let combiner = try c.callee(scatter)
        let scatterParameters = combiner.parameters.map { combiner.nodes[$0].type }
        if scatterParameters != [scalar, scalar] || combiner.resultType != scalar {
            throw c.mismatch(
                "scatter '\(scatter)' takes \(scatterParameters.map(\.description)) and returns \(combiner.resultType); it must take (\(scalar), \(scalar)) and return \(scalar)"
            )
        }
        return .array(operand)
    }

    /// Each source element's window is searched with `select`, then scattered once.
    func work(at site: WorkSite) -> Double {
        let windowSize = window.dimensions.reduce(1.0) { $0 * Double($1) }
        return site.elements + site.operandElements(1) * (windowSize * site.called(select) + site.called(scatter))
    }

    var writesResult: Bool { true }

    var canonicalText: String {
        let w = window
        return
            "select-and-scatter \(w.dimensions) \(w.strides) \(w.paddingLow) \(w.paddingHigh) \(w.baseDilations) \(w.windowDilations)"
    }

    /// Every source element whose window overlaps an operand element may land on it.
    func reductionDepth(at site: DepthSite) -> Int {
        guard site.roundsWhenCombining(scatter) else { return 0 }
        let overlaps = zip(window.dimensions, window.strides).reduce(1) { product, w in
            saturatingMultiply(product, (w.0 + w.1 - 1) / w.1)
        }
        return max(0, overlaps - 1)
    }

    var roundsInReducer: Bool { true }
    var isLocalErrorSite: Bool { true }
    var valueFlow: ValueFlow { .other }
}
