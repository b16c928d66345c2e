import FPGraph
import FPNumerics

/// XLA's `batch-norm-inference`, `batch-norm-training` and `batch-norm-grad`
/// (``FPGraph/BatchNormConfig``), each step one rounded op of the operand's dtype.
struct BatchNormKernel: NodeKernel {
    let config: BatchNormConfig

    func ownsStorage<D: RealDomain>(_ node: NodeContext<D>) -> Bool { true }

    /// XLA's batch-norm ops as XLA CPU computes them after `BatchNormExpander`
    /// (the formulas are on ``FPGraph/BatchNormConfig``): every step is one
    /// rounded op of the operand's dtype, the per-feature sums use this
    /// evaluation's reduction order (row-major over the non-feature
    /// dimensions, from +0), N is the element count per feature converted to
    /// the dtype, and epsilon is the f32 attribute rounded to the dtype.
    func evaluate<D: RealDomain>(_ node: NodeContext<D>) throws -> Value<D.Buffer> {
        let storage = try node.storage()
        let operands = try node.operands()
        guard let type = node.operandTypes().first ?? nil, type.dimensions.indices.contains(config.featureIndex),
            operands.count == config.kind.operandCount
        else { throw node.missing() }
        let (runner, domain) = (node.runner, node.domain)
        let order = runner.order
        let dtype = type.dtype
        let f = config.featureIndex
        let features = type.dimensions[f]
        let featureStride = type.strides[f]
        let others = type.dimensions.indices.filter { $0 != f }
        let strides = type.strides
        let offsets = mapIndices(others.map { type.dimensions[$0] }) { index in
            zip(others, index).reduce(0) { $0 + $1.1 * strides[$1.0] }
        }
        let count = type.elementCount
        let featureOf = { (e: Int) in (e / featureStride) % features }

        // Constants: [0] = +0, [1] = N, [2] = epsilon, all in the dtype.
        let constants = domain.makeBuffer(count: 3)
        domain.loadIntegers([0, Int64(offsets.count)], dtype: dtype, into: constants)
        let epsilon = domain.makeBuffer(count: 1)
        domain.load([FloatFormat(dtype: dtype).round(Double(config.epsilon))], into: epsilon)
        domain.copyElement(from: epsilon, 0, to: constants, 2)
        let tree =
            order == .pairwise && offsets.count > 1
            ? domain.makeBuffer(count: runner.treeScratchSize(offsets.count)) : nil
        let sum = { (terms: D.Buffer, into: D.Buffer) in
            for k in 0..<features {
                runner.accumulate(
                    .add, dtype: dtype, terms: terms, base: k * featureStride, offsets: offsets, initial: constants,
                    tree: tree, into: into, k)
            }
        }
        let op = { (op: BinaryOp, a: D.Buffer, ai: Int, b: D.Buffer, bi: Int, y: D.Buffer, yi: Int) in
            domain.binaryElement(op, dtype: dtype, a, ai, b, bi, into: y, yi)
        }
        /// rsqrt(variance + epsilon) per feature, and variance + epsilon in `shifted`.
        let rsqrtOfShifted = { (variance: D.Buffer, shifted: D.Buffer, root: D.Buffer) in
            for k in 0..<features { op(.add, variance, k, constants, 2, shifted, k) }
            domain.unary(.rsqrt, dtype: dtype, shifted, xStride: 1, into: root, count: features)
        }
        let x = operands[0].real
        switch config.kind {
        case .inference:
            let (scale, offset, mean, variance) = (
                operands[1].real, operands[2].real, operands[3].real, operands[4].real
            )
            let (shifted, root) = (domain.makeBuffer(count: features), domain.makeBuffer(count: features))
            rsqrtOfShifted(variance, shifted, root)
            let (trueScale, trueShift) = (domain.makeBuffer(count: features), domain.makeBuffer(count: features))
            for k in 0..<features {
                op(.multiply, scale, k, root, k, trueScale, k)
                op(.multiply, mean, k, trueScale, k, trueShift, k)
                op(.subtract, offset, k, trueShift, k, trueShift, k)
            }
            let y = storage.real
            for e in 0..<count {
                op(.multiply, x, e, trueScale, featureOf(e), y, e)
                op(.add, y, e, trueShift, featureOf(e), y, e)
            }
        case .training:
            let (scale, offset) = (operands[1].real, operands[2].real)
            let (y, mean, variance) = (storage.elements[0].real, storage.elements[1].real, storage.elements[2].real)
            let squares = domain.makeBuffer(count: count)
            for e in 0..<count { op(.multiply, x, e, x, e, squares, e) }
            let squareMean = domain.makeBuffer(count: features)
            sum(x, mean)
            sum(squares, squareMean)
            for k in 0..<features {
                op(.divide, mean, k, constants, 1, mean, k)
                op(.divide, squareMean, k, constants, 1, squareMean, k)
                op(.multiply, mean, k, mean, k, variance, k)
                op(.subtract, squareMean, k, variance, k, variance, k)
            }
            let (shifted, root) = (domain.makeBuffer(count: features), domain.makeBuffer(count: features))
            rsqrtOfShifted(variance, shifted, root)
            for e in 0..<count {
                let k = featureOf(e)
                op(.subtract, x, e, mean, k, y, e)
                op(.multiply, y, e, root, k, y, e)
                op(.multiply, y, e, scale, k, y, e)
                op(.add, y, e, offset, k, y, e)
            }
        case .grad:
            let (scale, mean, variance, gradOutput) = (
                operands[1].real, operands[2].real, operands[3].real, operands[4].real
            )
            let (gx, gs, gb) = (storage.elements[0].real, storage.elements[1].real, storage.elements[2].real)
            let (shifted, root) = (domain.makeBuffer(count: features), domain.makeBuffer(count: features))
            rsqrtOfShifted(variance, shifted, root)
            let (centered, products) = (domain.makeBuffer(count: count), domain.makeBuffer(count: count))
            for e in 0..<count {
                op(.subtract, x, e, mean, featureOf(e), centered, e)
                op(.multiply, gradOutput, e, centered, e, products, e)
            }
            let productSum = domain.makeBuffer(count: features)
            sum(products, productSum)
            sum(gradOutput, gb)
            let factor = domain.makeBuffer(count: features)
            for k in 0..<features {
                op(.multiply, productSum, k, root, k, gs, k)
                op(.multiply, scale, k, root, k, factor, k)
                op(.divide, factor, k, constants, 1, factor, k)
            }
            let term = domain.makeBuffer(count: 1)
            for e in 0..<count {
                let k = featureOf(e)
                // i5 = productSum * centered / (variance + epsilon), into term.
                op(.multiply, productSum, k, centered, e, term, 0)
                op(.divide, term, 0, shifted, k, term, 0)
                // (gy * N - gb) - i5, times the factor.
                op(.multiply, gradOutput, e, constants, 1, gx, e)
                op(.subtract, gx, e, gb, k, gx, e)
                op(.subtract, gx, e, term, 0, gx, e)
                op(.multiply, factor, k, gx, e, gx, e)
            }
        }
        return storage
    }
}
