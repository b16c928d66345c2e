/// XLA `bitcast-convert`: the operand's bit pattern read as the declared dtype;
/// between widths a narrower result gains a minor dimension and a wider one consumes it.
struct BitcastConvertRule: OpRule {
    var name: String { "bitcast-convert" }
    var calledComputations: [String] { [] }

    func inferType(_ c: Context) throws -> ValueType {
        try c.arity(1)
        let x = try c.array(0)
        guard let dtype = c.spec.dtype ?? c.spec.declaredType?.arrayType?.dtype else {
            throw c.missing("bitcast-convert needs the target dtype")
        }
        // Any two dtypes but pred (not a number type). Between widths, as in XLA, a
        // narrower result gains a minor dimension of size (source width / target
        // width) and a wider one consumes the operand's minor dimension.
        guard dtype == x.dtype || (dtype != .pred && x.dtype != .pred) else {
            throw c.invalid(
                "bitcast-convert from \(x.dtype.rawValue) to \(dtype.rawValue) is not supported (pred has no bit pattern to reinterpret)"
            )
        }
        let (from, to) = (x.dtype.bitWidth, dtype.bitWidth)
        if to < from { return .array(dtype, x.dimensions + [from / to]) }
        if to > from {
            guard x.dimensions.last == to / from else {
                throw c.mismatch(
                    "bitcast-convert from \(x) to \(dtype.rawValue) needs a minor dimension of \(to / from) (\(to) / \(from) bits)"
                )
            }
            return .array(dtype, Array(x.dimensions.dropLast()))
        }
        return .array(dtype, x.dimensions)
    }

    func work(at site: WorkSite) -> Double { site.elements }
    var writesResult: Bool { true }
    var canonicalText: String { "bitcast-convert" }
    func reductionDepth(at site: DepthSite) -> Int { 0 }
    var roundsInReducer: Bool { false }
    /// Reading bits is exact.
    var isLocalErrorSite: Bool { false }
    var valueFlow: ValueFlow { .other }
}

extension BitcastConvertRule {
    /// Elementwise between dtypes of one width; a change of width adds or
    /// removes a dimension, and then the operand is needed whole.
    func elementDependence(_ site: SliceSite) -> ElementDependence {
        site.operands.first?.dimensions == site.result.dimensions ? .elementwise(site) : .whole
    }
}
