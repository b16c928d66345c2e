/// The batch-norm ops (``BatchNormKind``): a floating-point operand with
/// `feature_index` in range, feature-shaped (`[operand.dimensions[feature_index]]`)
/// scale, offset, mean and variance of its dtype, and (grad) a `grad_output`
/// of the operand's type.
struct BatchNormRule: OpRule {
    /// The opcode and its attributes.
    let config: BatchNormConfig

    var name: String { config.kind.rawValue }
    var calledComputations: [String] { [] }

    func inferType(_ c: Context) throws -> ValueType {
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

    /// A handful of passes over the operand (mean, variance, normalisation; more for the gradient).
    func work(at site: WorkSite) -> Double { 4 * site.operandElements(0) }
    var writesResult: Bool { true }
    var canonicalText: String { "\(config.kind.rawValue) \(config.epsilon.bitPattern) \(config.featureIndex)" }

    /// The sums over every element of one feature (none for inference).
    func reductionDepth(at site: DepthSite) -> Int {
        let (node, computation) = (site.node, site.computation)
        guard let operand = node.operands.first, let type = computation.nodes[operand].type.arrayType else {
            return 0
        }
        let n = type.dimensions.indices.filter { $0 != config.featureIndex }
            .reduce(1) { saturatingMultiply($0, type.dimensions[$1]) }
        return config.kind == .inference ? 0 : max(0, n - 1)
    }

    var roundsInReducer: Bool { true }
    var isLocalErrorSite: Bool { true }
    var valueFlow: ValueFlow { .other }

    /// The variance: operand 4 of `batch-norm-inference`, 3 of `batch-norm-grad`; training computes its own.
    var varianceOperand: Int? {
        switch config.kind {
        case .inference: return 4
        case .training: return nil
        case .grad: return 3
        }
    }
}
