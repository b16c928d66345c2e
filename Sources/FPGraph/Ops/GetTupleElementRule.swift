/// `get-tuple-element`: element `index` of a tuple operand.
struct GetTupleElementRule: OpRule {
    /// The element's position.
    let index: Int

    var name: String { "get-tuple-element" }
    var calledComputations: [String] { [] }

    func inferType(_ c: Context) throws -> ValueType {
        try c.arity(1)
        guard let elements = c.operandTypes[0].tupleElements else {
            throw c.mismatch("get-tuple-element needs a tuple operand, got \(c.operandTypes[0])")
        }
        guard elements.indices.contains(index) else {
            throw c.invalid("tuple index \(index) is out of range for \(c.operandTypes[0])")
        }
        return elements[index]
    }

    func work(at site: WorkSite) -> Double { 0 }
    var writesResult: Bool { false }
    var canonicalText: String { "get-tuple-element \(index)" }
    func reductionDepth(at site: DepthSite) -> Int { 0 }
    var roundsInReducer: Bool { false }
    var isLocalErrorSite: Bool { false }
    var valueFlow: ValueFlow { .other }
}
