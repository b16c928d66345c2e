extension Context {
    /// The result dimensions of `window` slid over `input` (XLA's window output
    /// shape): per dimension, the base-dilated and padded input
    /// `(d - 1) * base_dilation + 1 + low + high` (0 for an empty dimension),
    /// the dilated window `(size - 1) * window_dilation + 1`, and
    /// `(padded - window) / stride + 1` positions (0 when the window does not fit).
    ///
    /// - Throws: a located ``GraphError/invalidAttribute(node:op:message:location:)``
    ///   when the window does not have one entry per dimension, a size, stride or
    ///   dilation is below 1, a padding is negative (XLA refuses negative
    ///   padding for reduce-window and select-and-scatter), or the arithmetic
    ///   overflows.
    func windowOutput(_ w: WindowConfig, over input: ArrayType) throws -> [Int] {
        let rank = input.rank
        let fields = [w.dimensions, w.strides, w.paddingLow, w.paddingHigh, w.baseDilations, w.windowDilations]
        guard fields.allSatisfy({ $0.count == rank }) else {
            throw invalid("the window needs size, stride, padding and dilations for each of the \(rank) dimensions")
        }
        guard w.dimensions.allSatisfy({ $0 >= 1 }), w.strides.allSatisfy({ $0 >= 1 }),
            w.baseDilations.allSatisfy({ $0 >= 1 }), w.windowDilations.allSatisfy({ $0 >= 1 })
        else {
            throw invalid("window sizes, strides and dilations must be >= 1")
        }
        guard w.paddingLow.allSatisfy({ $0 >= 0 }), w.paddingHigh.allSatisfy({ $0 >= 0 }) else {
            throw invalid("window padding must be >= 0 (XLA allows negative padding only in convolutions)")
        }
        var dims: [Int] = []
        for axis in 0..<rank {
            let d = input.dimensions[axis]
            let what = "window dimension \(axis)"
            let dilated = d > 0 ? try sum(what, product(what, d - 1, w.baseDilations[axis]), 1) : 0
            let padded = try sum(what, dilated, w.paddingLow[axis], w.paddingHigh[axis])
            let window = try sum(what, product(what, w.dimensions[axis] - 1, w.windowDilations[axis]), 1)
            dims.append(padded < window ? 0 : (padded - window) / w.strides[axis] + 1)
        }
        return dims
    }
}

extension TypeInference {
    /// `select-and-scatter(operand, source, init_value)`: the source has the
    /// shape of the window's positions over the operand, all three share one
    /// dtype (the init value a scalar), `select` is `(T, T) -> pred` and
    /// `scatter` is `(T, T) -> T`; the result has the operand's type. Windows
    /// with dilations are refused (XLA CPU's emitter ignores them).
    func inferSelectAndScatter(_ c: Context, _ w: WindowConfig, select: String, scatter: String) throws
        -> ValueType
    {
        try c.arity(3)
        let (operand, source, initial) = (try c.array(0), try c.array(1), try c.array(2))
        let positions = try c.windowOutput(w, over: operand)
        if w.baseDilations.contains(where: { $0 != 1 }) || w.windowDilations.contains(where: { $0 != 1 }) {
            throw c.invalid(
                "select-and-scatter takes no base or window dilation (got \(w.baseDilations), \(w.windowDilations))")
        }
        guard source.dtype == operand.dtype, initial.dtype == operand.dtype, initial.rank == 0 else {
            throw c.mismatch(
                "the source and the init value must have the operand's dtype \(operand.dtype.rawValue), the init value a scalar; got \(source) and \(initial)"
            )
        }
        guard source.dimensions == positions else {
            throw c.mismatch("the source is \(source) but the window has \(positions) positions over \(operand)")
        }
        let scalar = ValueType.array(operand.dtype, [])
        let selector = callees[select]!
        let selectParameters = selector.parameters.map { selector.nodes[$0].type }
        if selectParameters != [scalar, scalar] || selector.resultType != .array(.pred, []) {
            throw c.mismatch(
                "select '\(select)' takes \(selectParameters.map(\.description)) and returns \(selector.resultType); it must take (\(scalar), \(scalar)) and return pred[]"
            )
        }
        let combiner = callees[scatter]!
        let scatterParameters = combiner.parameters.map { combiner.nodes[$0].type }
        if scatterParameters != [scalar, scalar] || combiner.resultType != scalar {
            throw c.mismatch(
                "scatter '\(scatter)' takes \(scatterParameters.map(\.description)) and returns \(combiner.resultType); it must take (\(scalar), \(scalar)) and return \(scalar)"
            )
        }
        return .array(operand)
    }

