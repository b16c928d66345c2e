/// `select(pred, on_true, on_false)`: elementwise choice (scalars broadcast).
struct SelectRule: OpRule {
    var name: String { "select" }
    var calledComputations: [String] { [] }

    func inferType(_ c: Context) throws -> ValueType {
        try c.arity(3)
        let predicate = try c.array(0)
        if predicate.dtype != .pred { throw c.mismatch("select's first operand must be pred, got \(predicate)") }
        let shape = try c.elementwiseShape([0, 1, 2])
        let dtype = try c.sameDType([1, 2])
        return .array(dtype, shape)
    }

    func work(at site: WorkSite) -> Double { site.elements }
    var writesResult: Bool { true }
    var canonicalText: String { "select" }
    func reductionDepth(at site: DepthSite) -> Int { 0 }
    var roundsInReducer: Bool { false }
    var isLocalErrorSite: Bool { true }
    var valueFlow: ValueFlow { .other }
}

extension SelectRule {
    /// Elementwise: any box of the result needs the same box of each operand.
    func elementDependence(_ site: SliceSite) -> ElementDependence { .elementwise(site) }
}
