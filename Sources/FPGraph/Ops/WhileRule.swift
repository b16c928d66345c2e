/// `while(init)`: repeats `body` while `condition` returns true; the loop state's type.
struct WhileRule: OpRule {
    /// The condition computation's name.
    let condition: String
    /// The body computation's name.
    let body: String

    var name: String { "while" }
    var calledComputations: [String] { [condition, body] }

    func inferType(_ c: Context) throws -> ValueType {
        try c.arity(1)
        let state = c.operandTypes[0]
        let cond = try c.callee(condition)
        let loop = try c.callee(body)
        for (role, callee) in [("condition", cond), ("body", loop)] {
            let params = callee.parameters.map { callee.nodes[$0].type }
            if params != [state] {
                throw c.mismatch(
                    "while \(role) '\(callee.name)' takes \(params.map(\.description)) but the loop state is \(state)"
                )
            }
        }
        if cond.resultType != .array(.pred, []) {
            throw c.mismatch("while condition '\(condition)' returns \(cond.resultType); it must return pred[]")
        }
        if loop.resultType != state {
            throw c.mismatch("while body '\(body)' returns \(loop.resultType) but the loop state is \(state)")
        }
        return state
    }

    /// The condition and the body counted once (the trip count is known only at run time).
    func work(at site: WorkSite) -> Double {
        site.noteLoop()
        return site.work(of: condition) + site.work(of: body)
    }

    var writesResult: Bool { false }
    var canonicalText: String { "while" }
    /// The body's depth, counted once.
    func reductionDepth(at site: DepthSite) -> Int { site.depth(ofComputation: body) }
    var roundsInReducer: Bool { false }
    var isLocalErrorSite: Bool { true }
    var valueFlow: ValueFlow { .other }
}
