/// `reduce-precision`: a float operand rounded to a narrower format; its own type.
struct ReducePrecisionRule: OpRule {
    /// Exponent bits of the target format (1...11).
    let exponentBits: Int
    /// Mantissa bits of the target format (0...52).
    let mantissaBits: Int

    var name: String { "reduce-precision" }
    var calledComputations: [String] { [] }

    func inferType(_ c: Context) throws -> ValueType {
        let (e, m) = (exponentBits, mantissaBits)
        try c.arity(1)
        let x = try c.array(0)
        try c.requireFloat(x, "reduce-precision")
        if !(1...11).contains(e) || !(0...52).contains(m) {
            throw c.invalid(
                "reduce-precision needs 1 <= exponent_bits <= 11 and 0 <= mantissa_bits <= 52, got \(e) and \(m)")
        }
        return .array(x)
    }

    func work(at site: WorkSite) -> Double { site.elements }
    var writesResult: Bool { true }
    var canonicalText: String { "reduce-precision e=\(exponentBits) m=\(mantissaBits)" }
    func reductionDepth(at site: DepthSite) -> Int { 0 }
    var roundsInReducer: Bool { true }
    var isLocalErrorSite: Bool { true }
    var valueFlow: ValueFlow { .other }
}

extension ReducePrecisionRule {
    /// Elementwise: any box of the result needs the same box of each operand.
    func elementDependence(_ site: SliceSite) -> ElementDependence { .elementwise(site) }
}
