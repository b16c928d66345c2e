/// `broadcast`: operand dimension `i` becomes result dimension `dimensions[i]` of the declared shape.
struct BroadcastRule: OpRule {
    /// The result dimension of each operand dimension.
    let dimensions: [Int]

    var name: String { "broadcast" }
    var calledComputations: [String] { [] }

    func inferType(_ c: Context) throws -> ValueType {
        let dims = dimensions
        try c.arity(1)
        let x = try c.array(0)
        guard let shape = c.spec.shape ?? c.spec.declaredType?.arrayType?.dimensions else {
            throw c.missing("broadcast needs the result shape")
        }
        if dims.count != x.rank {
            throw c.invalid(
                "broadcast dimensions \(dims) must name one result dimension per operand dimension (\(x.rank))")
        }
        if Set(dims).count != dims.count {
            throw c.invalid("broadcast dimensions \(dims) repeat a dimension")
        }
        for (i, d) in dims.enumerated() {
            guard (0..<shape.count).contains(d) else {
                throw c.invalid("broadcast dimension \(d) is out of range for result shape \(shape)")
            }
            if shape[d] != x.dimensions[i] {
                throw c.mismatch(
                    "operand dimension \(i) has size \(x.dimensions[i]) but result dimension \(d) has size \(shape[d])")
            }
        }
        return .array(x.dtype, shape)
    }

    func work(at site: WorkSite) -> Double { site.elements }
    var writesResult: Bool { true }
    var canonicalText: String { "broadcast \(dimensions)" }
    func reductionDepth(at site: DepthSite) -> Int { 0 }
    var roundsInReducer: Bool { false }
    var isLocalErrorSite: Bool { false }
    var valueFlow: ValueFlow { .operandValues }
}

extension BroadcastRule {
    /// Operand dimension `i` takes the indices of result dimension `dimensions[i]`.
    func elementDependence(_ site: SliceSite) -> ElementDependence {
        .restricts(operands: [dimensions.map { Optional($0) }], wholeResultDimensions: [])
    }
}
