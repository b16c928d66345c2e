/// `parameter`: the computation's parameter with this position; its type is the declared one.
struct ParameterRule: OpRule {
    /// The parameter's position.
    let index: Int

    var name: String { "parameter" }
    var calledComputations: [String] { [] }

    func inferType(_ c: Context) throws -> ValueType {
        try c.arity(0)
        return try c.declaredArrayOrType()
    }

    func work(at site: WorkSite) -> Double { 0 }
    var writesResult: Bool { false }
    var canonicalText: String { "parameter \(index)" }
    func reductionDepth(at site: DepthSite) -> Int { 0 }
    var roundsInReducer: Bool { false }
    var isLocalErrorSite: Bool { false }
    var valueFlow: ValueFlow { .parameter(index: index) }
}

extension ParameterRule {
    /// The slicer makes any box of the values directly.
    func elementDependence(_ site: SliceSite) -> ElementDependence { .generated }
}
