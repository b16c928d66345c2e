/// `gather(operand, start_indices)`: slices of the operand at run-time start
/// indices (see ``GatherDimensions``); the operand's dtype.
struct GatherRule: OpRule {
    /// The dimension numbers.
    let dimensions: GatherDimensions

    var name: String { "gather" }
    var calledComputations: [String] { [] }

    func inferType(_ c: Context) throws -> ValueType {
        try c.arity(2)
        let (operand, indices) = (try c.array(0), try c.array(1))
        switch dimensions.resultDimensions(operand: operand, indices: indices) {
        case .success(let dimensions): return .array(operand.dtype, dimensions)
        case .failure(let problem): throw c.invalid(problem.message)
        }
    }

    func work(at site: WorkSite) -> Double { site.elements }
    var writesResult: Bool { true }

    /// indices_are_sorted is a promise about the data: it changes nothing computed, so it is left out.
    var canonicalText: String {
        let g = dimensions
        return
            "gather \(g.offsetDims) \(g.collapsedSliceDims) \(g.startIndexMap) \(g.indexVectorDim) \(g.sliceSizes) \(g.operandBatchingDims) \(g.startIndicesBatchingDims)"
    }

    func reductionDepth(at site: DepthSite) -> Int { 0 }
    var roundsInReducer: Bool { false }
    var isLocalErrorSite: Bool { false }
    var valueFlow: ValueFlow { .other }

    /// The start indices (operand 1) can take the positions the slice can start at, in the tightest dimension.
    func startIndexBounds(operandTypes: [ValueType]) -> [StartIndexBound] {
        let g = dimensions
        guard operandTypes.count == 2, let type = operandTypes[0].arrayType else { return [] }
        let limits = g.startIndexMap.compactMap { d in
            type.dimensions.indices.contains(d) && g.sliceSizes.indices.contains(d)
                ? type.dimensions[d] - g.sliceSizes[d] + 1 : nil
        }
        guard let n = limits.min() else { return [] }
        return [StartIndexBound(operand: 1, count: n, reason: "the start indices of a gather from \(type)")]
    }
}
