/// `reverse`: the operand with its elements reversed along `dimensions`.
struct ReverseRule: OpRule {
    /// The reversed dimensions.
    let dimensions: [Int]

    var name: String { "reverse" }
    var calledComputations: [String] { [] }

    func inferType(_ c: Context) throws -> ValueType {
        let dims = dimensions
        try c.arity(1)
        let x = try c.array(0)
        if Set(dims).count != dims.count || dims.contains(where: { !(0..<x.rank).contains($0) }) {
            throw c.invalid("reverse dimensions \(dims) must be distinct and within 0..<\(x.rank)")
        }
        return .array(x)
    }

    func work(at site: WorkSite) -> Double { site.elements }
    var writesResult: Bool { true }
    var canonicalText: String { "reverse \(dimensions)" }
    func reductionDepth(at site: DepthSite) -> Int { 0 }
    var roundsInReducer: Bool { false }
    var isLocalErrorSite: Bool { false }
    var valueFlow: ValueFlow { .other }
}

extension ReverseRule {
    /// Moves values: a reversed dimension reads index `size − 1 − i`.
    func elementDependence(_ site: SliceSite) -> ElementDependence {
        let sizes = site.result.dimensions
        let reversed = Set(dimensions)
        return .moves { index in
            (0, index.indices.map { reversed.contains($0) ? sizes[$0] - 1 - index[$0] : index[$0] })
        }
    }
}
