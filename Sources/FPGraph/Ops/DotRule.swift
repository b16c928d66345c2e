/// `dot`: XLA's general dot product; the result's dimensions are the batch
/// dimensions, then the lhs's free ones, then the rhs's. The result may
/// declare another dtype of the same kind (`preferred_element_type`).
struct DotRule: OpRule {
    /// The dimension numbers.
    let dimensions: DotDimensions

    var name: String { "dot" }
    var calledComputations: [String] { [] }

    func inferType(_ c: Context) throws -> ValueType {
        let d = dimensions
        try c.arity(2)
        let lhs = try c.array(0)
        let rhs = try c.array(1)
        guard lhs.dtype == rhs.dtype else { throw c.mismatch("dot operands differ in dtype: \(lhs) and \(rhs)") }
        guard d.lhsBatch.count == d.rhsBatch.count, d.lhsContracting.count == d.rhsContracting.count else {
            throw c.invalid(
                "dot needs as many lhs as rhs batch dimensions, and as many lhs as rhs contracting dimensions")
        }
        let lhsUsed = d.lhsBatch + d.lhsContracting
        let rhsUsed = d.rhsBatch + d.rhsContracting
        guard Set(lhsUsed).count == lhsUsed.count, lhsUsed.allSatisfy({ (0..<lhs.rank).contains($0) }),
            Set(rhsUsed).count == rhsUsed.count, rhsUsed.allSatisfy({ (0..<rhs.rank).contains($0) })
        else {
            throw c.invalid("dot dimension numbers must be distinct and within each operand's rank")
        }
        for (l, r) in zip(d.lhsBatch, d.rhsBatch) where lhs.dimensions[l] != rhs.dimensions[r] {
            throw c.mismatch(
                "batch dimension sizes differ: lhs[\(l)] = \(lhs.dimensions[l]), rhs[\(r)] = \(rhs.dimensions[r])")
        }
        for (l, r) in zip(d.lhsContracting, d.rhsContracting) where lhs.dimensions[l] != rhs.dimensions[r] {
            throw c.mismatch(
                "contracting dimension sizes differ: lhs[\(l)] = \(lhs.dimensions[l]), rhs[\(r)] = \(rhs.dimensions[r])"
            )
        }
        let dims =
            d.lhsBatch.map { lhs.dimensions[$0] }
            + (0..<lhs.rank).filter { !lhsUsed.contains($0) }.map { lhs.dimensions[$0] }
            + (0..<rhs.rank).filter { !rhsUsed.contains($0) }.map { rhs.dimensions[$0] }
        var dtype = lhs.dtype
        if let declared = c.spec.dtype ?? c.spec.declaredType?.arrayType?.dtype {
            guard declared.isFloatingPoint == lhs.dtype.isFloatingPoint else {
                throw c.mismatch("dot of \(lhs.dtype.rawValue) operands cannot produce \(declared.rawValue)")
            }
            dtype = declared
        }
        if dtype == .pred { throw c.mismatch("dot needs numeric operands") }
        return .array(dtype, dims)
    }

    /// One product and sum per output element and contracted position.
    func work(at site: WorkSite) -> Double {
        let lhs = site.operandArray(0)?.dimensions ?? []
        let terms = dimensions.lhsContracting.reduce(1.0) { $0 * Double(lhs.indices.contains($1) ? lhs[$1] : 1) }
        return site.elements * terms
    }

    var writesResult: Bool { true }

    var canonicalText: String {
        let d = dimensions
        return "dot \(d.lhsBatch) \(d.rhsBatch) \(d.lhsContracting) \(d.rhsContracting)"
    }

    /// K, the contraction length (K products and K − 1 sums).
    func reductionDepth(at site: DepthSite) -> Int {
        let (node, computation) = (site.node, site.computation)
        guard let operand = node.operands.first, let type = computation.nodes[operand].type.arrayType else {
            return 0
        }
        return dimensions.lhsContracting.reduce(1) { product, d in
            type.dimensions.indices.contains(d) ? saturatingMultiply(product, type.dimensions[d]) : product
        }
    }

    var roundsInReducer: Bool { false }
    var isLocalErrorSite: Bool { true }
    var valueFlow: ValueFlow { .other }
}

extension DotRule {
    /// Batch and free dimensions take the result's indices; contracted
    /// dimensions are needed whole. Each result element's sum runs over the
    /// same terms in the same order whatever the box.
    func elementDependence(_ site: SliceSite) -> ElementDependence {
        guard site.operands.count == 2 else { return .whole }
        let d = dimensions
        let (lhsRank, rhsRank) = (site.operands[0].rank, site.operands[1].rank)
        var lhs = [Int?](repeating: nil, count: lhsRank)
        var rhs = [Int?](repeating: nil, count: rhsRank)
        var next = 0
        for (l, r) in zip(d.lhsBatch, d.rhsBatch) {
            lhs[l] = next
            rhs[r] = next
            next += 1
        }
        for l in 0..<lhsRank where !d.lhsBatch.contains(l) && !d.lhsContracting.contains(l) {
            lhs[l] = next
            next += 1
        }
        for r in 0..<rhsRank where !d.rhsBatch.contains(r) && !d.rhsContracting.contains(r) {
            rhs[r] = next
            next += 1
        }
        return .restricts(operands: [lhs, rhs], wholeResultDimensions: [])
    }
}
