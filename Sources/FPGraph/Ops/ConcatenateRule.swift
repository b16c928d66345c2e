/// `concatenate`: operands of one dtype and rank joined along `dimension`.
struct ConcatenateRule: OpRule {
    /// The dimension the operands are joined along.
    let dimension: Int

    var name: String { "concatenate" }
    var calledComputations: [String] { [] }

    func inferType(_ c: Context) throws -> ValueType {
        guard !c.operandTypes.isEmpty else {
            throw GraphError.arity(
                node: c.spec.name, op: "concatenate", expected: "at least 1", got: 0, location: c.spec.location)
        }
        let first = try c.array(0)
        guard (0..<first.rank).contains(dimension) else {
            throw c.invalid("concatenate dimension \(dimension) is out of range for rank \(first.rank)")
        }
        var total = 0
        for i in c.operandTypes.indices {
            let a = try c.array(i)
            guard a.dtype == first.dtype, a.rank == first.rank else {
                throw c.mismatch("operand \(i) is \(a) but operand 0 is \(first)")
            }
            for axis in 0..<a.rank where axis != dimension && a.dimensions[axis] != first.dimensions[axis] {
                throw c.mismatch(
                    "operand \(i) is \(a) but operand 0 is \(first); only dimension \(dimension) may differ")
            }
            total = try c.sum("the concatenated dimension", total, a.dimensions[dimension])
        }
        var dims = first.dimensions
        dims[dimension] = total
        return .array(first.dtype, dims)
    }

    func work(at site: WorkSite) -> Double { site.elements }
    var writesResult: Bool { true }
    var canonicalText: String { "concatenate \(dimension)" }
    func reductionDepth(at site: DepthSite) -> Int { 0 }
    var roundsInReducer: Bool { false }
    var isLocalErrorSite: Bool { false }
    var valueFlow: ValueFlow { .concatenation }
}

extension ConcatenateRule {
    /// Moves values: an index along the dimension falls in one operand's range.
    func elementDependence(_ site: SliceSite) -> ElementDependence {
        let axis = dimension
        var starts: [Int] = []
        var running = 0
        for operand in site.operands {
            starts.append(running)
            running += operand.dimensions[axis]
        }
        return .moves { index in
            var k = starts.count - 1
            while k > 0 && starts[k] > index[axis] { k -= 1 }
            var source = index
            source[axis] -= starts[k]
            return (k, source)
        }
    }
}
