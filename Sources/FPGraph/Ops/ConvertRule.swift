/// `convert`: the operand converted to the node's declared dtype.
struct ConvertRule: OpRule {
    var name: String { "convert" }
    var calledComputations: [String] { [] }

    func inferType(_ c: Context) throws -> ValueType {
        try c.arity(1)
        let x = try c.array(0)
        guard let dtype = c.spec.dtype ?? c.spec.declaredType?.arrayType?.dtype else {
            throw c.missing("convert needs the target dtype")
        }
        return .array(dtype, x.dimensions)
    }

    func work(at site: WorkSite) -> Double { site.elements }
    var writesResult: Bool { true }
    var canonicalText: String { "convert" }
    func reductionDepth(at site: DepthSite) -> Int { 0 }
    var roundsInReducer: Bool { true }
    /// A narrowing convert is exactly where a bf16 round trip loses its bits.
    var isLocalErrorSite: Bool { true }
    var valueFlow: ValueFlow { .operandValues }
}

extension ConvertRule {
    /// Elementwise: any box of the result needs the same box of each operand.
    func elementDependence(_ site: SliceSite) -> ElementDependence { .elementwise(site) }
}
