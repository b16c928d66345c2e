/// `bitcast`: the operand's physical memory read with the result's layout
/// (same dtype and element count; layouts are minor-to-major dimension orders).
struct BitcastRule: OpRule {
    /// The operand's layout.
    let operandLayout: [Int]
    /// The result's layout.
    let resultLayout: [Int]

    var name: String { "bitcast" }
    var calledComputations: [String] { [] }

    func inferType(_ c: Context) throws -> ValueType {
        let (from, to) = (operandLayout, resultLayout)
        try c.arity(1)
        let x = try c.array(0)
        guard let shape = c.spec.shape ?? c.spec.declaredType?.arrayType?.dimensions else {
            throw c.missing("bitcast needs the result shape")
        }
        let dtype = c.spec.dtype ?? c.spec.declaredType?.arrayType?.dtype ?? x.dtype
        if dtype != x.dtype {
            throw c.mismatch(
                "bitcast keeps the dtype (\(x.dtype.rawValue)); \(dtype.rawValue) would need bitcast-convert")
        }
        if from.sorted() != Array(0..<x.rank) || to.sorted() != Array(0..<shape.count) {
            throw c.invalid(
                "bitcast layouts \(from) and \(to) must be permutations of the operand's and the result's dimensions")
        }
        let target = ArrayType(dtype, shape)
        if target.elementCount != x.elementCount {
            throw c.mismatch(
                "cannot bitcast \(x) (\(x.elementCount) elements) to \(target) (\(target.elementCount) elements)")
        }
        return .array(target)
    }

    func work(at site: WorkSite) -> Double { 0 }
    var writesResult: Bool { false }
    var canonicalText: String { "bitcast \(operandLayout) \(resultLayout)" }
    func reductionDepth(at site: DepthSite) -> Int { 0 }
    var roundsInReducer: Bool { false }
    var isLocalErrorSite: Bool { true }
    var valueFlow: ValueFlow { .operandValues }
}

extension BitcastRule {
    /// Moves values: a result element reads the operand element at the same
    /// physical position (the result under its layout, the operand under its own).
    func elementDependence(_ site: SliceSite) -> ElementDependence {
        guard let x = site.operands.first?.dimensions else { return .whole }
        let out = site.result.dimensions
        let (from, to) = (operandLayout, resultLayout)
        return .moves { index in
            var position = 0
            var scale = 1
            for axis in to {
                position += index[axis] * scale
                scale *= out[axis]
            }
            var source = [Int](repeating: 0, count: x.count)
            for axis in from {
                source[axis] = position % x[axis]
                position /= x[axis]
            }
            return (0, source)
        }
    }
}
