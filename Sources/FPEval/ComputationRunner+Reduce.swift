import FPGraph

extension ComputationRunner {
    /// Scratch buffer of a node, allocated on its first use.
    func scratchBuffer(_ node: Int, count: Int) -> D.Buffer {
        if let b = scratch[node] { return b }
        let b = domain.makeBuffer(count: count)
        scratch[node] = b
        return b
    }

    /// A reduce whose reducer is one binary op (sum, product, max, min, ...).
    func reduceSimple(
        _ node: Int, _ op: BinaryOp, _ x: Value<D.Buffer>, _ initial: Value<D.Buffer>,
        bases: [Int], offsets: [Int], into y: Value<D.Buffer>, dtype: DType
    ) {
        switch (x, y) {
        case (.real(let xs), .real(let out)):
            let tree =
                order == .pairwise && offsets.count > 1
                ? scratchBuffer(node, count: treeScratchSize(offsets.count)) : nil
            // 8-bit floats: each step computes in f16 and rounds to the 8-bit type, as
            // XLA CPU's float normalization rewrites the reducer (f16 op, convert to f8 and back).
            for (o, base) in bases.enumerated() {
                accumulate(
                    op, dtype: dtype, terms: xs, base: base, offsets: offsets, initial: initial.real, tree: tree,
                    into: out, o)
            }
        case (.integer(let xs), .integer(let out)):
            let start = initial.integer.values[0]
            for (o, base) in bases.enumerated() {
                var acc = start
                for offset in offsets { acc = IntegerKernels.apply(op, acc, xs.values[base + offset], dtype: dtype) }
                out.values[o] = acc
            }
        default:
            preconditionFailure("reduce between different kinds of storage")
        }
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

    /// General dot: each product rounded to the result dtype, then summed like a
    /// reduction starting from +0 (no fused multiply-add).
    func dot(
        _ node: Int, _ lhs: Value<D.Buffer>, _ rhs: Value<D.Buffer>, lhsBases: [Int], rhsBases: [Int],
        lhsOffsets: [Int], rhsOffsets: [Int], into y: Value<D.Buffer>, dtype: DType
    ) {
        let k = lhsOffsets.count
        switch (lhs, rhs, y) {
        case (.real(let a), .real(let b), .real(let out)):
            // f16 and bf16 dots accumulate in f32 and round once at the end, as
            // XLA's backends do (bf16 normalisation on CPU, f32 accumulators on GPU/TPU);
            // 8-bit float dots too, with the f32 result rounded to f16 and then to
            // the 8-bit type (XLA CPU's float normalization).
            let accumulation: DType = dtype == .f16 || dtype == .bf16 || dtype.isFloat8 ? .f32 : dtype
            // Scratch layout: [0] = +0, [1 ..< 1+k] = products, then the pairwise tree.
            let treeSize = order == .pairwise && k > 1 ? treeScratchSize(k) : 0
            let buffer = scratchBuffer(node, count: 1 + k + treeSize)
            domain.load([0], into: buffer)
            let products = Array(1..<(1 + k))
            let tree: D.Buffer? = treeSize > 0 ? scratchBuffer(-node - 1, count: treeSize) : nil
            for o in lhsBases.indices {
                let (lb, rb) = (lhsBases[o], rhsBases[o])
                for j in 0..<k {
                    domain.binaryElement(
                        .multiply, dtype: accumulation, a, lb + lhsOffsets[j], b, rb + rhsOffsets[j],
                        into: buffer, 1 + j)
                }
                accumulate(
                    .add, dtype: accumulation, terms: buffer, base: 0, offsets: products, initial: buffer,
                    tree: tree, into: out, o)
            }
            if accumulation != dtype && domain.roundsConversions {
                if dtype.isFloat8 {
                    domain.convert(out, from: accumulation, to: .f16, into: out, count: lhsBases.count)
                    domain.convert(out, from: .f16, to: dtype, into: out, count: lhsBases.count)
                } else {
                    domain.convert(out, from: accumulation, to: dtype, into: out, count: lhsBases.count)
                }
            }
        case (.integer(let a), .integer(let b), .integer(let out)):
            for o in lhsBases.indices {
                var acc: Int64 = 0
                for j in 0..<k {
                    let p = IntegerKernels.apply(
                        .multiply, a.values[lhsBases[o] + lhsOffsets[j]],
                        b.values[rhsBases[o] + rhsOffsets[j]], dtype: dtype)
                    acc = IntegerKernels.apply(.add, acc, p, dtype: dtype)
                }
                out.values[o] = acc
            }
        default:
            preconditionFailure("dot between different kinds of storage")
        }
    }

    /// A reduce-window whose reducer is one binary op: the init value, then the
    /// window's input elements in row-major window order; padding positions and
    /// the holes of base dilation are skipped (as XLA CPU does: they do not fold
    /// in the init value again).
    func reduceWindowSimple(
        _ op: BinaryOp, _ x: Value<D.Buffer>, _ initial: Value<D.Buffer>, indices: [Int],
        windowSize: Int, into y: Value<D.Buffer>, dtype: DType
    ) {
        guard windowSize > 0 else { return }
        switch (x, y) {
        case (.real(let xs), .real(let out)):
            let start = initial.real
            for o in 0..<(indices.count / windowSize) {
                domain.copyElement(from: start, 0, to: out, o)
                for k in 0..<windowSize {
                    let index = indices[o * windowSize + k]
                    if index >= 0 { domain.binaryElement(op, dtype: dtype, out, o, xs, index, into: out, o) }
                }
            }
        case (.integer(let xs), .integer(let out)):
            let start = initial.integer.values[0]
            for o in 0..<(indices.count / windowSize) {
                var acc = start
                for k in 0..<windowSize {
                    let index = indices[o * windowSize + k]
                    if index >= 0 { acc = IntegerKernels.apply(op, acc, xs.values[index], dtype: dtype) }
                }
                out.values[o] = acc
            }
        default:
            preconditionFailure("reduce-window between different kinds of storage")
        }
    }

    /// Copies one element between two values of the same kind.
    func copyScalar(from x: Value<D.Buffer>, _ i: Int, to y: Value<D.Buffer>, _ j: Int) {
        switch (x, y) {
        case (.real(let a), .real(let b)): domain.copyElement(from: a, i, to: b, j)
        case (.integer(let a), .integer(let b)): b.values[j] = a.values[i]
        default: preconditionFailure("copy between different kinds of storage")
        }
    }
}

/// A reduce or reduce-window with an arbitrary reducer computation (several
/// inputs, or a body that is more than one op): the reducer runs once per
/// term, sequentially in row-major order. (The pairwise order applies to
/// single-op reducers of `reduce` only.)
final class GeneralReducerState<D: RealDomain> {
    let runner: ComputationRunner<D>
    let inputCount: Int
    private var parameters: [Value<D.Buffer>]
    private var accumulators: [Value<D.Buffer>]

