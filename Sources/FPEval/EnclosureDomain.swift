import FPGraph
import FPNumerics

/// A domain whose values are rigorous enclosures of the exact real result
/// (``IntervalDomain``, ``BallDomain``): the cheap tiers of the truth.
///
/// An evaluation in such a domain is a proof unless ``undecided`` is set: a
/// step (a comparison, a truncation, a function on part of its domain) that
/// the enclosure could not decide. Each output element is then known exactly
/// in a format when the whole enclosure rounds to one value of it.
public protocol EnclosureDomain: RealDomain {
    /// Set when some step since the last ``reset()`` was not decided.
    var undecided: Bool { get }

    /// Clears ``undecided`` before an evaluation.
    func reset()

    /// The correctly rounded value of `x[i]` in `format` (to nearest, ties to
    /// even, signed zeros included) when every real in the enclosure rounds to
    /// it; nil when the enclosure straddles a rounding boundary.
    func decided(_ x: Buffer, _ i: Int, in format: FloatFormat) -> Double?

    /// True when every real in the enclosure rounds to a zero of `format`
    /// (of either sign: the enclosure may not know the sign of a real
    /// too small for binary64, such as `1 + tanh(−400)`).
    func roundsToZero(_ x: Buffer, _ i: Int, in format: FloatFormat) -> Bool
}

extension Interpreter where D: EnclosureDomain {
    /// Float output `k`, element `i` of the last run correctly rounded to
    /// `format`, when the enclosure decides that rounding; nil when it does not.
    public func decidedOutput(_ k: Int, _ i: Int, in format: FloatFormat) -> Double? {
        guard case .real(let b) = outputs[k] else { return nil }
        return domain.decided(b, i, in: format)
    }

    /// Every element of float output `k` correctly rounded to `format` into
    /// `values` (which it resizes); false, with `values` partly written, as
    /// soon as the enclosure does not decide one element's rounding.
    public func decidedOutputs(_ k: Int, in format: FloatFormat, into values: inout [Double]) -> Bool {
        guard case .real(let b) = outputs[k] else { return false }
        let count = graph.outputs[k].type.elementCount
        if values.count != count { values = [Double](repeating: 0, count: count) }
        for e in 0..<count {
            guard let v = domain.decided(b, e, in: format) else { return false }
            values[e] = v
        }
        return true
    }

    /// The value of entry node `node` in the last run as ``nodeData(_:format:)``
    /// gives it, when the enclosure decides the rounding of every element;
    /// nil when it does not, or for tuples and nodes the run did not reach.
    /// An element the enclosure only knows to round to a zero of unknown
    /// sign reads as +0 (the sign MPFR gives a difference that cancels exactly).
    public func decidedNodeData(_ node: Int, format: (DType) -> FloatFormat) -> Tensor.Elements? {
        entryRunner.decidedNodeData(node, format: format)
    }
}
