/// `tuple`: its operands, as one tuple value.
struct TupleRule: OpRule {
    var name: String { "tuple" }
    var calledComputations: [String] { [] }
    func inferType(_ c: Context) throws -> ValueType { .tuple(c.operandTypes) }
    func work(at site: WorkSite) -> Double { 0 }
    var writesResult: Bool { false }
    var canonicalText: String { "tuple" }
    func reductionDepth(at site: DepthSite) -> Int { 0 }
    var roundsInReducer: Bool { false }
    var isLocalErrorSite: Bool { false }
    var valueFlow: ValueFlow { .other }
}
