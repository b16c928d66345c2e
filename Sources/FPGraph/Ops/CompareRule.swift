/// `compare`: two operands of one dtype (a scalar broadcasts), a pred result.
struct CompareRule: OpRule {
    /// The comparison.
    let direction: ComparisonDirection
    /// Whether floats compare by IEEE totalOrder.
    let totalOrder: Bool

    var name: String { "compare" }
    var calledComputations: [String] { [] }

    func inferType(_ c: Context) throws -> ValueType {
        try c.arity(2)
        let shape = try c.elementwiseShape([0, 1])
        _ = try c.sameDType([0, 1])
        return .array(.pred, shape)
    }

    func work(at site: WorkSite) -> Double { site.elements }
    var writesResult: Bool { true }
    var canonicalText: String { "compare \(direction.rawValue)" + (totalOrder ? " totalorder" : "") }
    func reductionDepth(at site: DepthSite) -> Int { 0 }
    var roundsInReducer: Bool { false }
    var isLocalErrorSite: Bool { true }
    var valueFlow: ValueFlow { .other }
}

extension CompareRule {
    /// Elementwise: any box of the result needs the same box of each operand.
    func elementDependence(_ site: SliceSite) -> ElementDependence { .elementwise(site) }
}
