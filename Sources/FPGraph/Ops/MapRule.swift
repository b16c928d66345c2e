/// XLA `map(operands...)`: operands of one shape; the computation takes one
/// scalar of each operand's dtype and returns one scalar, whose dtype the
/// result has.
struct MapRule: OpRule {
    /// The computation's name.
    let computation: String

    var name: String { "map" }
    var calledComputations: [String] { [computation] }

    func inferType(_ c: Context) throws -> ValueType {
        guard !c.operandTypes.isEmpty else {
            throw GraphError.arity(
                node: c.spec.name, op: "map", expected: "at least 1", got: 0, location: c.spec.location)
        }
        let operands = try c.operandTypes.indices.map { try c.array($0) }
        for (i, a) in operands.enumerated() where a.dimensions != operands[0].dimensions {
            throw c.mismatch("map operand \(i) is \(a) but operand 0 is \(operands[0]); map does not broadcast")
        }
        let callee = try c.callee(computation)
        let expected = operands.map { ValueType.array($0.dtype, []) }
        let actual = callee.parameters.map { callee.nodes[$0].type }
        guard actual == expected, case .array(let r) = callee.resultType, r.rank == 0 else {
            throw c.mismatch(
                "computation '\(computation)' takes \(actual.map(\.description)) and returns \(callee.resultType); this map needs \(expected.map(\.description)) returning a scalar"
            )
        }
        return .array(r.dtype, operands[0].dimensions)
    }

    /// One call of the computation per element.
    func work(at site: WorkSite) -> Double { site.elements * site.called(computation) }
    var writesResult: Bool { true }
    var canonicalText: String { "map" }
    /// The computation's depth.
    func reductionDepth(at site: DepthSite) -> Int { site.depth(ofComputation: computation) }
    var roundsInReducer: Bool { true }
    var isLocalErrorSite: Bool { true }
    var valueFlow: ValueFlow { .other }
}

extension MapRule {
    /// Elementwise: any box of the result needs the same box of each operand.
    func elementDependence(_ site: SliceSite) -> ElementDependence { .elementwise(site) }
}
