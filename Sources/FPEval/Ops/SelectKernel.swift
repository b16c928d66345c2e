import FPGraph

/// `select(pred, on_true, on_false)`: elementwise choice, scalar operands broadcast.
struct SelectKernel: NodeKernel {
    func ownsStorage<D: RealDomain>(_ node: NodeContext<D>) -> Bool { true }

    func evaluate<D: RealDomain>(_ node: NodeContext<D>) throws -> Value<D.Buffer> {
        let y = try node.storage()
        let (chooser, onTrue, onFalse) = try node.operandTriple()
        let types = try node.arrayOperandTypes()
        guard types.count == 3 else { throw node.missing() }
        let (runner, domain) = (node.runner, node.domain)
        let count = try node.resultType().elementCount
        let predicate = chooser.integer.values
        let (sp, st, sf) = (
            runner.stride(types[0], count), runner.stride(types[1], count), runner.stride(types[2], count)
        )
        switch y {
        case .real(let out):
            let t = onTrue.real
            let f = onFalse.real
            for i in 0..<count {
                if predicate[i * sp] != 0 {
                    domain.copyElement(from: t, i * st, to: out, i)
                } else {
                    domain.copyElement(from: f, i * sf, to: out, i)
                }
            }
        case .integer(let out):
            let t = onTrue.integer.values
            let f = onFalse.integer.values
            for i in 0..<count { out.values[i] = predicate[i * sp] != 0 ? t[i * st] : f[i * sf] }
        case .tuple:
            throw node.missing()  // select produces an array
        }
        return y
    }
}
