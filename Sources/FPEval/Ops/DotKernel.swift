import FPGraph
import FPNumerics

/// `dot(dimensions)`: XLA's general dot (batch, contracting and free
/// dimensions). The plan gives each output's first lhs and rhs element and
/// the offsets of the contracted terms; products are rounded, then summed
/// like a reduction (``ComputationRunner/accumulate(_:dtype:terms:base:offsets:initial:tree:into:_:)``).
struct DotKernel: NodeKernel {
    let dimensions: DotDimensions

    func plan(_ node: PlanContext) -> NodePlan {
        guard node.operandTypes.count == 2, let lhs = node.operandTypes[0], let rhs = node.operandTypes[1] else {
            return .none
        }
        let d = dimensions
        let out = node.result
        let ls = lhs.strides
        let rs = rhs.strides
        let lhsFree = (0..<lhs.rank).filter { !d.lhsBatch.contains($0) && !d.lhsContracting.contains($0) }
        let rhsFree = (0..<rhs.rank).filter { !d.rhsBatch.contains($0) && !d.rhsContracting.contains($0) }
        var lhsBases: [Int] = []
        var rhsBases: [Int] = []
        lhsBases.reserveCapacity(out.elementCount)
        rhsBases.reserveCapacity(out.elementCount)
        let nb = d.lhsBatch.count
        let nl = lhsFree.count
        forEachIndex(out.dimensions) { index in
            var l = 0
            var r = 0
            for k in 0..<nb {
                l += index[k] * ls[d.lhsBatch[k]]
                r += index[k] * rs[d.rhsBatch[k]]
            }
            for k in 0..<nl { l += index[nb + k] * ls[lhsFree[k]] }
            for k in 0..<rhsFree.count { r += index[nb + nl + k] * rs[rhsFree[k]] }
            lhsBases.append(l)
            rhsBases.append(r)
        }
        let contracted = d.lhsContracting.map { lhs.dimensions[$0] }
        let lhsOffsets = mapIndices(contracted) { index in
            zip(d.lhsContracting, index).reduce(0) { $0 + $1.1 * ls[$1.0] }
        }
        let rhsOffsets = mapIndices(contracted) { index in
            zip(d.rhsContracting, index).reduce(0) { $0 + $1.1 * rs[$1.0] }
        }
        return .dot(
            lhsBases: lhsBases, rhsBases: rhsBases, lhsOffsets: lhsOffsets, rhsOffsets: rhsOffsets,
            packing: [
                DotPacking(bases: lhsBases, offsets: lhsOffsets), DotPacking(bases: rhsBases, offsets: rhsOffsets),
            ])
    }

    func ownsStorage<D: RealDomain>(_ node: NodeContext<D>) -> Bool { true }

    func evaluate<D: RealDomain>(_ node: NodeContext<D>) throws -> Value<D.Buffer> {
        guard case .dot(var lb, var rb, var lo, var ro, let packing) = node.plan else { throw node.missing() }
        let y = try node.storage()
        var operands = [try node.operand(0), try node.operand(1)]
        for side in 0..<2 {
            guard let p = packing[side], case .real(let source) = operands[side] else { continue }
            // Made for this evaluation only: a packed weight matrix is as big as the matrix.
            let packed = node.domain.makeBuffer(count: p.sources.count)
            for (i, e) in p.sources.enumerated() { node.domain.copyElement(from: source, e, to: packed, i) }
            operands[side] = .real(packed)
            let contiguous = Array(0..<(side == 0 ? lo.count : ro.count))
            if side == 0 { (lb, lo) = (p.bases, contiguous) } else { (rb, ro) = (p.bases, contiguous) }
        }
        try dot(
            node, operands[0], operands[1], lhsBases: lb, rhsBases: rb, lhsOffsets: lo, rhsOffsets: ro, into: y,
            dtype: try node.resultType().dtype)
        return y
    }

