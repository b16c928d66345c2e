import FPGraph

/// Sums and folds in the configured ``ReductionOrder``, shared by the reduce,
/// dot, convolution and batch-norm kernels.
extension ComputationRunner {
    /// Scratch buffer of a node, allocated on its first use.
    func scratchBuffer(_ node: Int, count: Int) -> D.Buffer {
        if let b = scratch[node] { return b }
        let b = domain.makeBuffer(count: count)
        scratch[node] = b
        return b
    }

    /// `y[o] = initial ⊕ terms[base + offsets[0]] ⊕ ...` in the configured order.
    func accumulate(
        _ op: BinaryOp, dtype: DType, terms: D.Buffer, base: Int, offsets: [Int], initial: D.Buffer,
        tree: D.Buffer?, into y: D.Buffer, _ o: Int
    ) {
        if let tree {
            pairwise(
                op, dtype: dtype, terms: terms, base: base, offsets: offsets, lo: 0, hi: offsets.count,
                scratch: tree, slot: 0)
            domain.binaryElement(op, dtype: dtype, initial, 0, tree, 0, into: y, o)
        } else {
            domain.copyElement(from: initial, 0, to: y, o)
            for offset in offsets {
                domain.binaryElement(op, dtype: dtype, y, o, terms, base + offset, into: y, o)
            }
        }
    }

    /// Slots needed by ``pairwise``: the left child of slot s uses s+1, the right s+2.
    func treeScratchSize(_ n: Int) -> Int {
        var depth = 0
        while (1 << depth) < n { depth += 1 }
        return 2 * depth + 2
    }

    /// Balanced tree over terms lo..<hi into `scratch[slot]`.
    private func pairwise(
        _ op: BinaryOp, dtype: DType, terms: D.Buffer, base: Int, offsets: [Int], lo: Int, hi: Int,
        scratch: D.Buffer, slot: Int
    ) {
        if hi - lo == 1 {
            domain.copyElement(from: terms, base + offsets[lo], to: scratch, slot)
            return
        }
        let mid = (lo + hi) / 2
        pairwise(
            op, dtype: dtype, terms: terms, base: base, offsets: offsets, lo: lo, hi: mid, scratch: scratch,
            slot: slot + 1)
        pairwise(
            op, dtype: dtype, terms: terms, base: base, offsets: offsets, lo: mid, hi: hi, scratch: scratch,
            slot: slot + 2)
        domain.binaryElement(op, dtype: dtype, scratch, slot + 1, scratch, slot + 2, into: scratch, slot)
    }
}
