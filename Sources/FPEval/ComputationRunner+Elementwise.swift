import FPGraph

extension ComputationRunner {
    /// Stride of an elementwise operand: 0 for a scalar broadcast over `count` elements.
    @inline(__always)
    func stride(_ type: ArrayType, _ count: Int) -> Int { type.rank == 0 && count != 1 ? 0 : 1 }

    func evaluateUnary(
        _ op: UnaryOp, _ x: Value<D.Buffer>, _ xType: ArrayType, into y: Value<D.Buffer>, _ type: ArrayType
    ) {
        let count = type.elementCount
        switch op {
        case .isFinite:
            let xs = x.real
            let out = y.integer
            for i in 0..<count { out.values[i] = domain.isFinite(xs, i) ? 1 : 0 }
        case _ where xType.dtype.isFloatingPoint:
            domain.unary(op, dtype: type.dtype, x.real, xStride: 1, into: y.real, count: count)
        default:
            IntegerKernels.unary(op, x.integer.values, into: &y.integer.values, dtype: type.dtype)
        }
    }

    func evaluateBinary(
        _ op: BinaryOp, _ operands: [Value<D.Buffer>], _ types: [ArrayType],
        into y: Value<D.Buffer>, _ type: ArrayType
    ) {
        let count = type.elementCount
        let (sa, sb) = (stride(types[0], count), stride(types[1], count))
        if type.dtype.isFloatingPoint {
            domain.binary(
                op, dtype: type.dtype, operands[0].real, aStride: sa, operands[1].real, bStride: sb,
                into: y.real, count: count)
        } else {
            IntegerKernels.binary(
                op, operands[0].integer.values, sa, operands[1].integer.values, sb,
                into: &y.integer.values, count: count, dtype: type.dtype)
        }
    }

    func evaluateCompare(
        _ direction: ComparisonDirection, totalOrder: Bool, _ operands: [Value<D.Buffer>], _ types: [ArrayType],
        into out: IntegerBuffer, count: Int
    ) {
        let (sa, sb) = (stride(types[0], count), stride(types[1], count))
        if types[0].dtype.isFloatingPoint {
            let a = operands[0].real
            let b = operands[1].real
            for i in 0..<count {
                let outcome =
                    totalOrder
                    ? domain.compareTotalOrder(direction, a, i * sa, b, i * sb)
                    : domain.compare(direction, dtype: types[0].dtype, a, i * sa, b, i * sb)
                branches.record(outcome)
                out.values[i] = outcome ? 1 : 0
            }
        } else {
            let a = operands[0].integer.values
            let b = operands[1].integer.values
            for i in 0..<count {
                out.values[i] = IntegerKernels.compare(direction, a[i * sa], b[i * sb], dtype: types[0].dtype) ? 1 : 0
            }
        }
    }

    func evaluateSelect(_ operands: [Value<D.Buffer>], _ types: [ArrayType], into y: Value<D.Buffer>, count: Int) {
        let predicate = operands[0].integer.values
        let (sp, st, sf) = (stride(types[0], count), stride(types[1], count), stride(types[2], count))
        switch y {
        case .real(let out):
            let t = operands[1].real
            let f = operands[2].real
            for i in 0..<count {
                if predicate[i * sp] != 0 {
                    domain.copyElement(from: t, i * st, to: out, i)
                } else {
                    domain.copyElement(from: f, i * sf, to: out, i)
                }
            }
        case .integer(let out):
            let t = operands[1].integer.values
            let f = operands[2].integer.values
            for i in 0..<count { out.values[i] = predicate[i * sp] != 0 ? t[i * st] : f[i * sf] }
        case .tuple:
            preconditionFailure("select produces an array")
        }
    }

    /// `clamp(lo, x, hi) = minimum(maximum(x, lo), hi)`, NaN-propagating.
    func evaluateClamp(_ operands: [Value<D.Buffer>], _ types: [ArrayType], into y: Value<D.Buffer>, _ type: ArrayType)
    {
        let count = type.elementCount
        let (sl, sh) = (stride(types[0], count), stride(types[2], count))
        if type.dtype.isFloatingPoint {
            domain.binary(
                .maximum, dtype: type.dtype, operands[1].real, aStride: 1, operands[0].real, bStride: sl,
                into: y.real, count: count)
            domain.binary(
                .minimum, dtype: type.dtype, y.real, aStride: 1, operands[2].real, bStride: sh,
                into: y.real, count: count)
        } else {
            let lo = operands[0].integer.values
            let x = operands[1].integer.values
            let hi = operands[2].integer.values
            let t = type.dtype
            for i in 0..<count {
                let raised = IntegerKernels.apply(.maximum, x[i], lo[i * sl], dtype: t)
                y.integer.values[i] = IntegerKernels.apply(.minimum, raised, hi[i * sh], dtype: t)
            }
        }
    }

    /// Conversions between any two dtypes. Float to integer truncates toward
    /// zero, saturates to the target range and maps NaN to 0; to pred it is
    /// `x != 0`. Integer to integer wraps; integer to float rounds as the domain does.
    func evaluateConvert(_ x: Value<D.Buffer>, from source: ArrayType, into y: Value<D.Buffer>, _ type: ArrayType) {
        let count = type.elementCount
        let (s, t) = (source.dtype, type.dtype)
        switch (s.isFloatingPoint, t.isFloatingPoint) {
        case (true, true):
            domain.convert(x.real, from: s, to: t, into: y.real, count: count)
        case (false, true) where s == .u64:
            domain.loadUnsignedIntegers(x.integer.values.map { UInt64(bitPattern: $0) }, dtype: t, into: y.real)
        case (false, true):
            domain.loadIntegers(x.integer.values, dtype: t, into: y.real)
        case (true, false):
            let xs = x.real
            for i in 0..<count {
                if t == .pred {
                    y.integer.values[i] = domain.isNonZero(xs, i) ? 1 : 0
                } else if t == .u64 {
                    y.integer.values[i] = Int64(bitPattern: domain.truncatedUnsigned(xs, i) ?? 0)
                } else if let v = domain.truncatedInteger(xs, i) {
                    let range = t.integerRange!
                    y.integer.values[i] = Swift.min(Swift.max(v, range.lowerBound), range.upperBound)
                } else {
                    y.integer.values[i] = 0
                }
            }
        case (false, false):
            let xs = x.integer.values
            for i in 0..<count { y.integer.values[i] = t.wrap(xs[i]) }
        }
    }

    /// `y[i] = x[source[i]]`.
    func gather(_ x: Value<D.Buffer>, _ source: [Int], into y: Value<D.Buffer>) {
        switch (x, y) {
        case (.real(let a), .real(let b)):
            for (i, j) in source.enumerated() { domain.copyElement(from: a, j, to: b, i) }
        case (.integer(let a), .integer(let b)):
            for (i, j) in source.enumerated() { b.values[i] = a.values[j] }
        default:
            preconditionFailure("gather between different kinds of storage")
        }
    }

    /// `y[destinations[j]] = x[j]`, skipping negative destinations.
    func scatter(_ x: Value<D.Buffer>, _ destinations: [Int], into y: Value<D.Buffer>) {
        switch (x, y) {
        case (.real(let a), .real(let b)):
            for (j, i) in destinations.enumerated() where i >= 0 { domain.copyElement(from: a, j, to: b, i) }
        case (.integer(let a), .integer(let b)):
            for (j, i) in destinations.enumerated() where i >= 0 { b.values[i] = a.values[j] }
        default:
            preconditionFailure("scatter between different kinds of storage")
        }
    }
}
