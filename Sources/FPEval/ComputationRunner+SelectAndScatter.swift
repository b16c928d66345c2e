import FPGraph

/// A computation applied to scalars taken from arrays (a map's function,
/// select-and-scatter's `select` and `scatter`). Its float comparisons feed
/// branch-flip detection like any other, since the runner shares the
/// evaluation's recorder.
final class ScalarCallState<D: RealDomain> {
    let runner: ComputationRunner<D>
    private var parameters: [Value<D.Buffer>]

    init(runner: ComputationRunner<D>) {
        self.runner = runner
        parameters = runner.computation.parameters.map { runner.allocate(runner.computation.nodes[$0].type) }
    }

    /// The computation on `(arguments[0][positions[0]], arguments[1][positions[1]], ...)`.
    func call(
        _ arguments: [Value<D.Buffer>], at positions: [Int], runner outer: ComputationRunner<D>
    ) throws -> Value<D.Buffer> {
        for (k, argument) in arguments.enumerated() {
            outer.copyScalar(from: argument, positions[k], to: parameters[k], 0)
        }
        return try runner.run(parameters)
    }
}

extension ComputationRunner {
    /// XLA's select-and-scatter, as XLA CPU emits it: the result starts as the
    /// init value everywhere; for each source element in row-major order, its
    /// window is walked in row-major order over the operand positions that are
    /// not padding (padding is never selected). The first such position is
    /// selected, and each later one replaces the selection when
    /// `select(selected, current)` is false (so `GE` keeps the first of equal
    /// maxima). Then `result[selected] = scatter(result[selected], source)`.
    /// A window that lies entirely in the padding scatters nothing.
    func evaluateSelectAndScatter(
        _ node: Int, _ operands: [Value<D.Buffer>], indices: [Int], windowSize: Int, into y: Value<D.Buffer>
    ) throws {
        let (select, scatter) = (scalarCalls[node]![0], scalarCalls[node]![1])
        let (x, source, initial) = (operands[0], operands[1], operands[2])
        let count = computation.nodes[node].type.arrayType!.elementCount
        for e in 0..<count { copyScalar(from: initial, 0, to: y, e) }
        guard windowSize > 0 else { return }
        for s in 0..<(indices.count / windowSize) {
            var selected = -1
            for k in 0..<windowSize {
                let position = indices[s * windowSize + k]
                guard position >= 0 else { continue }
                if selected < 0 {
                    selected = position
                } else if try select.call([x, x], at: [selected, position], runner: self).integer.values[0] == 0 {
                    selected = position
                }
            }
            guard selected >= 0 else { continue }
            let combined = try scatter.call([y, source], at: [selected, s], runner: self)
            copyScalar(from: combined, 0, to: y, selected)
        }
    }

    /// XLA's map: the computation on the operands' elements at each position, in row-major order.
    func evaluateMap(_ node: Int, _ operands: [Value<D.Buffer>], into y: Value<D.Buffer>, count: Int) throws {
        let function = scalarCalls[node]![0]
        for e in 0..<count {
            let result = try function.call(operands, at: [Int](repeating: e, count: operands.count), runner: self)
            copyScalar(from: result, 0, to: y, e)
        }
    }

    /// XLA's mulhi: the high half of the exact double-width product, in the
    /// dtype's signedness (a scalar operand broadcasts).
    func evaluateMultiplyHigh(
        _ operands: [Value<D.Buffer>], _ types: [ArrayType], into y: Value<D.Buffer>, _ type: ArrayType
    ) {
        let count = type.elementCount
        let (sa, sb) = (stride(types[0], count), stride(types[1], count))
        let (a, b) = (operands[0].integer.values, operands[1].integer.values)
        let out = y.integer
        for i in 0..<count {
            out.values[i] = IntegerKernels.multiplyHigh(a[i * sa], b[i * sb], dtype: type.dtype)
        }
    }
}

extension IntegerKernels {
    /// The high half of the full product of two integers of `dtype`: for a
    /// width w below 64 the product is exact in 64 bits and shifted right by w
    /// (arithmetically for signed dtypes); for 64 bits it is the high word of
    /// the 128-bit product, signed or unsigned by the dtype's name (`s`/`u`).
    static func multiplyHigh(_ u: Int64, _ v: Int64, dtype: DType) -> Int64 {
        let w = width(dtype)
        let unsigned = dtype.rawValue.hasPrefix("u")
        if w < 64 {
            if unsigned {
                let p = UInt64(bitPattern: u) &* UInt64(bitPattern: v)
                return dtype.wrap(Int64(bitPattern: p >> UInt64(w)))
            }
            return dtype.wrap((u &* v) >> Int64(w))
        }
        if unsigned {
            return Int64(bitPattern: UInt64(bitPattern: u).multipliedFullWidth(by: UInt64(bitPattern: v)).high)
        }
        return u.multipliedFullWidth(by: v).high
    }
}
