/// XLA `mulhi(a, b)`: two integer operands of one dtype and shape (a scalar broadcasts).
struct MultiplyHighRule: OpRule {
    var name: String { "mulhi" }
    var calledComputations: [String] { [] }

    func inferType(_ c: Context) throws -> ValueType {
        try c.arity(2)
        let shape = try c.elementwiseShape([0, 1])
        let dtype = try c.sameDType([0, 1])
        guard dtype.isInteger else { throw c.mismatch("mulhi needs integer operands, got \(dtype.rawValue)") }
        return .array(dtype, shape)
    }

    func work(at site: WorkSite) -> Double { site.elements }
    var writesResult: Bool { true }
    var canonicalText: String { "mulhi" }
    func reductionDepth(at site: DepthSite) -> Int { 0 }
    var roundsInReducer: Bool { false }
    var isLocalErrorSite: Bool { true }
    var valueFlow: ValueFlow { .other }
}

extension MultiplyHighRule {
    /// Elementwise: any box of the result needs the same box of each operand.
    func elementDependence(_ site: SliceSite) -> ElementDependence { .elementwise(site) }
}
