import FPGraph

extension ComputationRunner {
    /// Convolution, computed like ``dot(_:_:_:lhsBases:rhsBases:lhsOffsets:rhsOffsets:into:dtype:)``:
    /// each product rounded to the accumulation dtype, then summed from +0 in
    /// the configured order (no fused multiply-add).
    ///
    /// The terms of one output are its window positions in row-major order
    /// (spatial dimension 0 outermost) and, innermost, the kernel's input
    /// features; a term in padding or in a hole of the input dilation is +0,
    /// which changes no sum (sequential order) and keeps the pairwise tree's
    /// shape fixed at `terms` leaves. f16 and bf16 results accumulate in f32
    /// and round once at the end, as `dot` does. Integers wrap in the result dtype.
    func convolve(
        _ node: Int, _ lhs: Value<D.Buffer>, _ rhs: Value<D.Buffer>, lhsPositions: [Int], rhsPositions: [Int],
        terms k: Int, into y: Value<D.Buffer>, outputs: Int, dtype: DType
    ) {
        switch (lhs, rhs, y) {
        case (.real(let a), .real(let b), .real(let out)):
            let accumulation: DType = dtype == .f16 || dtype == .bf16 ? .f32 : dtype
            if k == 0 {
                // An empty sum (a kernel with no input features): +0.
                let zero = scratchBuffer(node, count: 1)
                domain.load([0], into: zero)
                for o in 0..<outputs { domain.copyElement(from: zero, 0, to: out, o) }
                return
            }
            // Scratch layout: [0] = +0, [1 ..< 1+k] = products, then the pairwise tree.
            let treeSize = order == .pairwise && k > 1 ? treeScratchSize(k) : 0
            let buffer = scratchBuffer(node, count: 1 + k)
            domain.load([0], into: buffer)
            let products = Array(1..<(1 + k))
            let tree: D.Buffer? = treeSize > 0 ? scratchBuffer(-node - 1, count: treeSize) : nil
            for o in 0..<outputs {
                let base = o * k
                for j in 0..<k {
                    let (l, r) = (lhsPositions[base + j], rhsPositions[base + j])
                    if l < 0 {
                        domain.copyElement(from: buffer, 0, to: buffer, 1 + j)
                    } else {
                        domain.binaryElement(.multiply, dtype: accumulation, a, l, b, r, into: buffer, 1 + j)
                    }
                }
                accumulate(
                    .add, dtype: accumulation, terms: buffer, base: 0, offsets: products, initial: buffer,
                    tree: tree, into: out, o)
            }
            if accumulation != dtype && domain.roundsConversions {
                domain.convert(out, from: accumulation, to: dtype, into: out, count: outputs)
            }
        case (.integer(let a), .integer(let b), .integer(let out)):
            for o in 0..<outputs {
                var acc: Int64 = 0
                for j in (o * k)..<((o + 1) * k) where lhsPositions[j] >= 0 {
                    let p = IntegerKernels.apply(
                        .multiply, a.values[lhsPositions[j]], b.values[rhsPositions[j]], dtype: dtype)
                    acc = IntegerKernels.apply(.add, acc, p, dtype: dtype)
                }
                out.values[o] = acc
            }
        default:
            preconditionFailure("convolution between different kinds of storage")
        }
    }
}