    init(runner: ComputationRunner<D>, inputCount: Int) {
        self.runner = runner
        self.inputCount = inputCount
        let types = runner.computation.parameters.map { runner.computation.nodes[$0].type }
        parameters = types.map(runner.allocate)
        accumulators = types.prefix(inputCount).map(runner.allocate)
    }

    /// Folds output `o` over the input positions `positions(o)`, sequentially,
    /// from the init values; -1 (a padding position of a reduce-window) is skipped.
    func reduce(
        _ operands: [Value<D.Buffer>], outputs count: Int, into storage: Value<D.Buffer>,
        runner outer: ComputationRunner<D>, positions: (Int) -> [Int]
    ) throws {
        let n = inputCount
        let outputs = n == 1 ? [storage] : storage.elements
        for o in 0..<count {
            for j in 0..<n { outer.copyScalar(from: operands[n + j], 0, to: accumulators[j], 0) }
            for position in positions(o) where position >= 0 {
                for j in 0..<n {
                    outer.copyScalar(from: accumulators[j], 0, to: parameters[j], 0)
                    outer.copyScalar(from: operands[j], position, to: parameters[n + j], 0)
                }
                let result = try runner.run(parameters)
                let results = n == 1 ? [result] : result.elements
                for j in 0..<n { outer.copyScalar(from: results[j], 0, to: accumulators[j], 0) }
            }
            for j in 0..<n { outer.copyScalar(from: accumulators[j], 0, to: outputs[j], o) }
        }
    }

    /// Scatter: combines update element u into `outputs[j][targets[u]]` with
    /// the computation, `(current..., update...) -> new...`, in the order of
    /// `targets` (nil: skipped).
    func combine(
        _ updates: [Value<D.Buffer>], targets: [Int?], into outputs: [Value<D.Buffer>],
        runner outer: ComputationRunner<D>
    ) throws {
        let n = inputCount
        for (u, target) in targets.enumerated() {
            guard let t = target else { continue }
            for j in 0..<n {
                outer.copyScalar(from: outputs[j], t, to: parameters[j], 0)
                outer.copyScalar(from: updates[j], u, to: parameters[n + j], 0)
            }
            let result = try runner.run(parameters)
            let results = n == 1 ? [result] : result.elements
            for j in 0..<n { outer.copyScalar(from: results[j], 0, to: outputs[j], t) }
        }
    }
}
