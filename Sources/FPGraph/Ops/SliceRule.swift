/// `slice`: `start ..< limit` by `stride` in every dimension.
struct SliceRule: OpRule {
    /// The bounds.
    let bounds: SliceBounds

    var name: String { "slice" }
    var calledComputations: [String] { [] }

    func inferType(_ c: Context) throws -> ValueType {
        let b = bounds
        try c.arity(1)
        let x = try c.array(0)
        guard b.starts.count == x.rank, b.limits.count == x.rank, b.strides.count == x.rank else {
            throw c.invalid("slice needs start, limit and stride for each of the \(x.rank) dimensions")
        }
        var out: [Int] = []
        for axis in 0..<x.rank {
            let (s, l, st) = (b.starts[axis], b.limits[axis], b.strides[axis])
            guard st >= 1, s >= 0, s <= l, l <= x.dimensions[axis] else {
                throw c.invalid(
                    "slice [\(s):\(l):\(st)] is out of range for dimension \(axis) of size \(x.dimensions[axis])")
            }
            out.append((l - s) / st + ((l - s) % st == 0 ? 0 : 1))
        }
        return .array(x.dtype, out)
    }

    func work(at site: WorkSite) -> Double { site.elements }
    var writesResult: Bool { true }
    var canonicalText: String { "slice \(bounds.starts) \(bounds.limits) \(bounds.strides)" }
    func reductionDepth(at site: DepthSite) -> Int { 0 }
    var roundsInReducer: Bool { false }
    var isLocalErrorSite: Bool { false }
    var valueFlow: ValueFlow { .operandValues }
}

extension SliceRule {
    /// Moves values: result index `i` reads operand index `start + i × stride`.
    func elementDependence(_ site: SliceSite) -> ElementDependence {
        let bounds = self.bounds
        return .moves { index in (0, index.indices.map { bounds.starts[$0] + index[$0] * bounds.strides[$0] }) }
    }
}
