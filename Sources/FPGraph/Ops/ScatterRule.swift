/// `scatter(operands..., indices, updates...)`: N operands of one shape,
/// integer indices, N updates of one shape; the combiner takes N current
/// values then N update values (scalars) and returns N values.
struct ScatterRule: OpRule {
    /// The dimension numbers.
    let dimensions: ScatterDimensions
    /// The combiner computation's name.
    let combiner: String

    var name: String { "scatter" }
    var calledComputations: [String] { [combiner] }

    func inferType(_ c: Context) throws -> ValueType {
        let count = c.operandTypes.count
        guard count >= 3, count % 2 == 1 else {
            throw GraphError.arity(
                node: c.spec.name, op: c.op, expected: "an odd number (operands, indices, updates)", got: count,
                location: c.spec.location)
        }
        let n = count / 2
        let operands = try (0..<n).map { try c.array($0) }
        let indices = try c.array(n)
        let updates = try ((n + 1)..<count).map { try c.array($0) }
        for (i, a) in operands.enumerated() where a.dimensions != operands[0].dimensions {
            throw c.mismatch("scatter operand \(i) is \(a) but operand 0 is \(operands[0])")
        }
        for (i, u) in updates.enumerated() where u.dimensions != updates[0].dimensions || u.dtype != operands[i].dtype {
            throw c.mismatch("scatter update \(i) is \(u); updates must share one shape and have their operand's dtype")
        }
        if let problem = dimensions.check(operand: operands[0], indices: indices, updates: updates[0]) {
            throw c.invalid(problem.message)
        }
        let combiner = try c.callee(self.combiner)
        let scalars = operands.map { ValueType.array($0.dtype, []) }
        let actual = combiner.parameters.map { combiner.nodes[$0].type }
        if actual != scalars + scalars {
            throw c.mismatch(
                "combiner '\(self.combiner)' takes \(actual.map(\.description)) but this scatter needs \((scalars + scalars).map(\.description))"
            )
        }
        let expectedResult: ValueType = n == 1 ? scalars[0] : .tuple(scalars)
        if combiner.resultType != expectedResult {
            throw c.mismatch(
                "combiner '\(self.combiner)' returns \(combiner.resultType) but this scatter needs \(expectedResult)")
        }
        let results = operands.map { ValueType.array($0) }
        return n == 1 ? results[0] : .tuple(results)
    }

    /// The operands are copied, then every update element is combined once.
    func work(at site: WorkSite) -> Double {
        site.elements + site.operandElements(site.node.operands.count - 1) * site.called(combiner)
    }

    var writesResult: Bool { true }

    var canonicalText: String {
        let s = dimensions
        return
            "scatter \(s.updateWindowDims) \(s.insertedWindowDims) \(s.scatterDimsToOperandDims) \(s.indexVectorDim) \(s.inputBatchingDims) \(s.scatterIndicesBatchingDims)"
    }

    /// Every update may land on one element: at most (scatter positions − 1)
    /// combinations deep, when the combiner rounds.
    func reductionDepth(at site: DepthSite) -> Int {
        let (node, computation) = (site.node, site.computation)
        guard site.roundsWhenCombining(combiner), node.operands.count >= 3,
            let updates = computation.nodes[node.operands[node.operands.count - 1]].type.arrayType
        else { return 0 }
        let positions = (0..<updates.rank).filter { !dimensions.updateWindowDims.contains($0) }
            .reduce(1) { saturatingMultiply($0, updates.dimensions[$1]) }
        return max(0, positions - 1)
    }

    var roundsInReducer: Bool { true }
    var isLocalErrorSite: Bool { true }
    var valueFlow: ValueFlow { .other }

    /// The scatter indices (operand N) can take the sizes of the operand dimensions they start, the smallest.
    func startIndexBounds(operandTypes: [ValueType]) -> [StartIndexBound] {
        let n = operandTypes.count / 2
        guard operandTypes.count >= 3, let type = operandTypes[0].arrayType else { return [] }
        let limits = dimensions.scatterDimsToOperandDims.compactMap { k in
            type.dimensions.indices.contains(k) ? type.dimensions[k] : nil
        }
        guard let m = limits.min() else { return [] }
        return [StartIndexBound(operand: n, count: m, reason: "the scatter indices into \(type)")]
    }
}
