/// `pad(operand, padding_value)`: edge (negative crops) and interior padding per dimension.
struct PadRule: OpRule {
    /// The padding.
    let config: PaddingConfig

    var name: String { "pad" }
    var calledComputations: [String] { [] }

    func inferType(_ c: Context) throws -> ValueType {
        let p = config
        try c.arity(2)
        let x = try c.array(0)
        let value = try c.array(1)
        guard value.rank == 0, value.dtype == x.dtype else {
            throw c.mismatch("the padding value must be a \(x.dtype.rawValue) scalar, got \(value)")
        }
        guard p.low.count == x.rank, p.high.count == x.rank, p.interior.count == x.rank else {
            throw c.invalid("padding needs low, high and interior for each of the \(x.rank) dimensions")
        }
        var out: [Int] = []
        for axis in 0..<x.rank {
            let d = x.dimensions[axis]
            guard p.interior[axis] >= 0 else { throw c.invalid("interior padding must be >= 0") }
            let what = "padding dimension \(axis)"
            let size = try c.sum(what, p.low[axis], p.high[axis], d, c.product(what, max(d - 1, 0), p.interior[axis]))
            guard size >= 0 else { throw c.invalid("padding makes dimension \(axis) negative (\(size))") }
            out.append(size)
        }
        return .array(x.dtype, out)
    }

    func work(at site: WorkSite) -> Double { site.elements }
    var writesResult: Bool { true }
    var canonicalText: String { "pad \(config.low) \(config.high) \(config.interior)" }
    func reductionDepth(at site: DepthSite) -> Int { 0 }
    var roundsInReducer: Bool { false }
    var isLocalErrorSite: Bool { false }
    var valueFlow: ValueFlow { .other }
}

extension PadRule {
    /// Moves values: an index that lands on an operand element reads it, any
    /// other reads the padding value (operand 1).
    func elementDependence(_ site: SliceSite) -> ElementDependence {
        guard let operand = site.operands.first?.dimensions else { return .whole }
        let config = self.config
        return .moves { index in
            var source = index
            for d in index.indices {
                let offset = index[d] - config.low[d]
                let step = config.interior[d] + 1
                guard offset >= 0, offset % step == 0, offset / step < operand[d] else { return (1, []) }
                source[d] = offset / step
            }
            return (0, source)
        }
    }
}
