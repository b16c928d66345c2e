/// `call`: the named computation run on the operands; its result type.
struct CallRule: OpRule {
    /// The called computation's name.
    let computation: String

    var name: String { "call" }
    var calledComputations: [String] { [computation] }

    func inferType(_ c: Context) throws -> ValueType {
        let callee = try c.callee(computation)
        if callee.parameters.count != c.operandTypes.count {
            throw GraphError.arity(
                node: c.spec.name, op: "call", expected: "\(callee.parameters.count)",
                got: c.operandTypes.count, location: c.spec.location)
        }
        for (i, p) in callee.parameters.enumerated() where callee.nodes[p].type != c.operandTypes[i] {
            throw c.mismatch(
                "operand \(i) is \(c.operandTypes[i]) but '\(computation)' expects \(callee.nodes[p].type)")
        }
        return callee.resultType
    }

    /// The callee's work (which counts its own writes).
    func work(at site: WorkSite) -> Double { site.work(of: computation) }
    var writesResult: Bool { false }
    var canonicalText: String { "call" }
    /// The callee's depth.
    func reductionDepth(at site: DepthSite) -> Int { site.depth(ofComputation: computation) }
    var roundsInReducer: Bool { true }
    var isLocalErrorSite: Bool { true }
    var valueFlow: ValueFlow { .callee(computation) }
}
