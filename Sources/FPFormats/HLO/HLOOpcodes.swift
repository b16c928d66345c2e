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
        "atan": .atan, "sinh": .sinh, "cosh": .cosh, "asin": .asin, "acos": .acos, "asinh": .asinh, "acosh": .acosh,
        "atanh": .atanh, "round-nearest-afz": .roundNearestAfz, "popcnt": .popcnt, "count-leading-zeros": .clz,
    ]

    /// Elementwise opcodes of two operands.
    static let binary: [String: BinaryOp] = [
        "add": .add, "subtract": .subtract, "multiply": .multiply, "divide": .divide, "remainder": .remainder,
        "power": .power, "maximum": .maximum, "minimum": .minimum, "atan2": .atan2, "and": .and, "or": .or, "xor": .xor,
        "shift-left": .shiftLeft, "shift-right-logical": .shiftRightLogical,
        "shift-right-arithmetic": .shiftRightArithmetic,
    ]

    /// The other opcodes fpaudit reads.
    static let structural: Set<String> = [
        "parameter", "constant", "compare", "select", "clamp", "convert", "reduce-precision", "broadcast", "reshape",
        "transpose", "slice", "concatenate", "pad", "iota", "reduce", "reduce-window", "dot", "convolution", "tuple",
        "get-tuple-element", "call", "fusion", "bitcast", "while", "conditional", "dynamic-slice",
        "dynamic-update-slice", "gather", "scatter", "reverse", "opt-barrier", "sort", "topk", "bitcast-convert",
        "select-and-scatter", "map", "mulhi", "domain", "batch-norm-inference", "batch-norm-training",
        "batch-norm-grad",
        "rng-bit-generator",
    ]

    static func isSupported(_ opcode: String) -> Bool {
        unary[opcode] != nil || binary[opcode] != nil || structural.contains(opcode)
    }

    /// The `custom-call` targets fpaudit reads: XLA CPU's TopK (a sort
    /// comparator over value and index, the first k kept).
    static let customCallTargets: Set<String> = ["TopK"]

    /// Attributes that define what some supported opcode computes. On an
    /// opcode that does not take them they are an error (as in XLA), never
    /// silently dropped; all other attributes (metadata, sharding,
    /// backend_config, frontend_attributes, ...) are skipped.
    static let semanticAttributes: Set<String> = [
        "dimensions", "to_apply", "calls", "slice", "padding", "direction", "type", "lhs_batch_dims",
        "rhs_batch_dims", "lhs_contracting_dims", "rhs_contracting_dims", "exponent_bits", "mantissa_bits",
        "iota_dimension", "index", "window", "condition", "body", "true_computation", "false_computation",
        "branch_computations", "algorithm", "sparsity", "dynamic_slice_sizes", "offset_dims", "collapsed_slice_dims",
        "start_index_map", "index_vector_dim", "slice_sizes", "operand_batching_dims", "start_indices_batching_dims",
        "indices_are_sorted", "update_window_dims", "inserted_window_dims", "scatter_dims_to_operand_dims",
        "input_batching_dims", "scatter_indices_batching_dims", "unique_indices", "is_stable", "k", "largest",
        "custom_call_target", "called_computations", "dim_labels", "feature_group_count", "batch_group_count",
        "select", "scatter", "epsilon", "feature_index",
    ]

    /// Why fpaudit refuses an XLA opcode.
    enum Refusal: String, CaseIterable {
        case collective = "a collective or device-identity op: fpaudit verifies the computation of one device"
        case sideEffect = "a side effect or host transfer (tokens order them); it computes no value to verify"
        case async = "an asynchronous wrapper of scheduled modules; verify the module before scheduling"
        case dynamicShape = "dynamic shapes are not modelled; every shape is static"
        case complex = "complex numbers are not modelled"
        case stateful = "stateful random numbers (XLA's own generator state) cannot be reproduced"
        case linearAlgebra = "a linear-algebra solver (its algorithm is backend-defined)"
        case backendDefined = "its semantics are defined by the backend or by a target-specific handler"
        case notYet = "not yet supported (see docs/hlo-import.md)"
        case raggedDot =
            "a grouped dot whose row groups are run-time data (ragged-dot); not modelled: lower it to dots over slices"
        case blockScaled = "a block-scaled dot over f8/f4 operands with e8m0 scales: formats fpaudit does not model"
        case undocumented =
            "a recent XLA opcode whose exact semantics fpaudit could not pin down from XLA's docs; refused, not guessed"
    }

    /// Every opcode XLA defines (`HLO_OPCODE_LIST` in XLA's
    /// `xla/hlo/ir/hlo_opcode.h`, commit 0725a3a9, checked name by name by
    /// the tests against `Fixtures/hlo/xla-opcodes.txt`), each with why fpaudit
    /// refuses it, or nil when fpaudit reads it.
    static let xlaOpcodes: [(opcode: String, refusal: Refusal?)] = [
        ("abs", nil), ("acos", nil), ("acosh", nil), ("add", nil), ("add-dependency", .sideEffect),
        ("after-all", .sideEffect), ("all-gather", .collective), ("all-gather-done", .collective),
        ("all-gather-start", .collective), ("all-reduce", .collective), ("all-reduce-done", .collective),
        ("all-reduce-start", .collective), ("all-to-all", .collective), ("and", nil), ("asin", nil),
        ("asinh", nil), ("async-done", .async), ("async-start", .async), ("async-update", .async),
        ("atan", nil), ("atan2", nil), ("atanh", nil), ("batch-norm-grad", nil),
        ("batch-norm-inference", nil), ("batch-norm-training", nil), ("bitcast", nil),
        ("bitcast-convert", nil), ("broadcast", nil), ("call", nil), ("cbrt", nil), ("ceil", nil),
        ("cholesky", .linearAlgebra), ("clamp", nil), ("count-leading-zeros", nil),
        ("collective-broadcast", .collective), ("collective-permute", .collective),
        ("collective-permute-done", .collective), ("collective-permute-start", .collective),
        ("collective-reduce", .collective), ("compare", nil), ("complex", .complex), ("concatenate", nil),
        ("conditional", nil), ("constant", nil), ("convert", nil), ("convolution", nil), ("copy", nil),
        ("copy-done", .async), ("copy-start", .async), ("cosine", nil), ("cosh", nil),
        ("custom-call", .backendDefined), ("divide", nil), ("domain", nil), ("dot", nil),
        ("dynamic-reshape", .dynamicShape), ("dynamic-slice", nil), ("dynamic-update-slice", nil), ("erf", nil),
        ("exponential", nil), ("exponential-minus-one", nil), ("fft", .complex), ("floor", nil), ("fusion", nil),
        ("gather", nil), ("get-dimension-size", .dynamicShape), ("get-tuple-element", nil), ("imag", .complex),
        ("infeed", .sideEffect), ("iota", nil), ("is-finite", nil), ("log", nil), ("log-plus-one", nil),
        ("logistic", nil), ("map", nil), ("maximum", nil), ("minimum", nil), ("mulhi", nil),
        ("multiply", nil), ("negate", nil), ("not", nil), ("opt-barrier", nil), ("or", nil),
        ("outfeed", .sideEffect), ("pad", nil), ("parameter", nil), ("partition-id", .collective),
        ("popcnt", nil), ("power", nil), ("ragged-all-to-all", .collective), ("ragged-dot", .raggedDot),
        ("real", .complex), ("recv", .sideEffect), ("recv-done", .sideEffect), ("reduce", nil),
        ("reduce-precision", nil), ("reduce-scatter", .collective), ("reduce-window", nil), ("remainder", nil),
        ("replica-id", .collective), ("reshape", nil), ("reverse", nil), ("rng", .stateful),
        ("rng-bit-generator", nil), ("rng-get-and-update-state", .stateful), ("round-nearest-afz", nil),
        ("round-nearest-even", nil), ("rsqrt", nil), ("scaled-dot", .blockScaled), ("scan", .undocumented),
        ("scatter", nil), ("select", nil), ("select-and-scatter", nil), ("send", .sideEffect),
        ("send-done", .sideEffect), ("set-dimension-size", .dynamicShape), ("shift-left", nil),
        ("shift-right-arithmetic", nil), ("shift-right-logical", nil), ("shuffle", .undocumented),
        ("sign", nil), ("sine", nil), ("sinh", nil), ("slice", nil), ("sort", nil), ("sqrt", nil),
        ("stochastic-convert", .stateful), ("subtract", nil), ("tan", nil), ("tanh", nil), ("topk", nil),
        ("transpose", nil), ("triangular-solve", .linearAlgebra), ("tuple", nil), ("while", nil), ("xor", nil),
    ]

    /// Every opcode XLA defines, to tell an unsupported opcode from a typo.
    static let xla: [String] = xlaOpcodes.map(\.opcode)

    /// Why fpaudit refuses `opcode`, when it is an XLA opcode it does not read
    /// (an async form such as `custom-call-start` takes its base opcode's reason).
    static func refusal(_ opcode: String) -> Refusal? {
        if let r = refusals[opcode] { return r }
        for suffix in ["-start", "-update", "-done"] where opcode.hasSuffix(suffix) {
            if xlaSet.contains(String(opcode.dropLast(suffix.count))) { return .async }
        }
        return nil
    }

    private static let refusals: [String: Refusal] = Dictionary(
        uniqueKeysWithValues: xlaOpcodes.compactMap { e in e.refusal.map { (e.opcode, $0) } })

    private static let xlaSet = Set(xla)

    /// The dtypes XLA defines that fpaudit does not model.
    static let unsupportedXLATypes: Set<String> = [
        "s1", "s2", "s4", "u1", "u2", "u4", "f4e2m1fn", "f8e8m0fnu", "c64", "c128", "opaque",
    ]
}
