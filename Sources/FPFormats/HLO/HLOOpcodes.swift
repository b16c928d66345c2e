import FPGraph

/// XLA's opcodes: which ones fpaudit reads (derived from the op families'
/// HLO spellings, ``OpSpelling/hloOpcodes``), and why it refuses the others.
enum HLOOpcodes {
    /// Opcode → the family that lowers it, from every family's ``OpSpelling/hloOpcodes``.
    static let lowerings: [String: any OpSpelling.Type] = Dictionary(
        OpSpellings.families.flatMap { family in family.hloOpcodes.map { ($0, family) } },
        uniquingKeysWith: { first, _ in first })

    /// `custom-call` target → the family that lowers it, from every family's
    /// ``OpSpelling/hloCustomCallTargets``.
    static let customCallLowerings: [String: any OpSpelling.Type] = Dictionary(
        OpSpellings.families.flatMap { family in family.hloCustomCallTargets.map { ($0, family) } },
        uniquingKeysWith: { first, _ in first })

    /// The opcodes fpaudit reads: those some family lowers.
    static var supported: Set<String> { Set(lowerings.keys) }

    static func isSupported(_ opcode: String) -> Bool { lowerings[opcode] != nil }

    /// The `custom-call` targets fpaudit reads (XLA CPU's TopK: a sort
    /// comparator over value and index, the first k kept).
    static var customCallTargets: Set<String> { Set(customCallLowerings.keys) }

    /// Attributes that define what some supported opcode computes (every
    /// family's ``OpSpelling/hloAttributes``). On an opcode that does not take
    /// them they are an error (as in XLA), never silently dropped; all other
    /// attributes (metadata, sharding, backend_config, frontend_attributes,
    /// ...) are skipped.
    static let semanticAttributes: Set<String> = OpSpellings.families.reduce(into: []) {
        $0.formUnion($1.hloAttributes)
    }

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
    /// refuses it, or nil when fpaudit reads it (the tests check that the nil
    /// ones are exactly the opcodes some family lowers, ``supported``).
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
