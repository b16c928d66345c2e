/// `reduce(inputs..., inits...)` over `dimensions` with the reducer computation.
struct ReduceRule: OpRule {
    /// The dimensions reduced away.
    let dimensions: [Int]
    /// The reducer computation's name.
    let reducer: String

    var name: String { "reduce" }
    var calledComputations: [String] { [reducer] }

    func inferType(_ c: Context) throws -> ValueType {
        let dims = dimensions
        let (inputs, inits) = try c.reductionOperands(reducer: reducer)
        let rank = inputs[0].rank
        if Set(dims).count != dims.count || dims.contains(where: { !(0..<rank).contains($0) }) {
            throw c.invalid("reduce dimensions \(dims) must be distinct and within 0..<\(rank)")
        }
        let kept = (0..<rank).filter { !dims.contains($0) }.map { inputs[0].dimensions[$0] }
        let results = inits.map { ValueType.array($0.dtype, kept) }
        return results.count == 1 ? results[0] : .tuple(results)
    }

    /// Every input element is combined once by the reducer (which takes all inputs at once).
    func work(at site: WorkSite) -> Double { site.operandElements(0) * site.called(reducer) }
    var writesResult: Bool { true }
    var canonicalText: String { "reduce \(dimensions)" }

    /// n − 1 over n elements per result, when the reducer rounds.
    func reductionDepth(at site: DepthSite) -> Int {
        let (node, computation) = (site.node, site.computation)
        guard site.roundsWhenCombining(reducer), let operand = node.operands.first,
            let type = computation.nodes[operand].type.arrayType
        else { return 0 }
        let n = dimensions.reduce(1) { product, d in
            type.dimensions.indices.contains(d) ? saturatingMultiply(product, type.dimensions[d]) : product
        }
        return max(0, n - 1)
    }

    var roundsInReducer: Bool { false }
    var isLocalErrorSite: Bool { true }
    var valueFlow: ValueFlow { .other }
}

extension ReduceRule {
    /// Kept dimensions take the result's indices; reduced ones are needed
    /// whole, so each result element combines the same values in the same order.
    func elementDependence(_ site: SliceSite) -> ElementDependence {
        guard site.operands.count == 2 else { return .whole }
        var map = [Int?](repeating: nil, count: site.operands[0].rank)
        var next = 0
        for d in map.indices where !dimensions.contains(d) {
            map[d] = next
            next += 1
        }
        return .restricts(operands: [map, []], wholeResultDimensions: [])
    }
}
