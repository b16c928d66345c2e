import FPGraph

/// Which XLA opcodes map onto which ``FPGraph/Operation``, and which
/// attributes carry meaning.
enum HLOOpcodes {
    /// Elementwise opcodes of one operand.
    static let unary: [String: UnaryOp] = [
        "negate": .neg, "abs": .abs, "sign": .sign, "exponential": .exp, "exponential-minus-one": .expm1,
        "log": .log, "log-plus-one": .log1p, "sqrt": .sqrt, "rsqrt": .rsqrt, "cbrt": .cbrt, "tanh": .tanh,
        "logistic": .logistic, "sine": .sin, "cosine": .cos, "tan": .tan, "erf": .erf, "floor": .floor,
        "ceil": .ceil, "round-nearest-even": .roundNearestEven, "is-finite": .isFinite, "not": .not, "copy": .copy,
    ]

    /// Elementwise opcodes of two operands.
    static let binary: [String: BinaryOp] = [
        "add": .add, "subtract": .subtract, "multiply": .multiply, "divide": .divide, "remainder": .remainder,
        "power": .power, "maximum": .maximum, "minimum": .minimum, "atan2": .atan2, "and": .and, "or": .or, "xor": .xor,
    ]

    /// The other opcodes fpaudit reads.
    static let structural: Set<String> = [
        "parameter", "constant", "compare", "select", "clamp", "convert", "reduce-precision", "broadcast", "reshape",
        "transpose", "slice", "concatenate", "pad", "iota", "reduce", "reduce-window", "dot", "tuple",
        "get-tuple-element", "call", "fusion", "bitcast", "while", "conditional", "dynamic-slice",
        "dynamic-update-slice",
    ]

    static func isSupported(_ opcode: String) -> Bool {
        unary[opcode] != nil || binary[opcode] != nil || structural.contains(opcode)
    }

    /// Attributes that define what some supported opcode computes. On an
    /// opcode that does not take them they are an error (as in XLA), never
    /// silently dropped; all other attributes (metadata, sharding,
    /// backend_config, frontend_attributes, ...) are skipped.
    static let semanticAttributes: Set<String> = [
        "dimensions", "to_apply", "calls", "slice", "padding", "direction", "type", "lhs_batch_dims",
        "rhs_batch_dims", "lhs_contracting_dims", "rhs_contracting_dims", "exponent_bits", "mantissa_bits",
        "iota_dimension", "index", "window", "condition", "body", "true_computation", "false_computation",
        "branch_computations", "algorithm", "sparsity", "dynamic_slice_sizes",
    ]

    /// Every opcode XLA defines, to tell an unsupported opcode from a typo.
    static let xla: [String] = [
        "abs", "acos", "acosh", "add", "add-dependency", "after-all", "all-gather", "all-gather-done",
        "all-gather-start", "all-reduce", "all-reduce-done", "all-reduce-start", "all-to-all", "and", "asin",
        "asinh", "async-done", "async-start", "async-update", "atan2", "atanh", "batch-norm-grad",
        "batch-norm-inference", "batch-norm-training", "bitcast", "bitcast-convert", "broadcast", "call", "cbrt",
        "ceil", "cholesky", "clamp", "collective-broadcast", "collective-permute", "collective-permute-done",
        "collective-permute-start", "compare", "complex", "concatenate", "conditional", "constant", "convert",
        "convolution", "copy", "copy-done", "copy-start", "cosh", "cosine", "count-leading-zeros", "custom-call",
        "divide", "domain", "dot", "dynamic-reshape", "dynamic-slice", "dynamic-update-slice", "erf",
        "exponential", "exponential-minus-one", "fft", "floor", "fusion", "gather", "get-dimension-size",
        "get-tuple-element", "imag", "infeed", "iota", "is-finite", "log", "log-plus-one", "logistic", "map",
        "maximum", "minimum", "multiply", "negate", "not", "opt-barrier", "optimization-barrier", "or", "outfeed",
        "pad", "parameter", "partition-id", "popcnt", "power", "ragged-all-to-all", "ragged-dot", "real", "recv",
        "recv-done", "reduce", "reduce-precision", "reduce-scatter", "reduce-window", "remainder", "replica-id",
        "reshape", "reverse", "rng", "rng-bit-generator", "rng-get-and-update-state", "round-nearest-afz",
        "round-nearest-even", "rsqrt", "scaled-dot", "scan", "scatter", "select", "select-and-scatter", "send",
        "send-done", "set-dimension-size", "shift-left", "shift-right-arithmetic", "shift-right-logical",
        "sign", "sine", "sinh", "slice", "sort", "sqrt", "stochastic-convert", "subtract", "tan", "tanh",
        "top-k", "transpose", "triangular-solve", "tuple", "while",
    ]

    /// True for an opcode XLA defines, including async forms such as
    /// `custom-call-start` and `all-reduce-done`.
    static func isXLAOpcode(_ opcode: String) -> Bool {
        if xlaSet.contains(opcode) { return true }
        for suffix in ["-start", "-update", "-done"] where opcode.hasSuffix(suffix) {
            if xlaSet.contains(String(opcode.dropLast(suffix.count))) { return true }
        }
        return false
    }

    private static let xlaSet = Set(xla)

    /// The dtypes XLA defines that fpaudit does not model.
    static let unsupportedXLATypes: Set<String> = [
        "s1", "s2", "s4", "s8", "s16", "u1", "u2", "u4", "u16", "u64", "f4e2m1fn", "f8e3m4", "f8e4m3",
        "f8e4m3fn", "f8e4m3b11fnuz", "f8e4m3fnuz", "f8e5m2", "f8e5m2fnuz", "f8e8m0fnu", "c64", "c128", "opaque",
    ]
}