    /// `map(operands...)`: operands of one shape; the computation takes one
    /// scalar of each operand's dtype and returns one scalar, whose dtype the
    /// result has.
    func inferMap(_ c: Context, _ name: String) throws -> ValueType {
        guard !c.operandTypes.isEmpty else {
            throw GraphError.arity(
                node: c.spec.name, op: "map", expected: "at least 1", got: 0, location: c.spec.location)
        }
        let operands = try c.operandTypes.indices.map { try c.array($0) }
        for (i, a) in operands.enumerated() where a.dimensions != operands[0].dimensions {
            throw c.mismatch("map operand \(i) is \(a) but operand 0 is \(operands[0]); map does not broadcast")
        }
        let computation = callees[name]!
        let expected = operands.map { ValueType.array($0.dtype, []) }
        let actual = computation.parameters.map { computation.nodes[$0].type }
        guard actual == expected, case .array(let r) = computation.resultType, r.rank == 0 else {
            throw c.mismatch(
                "computation '\(name)' takes \(actual.map(\.description)) and returns \(computation.resultType); this map needs \(expected.map(\.description)) returning a scalar"
            )
        }
        return .array(r.dtype, operands[0].dimensions)
    }

    /// `mulhi(a, b)`: two integer operands of one dtype and shape (a scalar broadcasts).
    func inferMultiplyHigh(_ c: Context) throws -> ValueType {
        try c.arity(2)
        let shape = try c.elementwiseShape([0, 1])
        let dtype = try c.sameDType([0, 1])
        guard dtype.isInteger else { throw c.mismatch("mulhi needs integer operands, got \(dtype.rawValue)") }
        return .array(dtype, shape)
    }

    /// The batch-norm ops: a floating-point operand with `feature_index` in
    /// range, feature-shaped (`[operand.dimensions[feature_index]]`) scale,
    /// offset, mean and variance of its dtype, and (grad) a `grad_output` of the operand's type.
    func inferBatchNorm(_ c: Context, _ config: BatchNormConfig) throws -> ValueType {
        try c.arity(config.kind.operandCount)
        let x = try c.array(0)
        try c.requireFloat(x, config.kind.rawValue)
        guard (0..<x.rank).contains(config.featureIndex) else {
            throw c.invalid("feature_index \(config.featureIndex) is out of range for \(x)")
        }
        guard config.epsilon.isFinite else { throw c.invalid("epsilon must be finite, got \(config.epsilon)") }
        let feature = ArrayType(x.dtype, [x.dimensions[config.featureIndex]])
        let roles: [String]
        switch config.kind {
        case .inference: roles = ["operand", "scale", "offset", "mean", "variance"]
        case .training: roles = ["operand", "scale", "offset"]
        case .grad: roles = ["operand", "scale", "mean", "variance", "grad_output"]
        }
        for i in 1..<roles.count {
            let a = try c.array(i)
            let want = roles[i] == "grad_output" ? x : feature
            if a != want {
                throw c.mismatch("the \(roles[i]) is \(a); \(config.kind.rawValue) of \(x) needs \(want)")
            }
        }
        if config.kind == .inference { return .array(x) }
        return .tuple([.array(x), .array(feature), .array(feature)])
    }
}