    /// General dot: each product rounded to the result dtype, then summed like a
    /// reduction starting from +0 (no fused multiply-add).
    /// - Throws: ``EvaluationError/missingPlan(node:op:)`` when the operands' and result's storage disagree.
    func dot<D: RealDomain>(
        _ node: NodeContext<D>, _ lhs: Value<D.Buffer>, _ rhs: Value<D.Buffer>, lhsBases: [Int], rhsBases: [Int],
        lhsOffsets: [Int], rhsOffsets: [Int], into y: Value<D.Buffer>, dtype: DType
    ) throws {
        let (runner, domain, index) = (node.runner, node.domain, node.index)
        let k = lhsOffsets.count
        switch (lhs, rhs, y) {
        case (.real(let a), .real(let b), .real(let out)):
            // f16 and bf16 dots accumulate in f32 and round once at the end, as
            // XLA's backends do (bf16 normalisation on CPU, f32 accumulators on GPU/TPU);
            // 8-bit float dots too, with the f32 result rounded to f16 and then to
            // the 8-bit type (XLA CPU's float normalization).
            let accumulation: DType = dtype == .f16 || dtype == .bf16 || dtype.isFloat8 ? .f32 : dtype
            let fast =
                runner.order == .sequential
                && domain.sequentialDots(
                    a, b, lhsBases: lhsBases, rhsBases: rhsBases, lhsOffsets: lhsOffsets, rhsOffsets: rhsOffsets,
                    dtype: accumulation, into: out)
            if !fast {
                // Scratch layout: [0] = +0, [1 ..< 1+k] = products, then the pairwise tree.
                let treeSize = runner.order == .pairwise && k > 1 ? runner.treeScratchSize(k) : 0
                let buffer = runner.scratchBuffer(index, count: 1 + k + treeSize)
                domain.load([0], into: buffer)
                let products = Array(1..<(1 + k))
                let tree: D.Buffer? = treeSize > 0 ? runner.scratchBuffer(-index - 1, count: treeSize) : nil
                for o in lhsBases.indices {
                    let (lb, rb) = (lhsBases[o], rhsBases[o])
                    for j in 0..<k {
                        domain.binaryElement(
                            .multiply, dtype: accumulation, a, lb + lhsOffsets[j], b, rb + rhsOffsets[j],
                            into: buffer, 1 + j)
                    }
                    runner.accumulate(
                        .add, dtype: accumulation, terms: buffer, base: 0, offsets: products, initial: buffer,
                        tree: tree, into: out, o)
                }
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
            throw node.missing()  // dot between different kinds of storage
        }
    }
}

// MARK: - IEEE semantics

extension IEEEDomain {
    /// The sequential dot products in binary64 or binary32 (the accumulation
    /// types of every float dot), in one pass without scratch buffers: each
    /// product rounded to the type, then added to the running sum from +0 in
    /// the type, which are the steps' roundings. Swift never contracts
    /// `a * b + c` into a fused multiply-add, so both roundings happen.
    /// With subnormals flushed, the steps are taken.
    public func sequentialDots(
        _ a: IEEEBuffer, _ b: IEEEBuffer, lhsBases: [Int], rhsBases: [Int], lhsOffsets: [Int],
        rhsOffsets: [Int], dtype: DType, into y: IEEEBuffer
    ) -> Bool {
        guard !flushesSubnormals else { return false }
        let (x, z, out) = (a.values, b.values, y.values)
        let tiles = DotTiles(lhsBases: lhsBases, terms: lhsOffsets.count, bytesPerTerm: MemoryLayout<Double>.stride)
        switch computeFormat(dtype) {
        case .f64:
            tiles.visit { o in
                let (lb, rb) = (lhsBases[o], rhsBases[o])
                var sum = 0.0
                for j in lhsOffsets.indices {
                    let product = x[lb &+ lhsOffsets[j]] * z[rb &+ rhsOffsets[j]]
                    sum = sum + product
                }
                out[o] = sum
            }
        case .f32:
            tiles.visit { o in
                let (lb, rb) = (lhsBases[o], rhsBases[o])
                var sum: Float = 0
                for j in lhsOffsets.indices {
                    let product = Float(x[lb &+ lhsOffsets[j]]) * Float(z[rb &+ rhsOffsets[j]])
                    sum = sum + product
                }
                out[o] = Double(sum)
            }
        default:
            return false
        }
        return true
    }
}

// MARK: - Interval semantics

extension IntervalDomain {
    /// The sequential dot products in one pass: each product's bounds (two
    /// outward-rounded products when one factor is a number, as
    /// ``binaryElement(_:dtype:_:_:_:_:into:_:)`` takes them) added outward to
    /// running bounds from +0, the same steps the generic path takes without
    /// its scratch buffers, so the bounds are the same. A NaN from a sum of
    /// wider intervals records ``undecided``, as the step would.
    /// Each product's bounds are inlined (``productBounds(_:_:_:_:)``, the
    /// step's own rule); only a NaN product goes through the step, which
    /// judges whether it is exact. `dtype` is not used: the truth is the real dot.
    public func sequentialDots(
        _ a: IntervalBuffer, _ b: IntervalBuffer, lhsBases: [Int], rhsBases: [Int], lhsOffsets: [Int],
        rhsOffsets: [Int], dtype: DType, into y: IntervalBuffer
    ) -> Bool {
        let scratch = IntervalBuffer(count: 1)
        let tiles = DotTiles(lhsBases: lhsBases, terms: lhsOffsets.count, bytesPerTerm: 2 * MemoryLayout<Double>.stride)
        tiles.visit { o in
            var (lo, hi) = (0.0, 0.0)
            let (lb, rb) = (lhsBases[o], rhsBases[o])
            for j in lhsOffsets.indices {
                let (ai, bi) = (lb &+ lhsOffsets[j], rb &+ rhsOffsets[j])
                var (pl, ph) = Self.productBounds(a.lo[ai], a.hi[ai], b.lo[bi], b.hi[bi])
                if pl.isNaN || ph.isNaN {
                    // The step judges (and records) whether its NaN is exact.
                    binaryElement(.multiply, dtype: .f64, a, ai, b, bi, into: scratch, 0)
                    (pl, ph) = (scratch.lo[0], scratch.hi[0])
                }
                if pl.isNaN || lo.isNaN {
                    // A NaN operand of the sum: the multiply recorded whether it decided.
                    (lo, hi) = (.nan, .nan)
                    continue
                }
                let (l, h) = (DirectedRounding.addDown(lo, pl), DirectedRounding.addUp(hi, ph))
                if l.isNaN || h.isNaN {
                    // ∞ − ∞: exact only between points.
                    if !(lo == hi && pl == ph) { giveUp() }
                    (lo, hi) = (.nan, .nan)
                } else {
                    (lo, hi) = (l, h)
                }
            }
            y.set(o, lo, hi)
        }
        return true
    }
}

// MARK: - Ball semantics

extension BallDomain {
    /// The sequential dot products in one pass, for `k < 2^28` terms:
    /// - while every term is a product of two binary64 points (exact by
    ///   TwoProduct) and their double-double sum stays exact
    ///   (``FPNumerics/DoubleDouble/exactnessCheckedSum(_:_:)``), the dot is
    ///   exact, so a dot of binary32 inputs is usually a point;
    /// - after that, the sum is compensated (Ogita, Rump and Oishi's Dot2
    ///   kept as a double-double): each product's leading part is added by
    ///   TwoSum and the errors and trailing parts collect in a second double,
    ///   whose own roundings are bounded by 2^-53 of each of its values;
    /// - a product of a double-double and a binary64 point is exact but for
    ///   one fused multiply-add (2^-100 of it, generously), a product of two
    ///   double-doubles within ``FPNumerics/DoubleDouble/relativeErrorBound``;
    /// - the radii `|a|·rb + ra·|b| + ra·rb` add up alongside.
    /// The bounds, summed to nearest, are enlarged once at the end for their
    /// own roundings (below `k·2^-53` relative). An output with a NaN or
    /// infinite term is computed by the element steps instead.
    /// `dtype` is not used: the truth is the real dot.
    public func sequentialDots(
        _ a: BallBuffer, _ b: BallBuffer, lhsBases: [Int], rhsBases: [Int], lhsOffsets: [Int],
        rhsOffsets: [Int], dtype: DType, into y: BallBuffer
    ) -> Bool {
        guard lhsOffsets.count < 1 << 28 else { return false }
        DotTiles(lhsBases: lhsBases, terms: lhsOffsets.count, bytesPerTerm: MemoryLayout<BallElement>.stride).visit {
            o in
            ballDot(a, b, lb: lhsBases[o], rb: rhsBases[o], lhsOffsets: lhsOffsets, rhsOffsets: rhsOffsets, into: y, o)
        }
        // Each output's origin, in output order: the same origins whatever the order of the work.
        for o in lhsBases.indices { y.origin[o] = newOrigin() }
        return true
    }

