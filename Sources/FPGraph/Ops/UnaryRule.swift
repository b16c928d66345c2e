/// The elementwise ops of one operand (every ``UnaryOp``): the operand's type
/// (`is-finite`: pred), with the dtypes each op is defined on.
struct UnaryRule: OpRule {
    /// Which op.
    let op: UnaryOp

    var name: String { op.rawValue }
    var calledComputations: [String] { [] }

    func inferType(_ c: Context) throws -> ValueType {
        try c.arity(1)
        let x = try c.array(0)
        switch op {
        case .isFinite:
            try c.requireFloat(x, "is-finite")
            return .array(.pred, x.dimensions)
        case .not:
            if x.dtype.isFloatingPoint { throw c.mismatch("not needs a pred or integer operand, got \(x)") }
        case .neg, .abs, .sign:
            if x.dtype == .pred { throw c.mismatch("\(op.rawValue) needs a numeric operand, got \(x)") }
        case .copy:
            break
        case .popcnt, .clz:
            if !x.dtype.isInteger { throw c.mismatch("\(op.rawValue) needs an integer operand, got \(x)") }
        case .exp, .expm1, .log, .log1p, .sqrt, .rsqrt, .cbrt, .tanh, .logistic, .sin, .cos, .tan, .erf, .floor,
            .ceil, .atan, .sinh, .cosh, .asin, .acos, .asinh, .acosh, .atanh, .roundNearestEven, .roundNearestAfz:
            try c.requireFloat(x, op.rawValue)
        }
        return .array(x)
    }

    func work(at site: WorkSite) -> Double { site.elements }
    var writesResult: Bool { true }
    var canonicalText: String { op.rawValue }
    func reductionDepth(at site: DepthSite) -> Int { 0 }
    var roundsInReducer: Bool { true }
    /// Every unary op but `copy` (the identity) computes.
    var isLocalErrorSite: Bool { op != .copy }
    var valueFlow: ValueFlow { op == .copy ? .operandValues : .other }
}

extension UnaryRule {
    /// Elementwise: any box of the result needs the same box of each operand.
    func elementDependence(_ site: SliceSite) -> ElementDependence { .elementwise(site) }
}
