import Foundation

/// `sort(operands...)` along `dimension`: operands of one shape permuted
/// alike in the order the comparator (2N scalars, returning pred) defines.
struct SortRule: OpRule {
    /// The dimension sorted along.
    let dimension: Int
    /// Whether equal elements keep their order.
    let isStable: Bool
    /// The comparator computation's name.
    let comparator: String

    var name: String { "sort" }
    var calledComputations: [String] { [comparator] }

    func inferType(_ c: Context) throws -> ValueType {
        guard !c.operandTypes.isEmpty else {
            throw GraphError.arity(
                node: c.spec.name, op: "sort", expected: "at least 1", got: 0, location: c.spec.location)
        }
        let operands = try c.operandTypes.indices.map { try c.array($0) }
        for (i, a) in operands.enumerated() where a.dimensions != operands[0].dimensions {
            throw c.mismatch("sort operand \(i) is \(a) but operand 0 is \(operands[0])")
        }
        guard (0..<operands[0].rank).contains(dimension) else {
            throw c.invalid("sort dimension \(dimension) is out of range for \(operands[0])")
        }
        let comparator = try c.callee(self.comparator)
        let expected = operands.flatMap { [ValueType.array($0.dtype, []), .array($0.dtype, [])] }
        let actual = comparator.parameters.map { comparator.nodes[$0].type }
        if actual != expected || comparator.resultType != .array(.pred, []) {
            throw c.mismatch(
                "comparator '\(self.comparator)' takes \(actual.map(\.description)) and returns \(comparator.resultType); this sort needs \(expected.map(\.description)) returning pred[]"
            )
        }
        let results = operands.map { ValueType.array($0) }
        return results.count == 1 ? results[0] : .tuple(results)
    }

    /// n log n comparator calls per sorted row of n elements.
    func work(at site: WorkSite) -> Double {
        let shape = site.operandArray(0)?.dimensions ?? []
        let n = Double(shape.indices.contains(dimension) ? shape[dimension] : 1)
        return site.operandElements(0) * log2(Swift.max(n, 2)) * site.called(comparator)
    }

    var writesResult: Bool { true }
    var canonicalText: String { "sort \(dimension)" + (isStable ? " stable" : "") }
    func reductionDepth(at site: DepthSite) -> Int { 0 }
    var roundsInReducer: Bool { false }
    var isLocalErrorSite: Bool { false }
    var valueFlow: ValueFlow { .other }
}

extension SortRule {
    /// One array sorted along `dimension`: the other dimensions take the
    /// result's indices; the sorted one is computed whole.
    func elementDependence(_ site: SliceSite) -> ElementDependence {
        guard site.operands.count == 1 else { return .whole }
        let map = (0..<site.result.rank).map { $0 == dimension ? nil : Optional($0) }
        return .restricts(operands: [map], wholeResultDimensions: [dimension])
    }
}
