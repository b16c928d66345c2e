/// `dynamic-slice(operand, starts...)`: a `sizes` block at run-time start
/// indices (one integer scalar per dimension), clamped so the block fits.
struct DynamicSliceRule: OpRule {
    /// The block's size in each dimension.
    let sizes: [Int]

    var name: String { "dynamic-slice" }
    var calledComputations: [String] { [] }

    func inferType(_ c: Context) throws -> ValueType {
        let x = try c.array(0)
        try c.arity(1 + x.rank)
        try c.checkStartIndices(from: 1, rank: x.rank)
        guard sizes.count == x.rank, zip(sizes, x.dimensions).allSatisfy({ $0 >= 0 && $0 <= $1 }) else {
            throw c.invalid(
                "dynamic_slice_sizes \(sizes) must give a size within each of the operand's dimensions \(x.dimensions)"
            )
        }
        return .array(x.dtype, sizes)
    }

    func work(at site: WorkSite) -> Double { site.elements }
    var writesResult: Bool { true }
    var canonicalText: String { "dynamic-slice \(sizes)" }
    func reductionDepth(at site: DepthSite) -> Int { 0 }
    var roundsInReducer: Bool { false }
    var isLocalErrorSite: Bool { true }
    var valueFlow: ValueFlow { .other }

    /// Start index d (operand d + 1) can take the positions the block can start at.
    func startIndexBounds(operandTypes: [ValueType]) -> [StartIndexBound] {
        guard let type = operandTypes.first?.arrayType else { return [] }
        var bounds: [StartIndexBound] = []
        for (d, _) in operandTypes.dropFirst().enumerated() where d < sizes.count && d < type.dimensions.count {
            bounds.append(
                StartIndexBound(
                    operand: d + 1, count: type.dimensions[d] - sizes[d] + 1,
                    reason: "a start index of a dynamic-slice of \(type)"))
        }
        return bounds
    }
}
