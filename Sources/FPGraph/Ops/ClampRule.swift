/// `clamp(min, operand, max)`: bounds that are scalars or have the operand's shape.
struct ClampRule: OpRule {
    var name: String { "clamp" }
    var calledComputations: [String] { [] }

    func inferType(_ c: Context) throws -> ValueType {
        try c.arity(3)
        let shape = try c.elementwiseShape([0, 1, 2])
        let dtype = try c.sameDType([0, 1, 2])
        if dtype == .pred { throw c.mismatch("clamp needs numeric operands") }
        if try c.array(1).dimensions != shape {
            throw c.mismatch("clamp's bounds must be scalars or have the operand's shape")
        }
        return .array(dtype, shape)
    }

    func work(at site: WorkSite) -> Double { site.elements }
    var writesResult: Bool { true }
    var canonicalText: String { "clamp" }
    func reductionDepth(at site: DepthSite) -> Int { 0 }
    var roundsInReducer: Bool { false }
    var isLocalErrorSite: Bool { true }
    var valueFlow: ValueFlow { .other }
}

extension ClampRule {
    /// Elementwise: any box of the result needs the same box of each operand.
    func elementDependence(_ site: SliceSite) -> ElementDependence { .elementwise(site) }
}
