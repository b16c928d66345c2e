/// XLA `opt-barrier`: its operand, unchanged.
struct OptimizationBarrierRule: OpRule {
    var name: String { "opt-barrier" }
    var calledComputations: [String] { [] }

    func inferType(_ c: Context) throws -> ValueType {
        try c.arity(1)
        return c.operandTypes[0]
    }

    func work(at site: WorkSite) -> Double { 0 }
    var writesResult: Bool { false }
    var canonicalText: String { "opt-barrier" }
    func reductionDepth(at site: DepthSite) -> Int { 0 }
    var roundsInReducer: Bool { false }
    var isLocalErrorSite: Bool { false }
    var valueFlow: ValueFlow { .other }
}
