/// `conditional(selector, operands...)`: runs `branches[k]` on operand k + 1;
/// every branch returns one type.
struct ConditionalRule: OpRule {
    /// The branch computations' names.
    let branches: [String]

    var name: String { "conditional" }
    var calledComputations: [String] { branches }

    func inferType(_ c: Context) throws -> ValueType {
        guard c.operandTypes.count == branches.count + 1, let first = branches.first else {
            throw GraphError.arity(
                node: c.spec.name, op: "conditional", expected: "\(branches.count + 1)",
                got: c.operandTypes.count, location: c.spec.location)
        }
        let selector = try c.array(0)
        let validSelector =
            selector.rank == 0 && (selector.dtype == .s32 || (selector.dtype == .pred && branches.count == 2))
        if !validSelector {
            throw c.mismatch("the branch selector must be pred[] (two branches) or s32[], got \(selector)")
        }
        var result = try c.callee(first).resultType
        for (k, name) in branches.enumerated() {
            let branch = try c.callee(name)
            let params = branch.parameters.map { branch.nodes[$0].type }
            if params != [c.operandTypes[k + 1]] {
                throw c.mismatch(
                    "branch '\(name)' takes \(params.map(\.description)) but its operand is \(c.operandTypes[k + 1])"
                )
            }
            if k > 0, result != branch.resultType {
                throw c.mismatch(
                    "branch '\(name)' returns \(branch.resultType) but an earlier branch returns \(result)")
            }
            result = branch.resultType
        }
        return result
    }

    /// The most expensive branch.
    func work(at site: WorkSite) -> Double { branches.map { site.work(of: $0) }.max() ?? 0 }
    var writesResult: Bool { false }
    var canonicalText: String { "conditional \(branches.count)" }
    /// The deepest branch.
    func reductionDepth(at site: DepthSite) -> Int { branches.map { site.depth(ofComputation: $0) }.max() ?? 0 }
    var roundsInReducer: Bool { false }
    var isLocalErrorSite: Bool { true }
    var valueFlow: ValueFlow { .other }
}

extension Operation {
    /// The branch a `conditional` of `branchCount` branches takes on its
    /// selector's value (XLA's rule): a pred selects branch 0 when true and
    /// 1 when false; an s32 index selects that branch, or the last when it is
    /// out of range.
    public static func conditionalBranch(selector: Int64, isPred: Bool, branchCount: Int) -> Int {
        if isPred { return selector != 0 ? 0 : 1 }
        return selector >= 0 && selector < Int64(branchCount) ? Int(selector) : branchCount - 1
    }
}
