/// `iota`: the declared type, counting along `dimension`.
struct IotaRule: OpRule {
    /// The dimension that counts.
    let dimension: Int

    var name: String { "iota" }
    var calledComputations: [String] { [] }

    func inferType(_ c: Context) throws -> ValueType {
        try c.arity(0)
        let type = try c.declaredArrayOrType()
        guard let a = type.arrayType, (0..<a.rank).contains(dimension) else {
            throw c.invalid("iota_dimension \(dimension) is out of range for \(type)")
        }
        if a.dtype == .pred { throw c.mismatch("iota cannot produce pred") }
        return type
    }

    func work(at site: WorkSite) -> Double { site.elements }
    var writesResult: Bool { true }
    var canonicalText: String { "iota \(dimension)" }
    func reductionDepth(at site: DepthSite) -> Int { 0 }
    var roundsInReducer: Bool { false }
    var isLocalErrorSite: Bool { false }
    var valueFlow: ValueFlow { .other }
}

extension IotaRule {
    /// The slicer makes any box of the values directly.
    func elementDependence(_ site: SliceSite) -> ElementDependence { .generated }
}
