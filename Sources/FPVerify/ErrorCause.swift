import FPGraph
import FPNumerics

/// Why a node's own operation loses accuracy, read from its operands and
/// result at the element where its local error is largest (``NodeError``).
///
/// Each case is a fact computed from values, not a guess from the op's name:
/// see ``CauseClassifier`` for the rule behind each.
public enum ErrorCause: Sendable, Hashable {
    /// An addition of operands of opposite signs (a subtraction of like
    /// signs) whose result is far smaller than the operands: the leading
    /// bits cancel, and the operands' own rounding errors become the
    /// result's leading bits. `bits` = operand exponent − result exponent.
    case cancellation(operandExponent: Int, resultExponent: Int)
    /// An addend smaller than half an ulp of the other operand (the
    /// accumulator): the sum rounds back to the accumulator and the addend is lost.
    case absorption(addendExponent: Int, accumulatorExponent: Int)
    /// A sum over `terms` addends (a `reduce` with an `add` reducer) in which
    /// `absorbed` addends fall below half an ulp of the running sum, in the
    /// order the reduction is evaluated.
    case absorbedAddends(absorbed: Int, terms: Int, accumulatorExponent: Int)
    /// A finite true value computed as infinity or NaN: the result, or an
    /// operand's true value, is beyond the format's range.
    case overflow
    /// A true value below the format's smallest normal number: computed as a
    /// subnormal (fewer significant bits), or flushed to zero.
    case underflow(flushedToZero: Bool)
    /// A conversion to a type with fewer significand bits (`from` → `to`,
    /// by dtype name); `droppedBits` of significand are rounded away.
    case narrowingConversion(from: String, to: String, droppedBits: Int)
    /// Rounding accumulated over a reduction or dot product of `terms` terms
    /// (more than one rounding: the order of the sum decides the error).
    case accumulatedRounding(terms: Int)
    /// An elementary function whose computed value is off by more than half
    /// an ulp on exact operands: the implementation's own error (XLA's
    /// approximations of `exp`, `tanh`, ...).
    case functionError(function: String)
    /// An operation computed as well as its format allows on its rounded
    /// operands, whose result still differs from the truth by more than an
    /// ulp: its operands' rounding errors carry into the result, amplified
    /// by the operation's condition number (large for `exp` of a large argument).
    case operandRounding(op: String)
    /// The operand-rounding case where the rounded operand is a constant
    /// written as a decimal that is not a value of its dtype (`literal`, kept
    /// by the graph): the node computes with the constant `constant` rounded
    /// to `dtype`, off from the literal by `relativeError`, while the truth
    /// uses the literal.
    case constantRounding(constant: String, literal: String, dtype: String, relativeError: Double)
    /// The error of a called computation (an XLA fusion, a loop body) of
    /// `operations` operations, measured as one (its nodes are also measured
    /// on their own, at each run of it).
    case calledComputation(name: String, operations: Int)
    /// A sum the rewrite computes in a different order than the original:
    /// the node is, or is a partial sum of (`via`), a rewritten sum whose true
    /// value equals the original sum `original`'s element for element, summing
    /// the same computed terms, yet computed differently (reassociated adds,
    /// a reduce split in two, a transposed operand, a dot as multiply and
    /// reduce). `terms` is the original sum's terms per element;
    /// `rewrittenULPs` and `originalULPs` are how far each graph's computed
    /// sum is from the truth at that sample (the largest over its elements, in
    /// ulps of the measured format). Decided across the two graphs, for the
    /// REWRITTEN graph's nodes only (docs/semantics.md, "Why a node loses accuracy").
    case reductionOrder(original: String, terms: Int, via: String?, rewrittenULPs: Double, originalULPs: Double)
    /// One rounding of an exactly computed result (at most half an ulp).
    case rounding

    /// A short machine-readable name of the cause's class (`cancellation`,
    /// `absorption`, ...): the JSON and SARIF `cause` field.
    public var kind: String {
        switch self {
        case .cancellation: return "cancellation"
        case .absorption, .absorbedAddends: return "absorption"
        case .overflow: return "overflow"
        case .underflow: return "underflow"
        case .narrowingConversion: return "narrowing-conversion"
        case .accumulatedRounding: return "accumulated-rounding"
        case .functionError: return "function-error"
        case .operandRounding: return "operand-rounding"
        case .constantRounding: return "constant-rounding"
        case .calledComputation: return "called-computation"
        case .reductionOrder: return "reduction-order"
        case .rounding: return "rounding"
        }
    }

    /// What happened, in words: "cancellation of operands near 2^7 to a result near 2^1".
    public var description: String {
        switch self {
        case .cancellation(let a, let r):
            return
                "cancellation of operands near 2^\(a) to a result near 2^\(r) (\(a - r == 1 ? "1 bit cancels" : "\(a - r) bits cancel"))"
        case .absorption(let a, let acc):
            return "absorption: an addend near 2^\(a) is below half an ulp of the accumulator near 2^\(acc)"
        case .absorbedAddends(let n, let terms, let acc):
            return "absorption: \(n) of \(terms) addends below half an ulp of the running sum (near 2^\(acc))"
        case .overflow:
            return "overflow: a value beyond the format's range became infinite, and the finite true value is lost"
        case .underflow(let flushed):
            return flushed
                ? "underflow: a nonzero true value flushed to zero"
                : "underflow: a true value below the smallest normal number, computed as a subnormal"
        case .narrowingConversion(let from, let to, let dropped):
            return "conversion from \(from) to \(to) rounds away \(dropped) significand bits"
        case .accumulatedRounding(let terms):
            return "rounding accumulated over a sum of \(terms) terms (its order decides the error)"
        case .functionError(let f):
            return "\(f)'s implementation is off by more than half an ulp on exact operands"
        case .operandRounding(let op):
            return "\(op) is exact up to one rounding here: its operands' rounding errors carry into the result"
        case .constantRounding(let constant, let literal, let dtype, let relativeError):
            return
                "the constant \(constant) is \(literal) rounded to \(dtype) (relative error \(CFormat.string("%.1e", relativeError)))"
        case .calledComputation(let name, let n):
            return
                "the \(n == 1 ? "operation" : "\(n) operations") of the called computation \(name), measured together"
        case .reductionOrder(let original, let terms, let via, let rewrittenULPs, let originalULPs):
            let sum = "(\(original), \(terms) terms)"
            let what =
                via.map { "a partial sum of \($0), a sum the original computes \(sum) in a different order" }
                ?? "the original computes this sum \(sum) in a different order"
            return
                "reduction order: \(what); here the rewritten sum is \(Self.ulps(rewrittenULPs)) from the truth at worst, the original's \(Self.ulps(originalULPs))"
        case .rounding:
            return "one rounding of the exact result"
        }
    }

    /// `3 ulps`, `1 ulp`, `0.5 ulps`: an ulp count in words.
    private static func ulps(_ x: Double) -> String {
        if x == 1 { return "1 ulp" }
        if x.isFinite, x == x.rounded(), x.magnitude < 1e15 { return "\(Int(x)) ulps" }
        return "\(x) ulps"
    }
}
