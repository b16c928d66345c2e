/// `transpose`: result dimension `i` is operand dimension `permutation[i]`.
struct TransposeRule: OpRule {
    /// The operand dimension of each result dimension.
    let permutation: [Int]

    var name: String { "transpose" }
    var calledComputations: [String] { [] }

    func inferType(_ c: Context) throws -> ValueType {
        try c.arity(1)
        let x = try c.array(0)
        if permutation.sorted() != Array(0..<x.rank) {
            throw c.invalid("transpose dimensions \(permutation) are not a permutation of 0..<\(x.rank)")
        }
        return .array(x.dtype, permutation.map { x.dimensions[$0] })
    }

    func work(at site: WorkSite) -> Double { site.elements }
    var writesResult: Bool { true }
    var canonicalText: String { "transpose \(permutation)" }
    func reductionDepth(at site: DepthSite) -> Int { 0 }
    var roundsInReducer: Bool { false }
    var isLocalErrorSite: Bool { false }
    var valueFlow: ValueFlow { .operandValues }
}

extension TransposeRule {
    /// Operand dimension `permutation[j]` takes the indices of result dimension `j`.
    func elementDependence(_ site: SliceSite) -> ElementDependence {
        var map = [Int?](repeating: nil, count: permutation.count)
        for (j, d) in permutation.enumerated() { map[d] = j }
        return .restricts(operands: [map], wholeResultDimensions: [])
    }
}