    /// Output `o` of ``sequentialDots(_:_:lhsBases:rhsBases:lhsOffsets:rhsOffsets:dtype:into:)``,
    /// with no origin yet.
    @inline(__always)
    private func ballDot(
        _ a: BallBuffer, _ b: BallBuffer, lb: Int, rb: Int, lhsOffsets: [Int], rhsOffsets: [Int],
        into y: BallBuffer, _ o: Int
    ) {
        // The elements themselves: each field at a fixed offset, in one load.
        let (elementsA, elementsB) = (a.elements, b.elements)
        var exactSum = DoubleDouble(0)
        var exact = true  // exactSum is the exact sum so far; after that, s + c is
        var (s, c) = (0.0, 0.0)
        var (radii, productErrors, compensationErrors, steps) = (0.0, 0.0, 0.0, 0.0)
        var special = false
        for j in lhsOffsets.indices {
            let (ai, bi) = (lb &+ lhsOffsets[j], rb &+ rhsOffsets[j])
            let (ah, bh) = (elementsA[ai].hi, elementsB[bi].hi)
            guard ah.isFinite && bh.isFinite else {
                special = true
                break
            }
            let (ra, rbb, al, bl) = (elementsA[ai].radius, elementsB[bi].radius, elementsA[ai].lo, elementsB[bi].lo)
            var p = DoubleDouble.twoProduct(ah, bh)
            var exactProduct = false
            if ra == 0 && rbb == 0 && al == 0 && bl == 0 {
                exactProduct = Swift.abs(p.hi) >= 0x1p-969 || ah == 0 || bh == 0
                if !exactProduct { steps += 1 }
            } else {
                if bl == 0 {
                    p.lo = p.lo.addingProduct(al, bh)
                } else if al == 0 {
                    p.lo = p.lo.addingProduct(ah, bl)
                } else {
                    p = DoubleDouble(ah, al) * DoubleDouble(bh, bl)
                }
                radii += Swift.abs(ah) * rbb + ra * Swift.abs(bh) + ra * rbb
                productErrors += Swift.abs(p.hi)
                steps += 1
            }
            if exact {
                if exactProduct {
                    if p.hi == 0 && exactSum.hi == 0 {
                        exactSum = DoubleDouble(exactSum.hi + p.hi)  // +0 + ±0 = +0, as the steps round
                        continue
                    }
                    let (sum, sumExact) = DoubleDouble.exactnessCheckedSum(exactSum, p)
                    if sumExact {
                        exactSum = sum
                        continue
                    }
                }
                exact = false
                (s, c) = (exactSum.hi, exactSum.lo)
            }
            let t = DoubleDouble.twoSum(s, p.hi)
            s = t.hi
            let c1 = c + t.lo
            c = c1 + p.lo
            compensationErrors += Swift.abs(c1) + Swift.abs(c)
        }
        let sum = exact ? exactSum : DoubleDouble.twoSum(s, c)
        let r =
            exact && steps == 0
            ? 0
            : (radii + DoubleDouble.relativeErrorBound * productErrors + 0x1p-53 * compensationErrors)
                * (1 + 0x1p-20) + steps * DoubleDouble.underflowErrorBound
        if special || !sum.hi.isFinite || !r.isFinite {
            elementSteps(a, b, lb: lb, rb: rb, lhsOffsets: lhsOffsets, rhsOffsets: rhsOffsets, into: y, o)
        } else {
            y.set(o, sum, r, origin: 0)
        }
    }

