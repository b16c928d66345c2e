/// `reshape`: the operand's elements, row-major, in the declared shape.
struct ReshapeRule: OpRule {
    var name: String { "reshape" }
    var calledComputations: [String] { [] }

    func inferType(_ c: Context) throws -> ValueType {
        try c.arity(1)
        let x = try c.array(0)
        guard let shape = c.spec.shape ?? c.spec.declaredType?.arrayType?.dimensions else {
            throw c.missing("reshape needs the result shape")
        }
        let target = ArrayType(x.dtype, shape)
        if target.elementCount != x.elementCount {
            throw c.mismatch(
                "cannot reshape \(x) (\(x.elementCount) elements) to \(shape) (\(target.elementCount) elements)")
        }
        return .array(target)
    }

    func work(at site: WorkSite) -> Double { 0 }
    var writesResult: Bool { false }
    var canonicalText: String { "reshape" }
    func reductionDepth(at site: DepthSite) -> Int { 0 }
    var roundsInReducer: Bool { false }
    var isLocalErrorSite: Bool { false }
    var valueFlow: ValueFlow { .operandValues }
}

extension ReshapeRule {
    /// Moves values: the result element at row-major position `p` is the operand's at `p`.
    func elementDependence(_ site: SliceSite) -> ElementDependence {
        guard let operand = site.operands.first?.dimensions else { return .whole }
        let strides = site.result.strides
        return .moves { index in
            let position = zip(index, strides).reduce(0) { $0 + $1.0 * $1.1 }
            return (0, ElementDependence.unflatten(position, operand))
        }
    }
}
