/// `dynamic-update-slice(operand, update, starts...)`: the operand with
/// `update` written at run-time start indices, clamped so it fits.
struct DynamicUpdateSliceRule: OpRule {
    var name: String { "dynamic-update-slice" }
    var calledComputations: [String] { [] }

    func inferType(_ c: Context) throws -> ValueType {
        let x = try c.array(0)
        try c.arity(2 + x.rank)
        let update = try c.array(1)
        guard update.dtype == x.dtype, update.rank == x.rank,
            zip(update.dimensions, x.dimensions).allSatisfy({ $0 <= $1 })
        else {
            throw c.mismatch("the update \(update) must have the operand's dtype and rank and fit in \(x)")
        }
        try c.checkStartIndices(from: 2, rank: x.rank)
        return .array(x)
    }

    func work(at site: WorkSite) -> Double { site.elements }
    var writesResult: Bool { true }
    var canonicalText: String { "dynamic-update-slice" }
    func reductionDepth(at site: DepthSite) -> Int { 0 }
    var roundsInReducer: Bool { false }
    var isLocalErrorSite: Bool { true }
    var valueFlow: ValueFlow { .other }

    /// Start index d (operand d + 2) can take the positions the update can start at.
    func startIndexBounds(operandTypes: [ValueType]) -> [StartIndexBound] {
        guard operandTypes.count >= 2, let type = operandTypes[0].arrayType, let update = operandTypes[1].arrayType
        else { return [] }
        var bounds: [StartIndexBound] = []
        for (d, _) in operandTypes.dropFirst(2).enumerated()
        where d < type.dimensions.count && d < update.dimensions.count {
            bounds.append(
                StartIndexBound(
                    operand: d + 2, count: type.dimensions[d] - update.dimensions[d] + 1,
                    reason: "a start index of a dynamic-update-slice of \(type)"))
        }
        return bounds
    }
}