    /// One dot product by the element steps (a NaN or infinite term, or an overflow).
    private func elementSteps(
        _ a: BallBuffer, _ b: BallBuffer, lb: Int, rb: Int, lhsOffsets: [Int], rhsOffsets: [Int],
        into y: BallBuffer, _ o: Int
    ) {
        let t = BallBuffer(count: 2)
        t.set(0, DoubleDouble(0), 0, origin: 0)
        for j in lhsOffsets.indices {
            let p = binaryBall(.multiply, a, lb &+ lhsOffsets[j], b, rb &+ rhsOffsets[j])
            t.set(1, p.center, p.radius, origin: 0)
            let s = binaryBall(.add, t, 0, t, 1)
            t.set(0, s.center, s.radius, origin: 0)
        }
        y.set(o, t.center(0), t.radius[0], origin: 0)
    }
}

/// The order a dot's outputs are computed in, so that the terms they read
/// come from cache: a row-major result lays its outputs out in rows that
/// share the left operand's terms, and the rows of a tile are taken column by
/// column, so a column's terms (the right operand's) are read from memory once
/// per tile instead of once per row. Every output is computed on its own, so
/// any order gives the same values; this one only reads less memory.
struct DotTiles {
    /// The outputs.
    let count: Int
    /// Outputs per row: the run of leading outputs with the first one's left terms (1: no rows seen).
    let rowLength: Int
    /// Rows per tile: as many as keep a tile's left terms within about 256 KB.
    let rowsPerTile: Int

    init(lhsBases: [Int], terms: Int, bytesPerTerm: Int) {
        count = lhsBases.count
        var n = 1
        while n < count && lhsBases[n] == lhsBases[0] { n += 1 }
        rowLength = n
        rowsPerTile = Swift.max(1, Swift.min(64, (256 << 10) / Swift.max(1, terms * bytesPerTerm)))
    }

    /// Calls `body` once with each output, `0..<count`, tile by tile.
    @inline(__always)
    func visit(_ body: (Int) -> Void) {
        let n = rowLength
        guard n > 1 && rowsPerTile > 1 else {
            for o in 0..<count { body(o) }
            return
        }
        let rows = count / n
        var row = 0
        while row < rows {
            let end = Swift.min(rows, row + rowsPerTile)
            for column in 0..<n {
                for r in row..<end { body(r &* n &+ column) }
            }
            row = end
        }
        for o in (rows * n)..<count { body(o) }
    }
}
