import FPGraph

/// `convolution(attributes)`: XLA's convolution (windows, padding,
/// dilations, feature groups), its terms worked out by the plan
/// (``FPGraph/ConvolutionAttributes/terms(lhs:rhs:result:)``) and summed like a dot.
struct ConvolutionKernel: NodeKernel {
    let attributes: ConvolutionAttributes

    func plan(_ node: PlanContext) -> NodePlan {
        guard node.operandTypes.count == 2, let lhs = node.operandTypes[0], let rhs = node.operandTypes[1] else {
            return .none
        }
        return .convolution(attributes.terms(lhs: lhs, rhs: rhs, result: node.result.dimensions))
    }

    func ownsStorage<D: RealDomain>(_ node: NodeContext<D>) -> Bool { true }

    func evaluate<D: RealDomain>(_ node: NodeContext<D>) throws -> Value<D.Buffer> {
        guard case .convolution(let terms) = node.plan else { throw node.missing() }
        let y = try node.storage()
        try convolve(node, try node.operand(0), try node.operand(1), terms, into: y, dtype: try node.resultType().dtype)
        return y
    }

    /// Convolution, computed like ``DotKernel``:
    /// each product rounded to the accumulation dtype, then summed from +0 in
    /// the configured order (no fused multiply-add).
    ///
    /// The terms of one output are its window positions in row-major order
    /// (spatial dimension 0 outermost) and, innermost, the kernel's input
    /// features; a term in padding or in a hole of the input dilation is +0,
    /// which changes no sum (sequential order) and keeps the pairwise tree's
    /// shape fixed at `terms` leaves. f16 and bf16 results accumulate in f32
    /// and round once at the end, as `dot` does. Integers wrap in the result dtype.
    /// - Throws: ``EvaluationError/missingPlan(node:op:)`` when the operands' and result's storage disagree.
    func convolve<D: RealDomain>(
        _ node: NodeContext<D>, _ lhs: Value<D.Buffer>, _ rhs: Value<D.Buffer>, _ terms: ConvolutionTerms,
        into y: Value<D.Buffer>, dtype: DType
    ) throws {
        let (runner, domain, index) = (node.runner, node.domain, node.index)
        let k = terms.count
        let outputs = terms.outputs.count
        switch (lhs, rhs, y) {
        case (.real(let a), .real(let b), .real(let out)):
            let accumulation: DType = dtype == .f16 || dtype == .bf16 ? .f32 : dtype
            // Scratch layout: [0] = +0, [1 ..< 1+k] = products, then the pairwise tree.
            let buffer = runner.scratchBuffer(index, count: 1 + k)
            domain.load([0], into: buffer)
            if k == 0 {
                // An empty sum (a kernel with no input features): +0.
                for o in 0..<outputs { domain.copyElement(from: buffer, 0, to: out, o) }
                return
            }
            let treeSize = runner.order == .pairwise && k > 1 ? runner.treeScratchSize(k) : 0
            let products = Array(1..<(1 + k))
            let tree: D.Buffer? = treeSize > 0 ? runner.scratchBuffer(-index - 1, count: treeSize) : nil
            for o in 0..<outputs {
                terms.forEachTerm(of: o) { t, l, r in
                    if l < 0 {
                        domain.copyElement(from: buffer, 0, to: buffer, 1 + t)
                    } else {
                        domain.binaryElement(.multiply, dtype: accumulation, a, l, b, r, into: buffer, 1 + t)
                    }
                }
                runner.accumulate(
                    .add, dtype: accumulation, terms: buffer, base: 0, offsets: products, initial: buffer,
                    tree: tree, into: out, o)
            }
            if accumulation != dtype && domain.roundsConversions {
                domain.convert(out, from: accumulation, to: dtype, into: out, count: outputs)
            }
        case (.integer(let a), .integer(let b), .integer(let out)):
            for o in 0..<outputs {
                var acc: Int64 = 0
                terms.forEachTerm(of: o) { _, l, r in
                    guard l >= 0 else { return }
                    let p = IntegerKernels.apply(.multiply, a.values[l], b.values[r], dtype: dtype)
                    acc = IntegerKernels.apply(.add, acc, p, dtype: dtype)
                }
                out.values[o] = acc
            }
        default:
            throw node.missing()  // convolution between different kinds of storage
        }
    }
}
