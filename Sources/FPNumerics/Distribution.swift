/// How to draw values for one input parameter of a graph.
///
/// Every distribution draws a real number and then rounds it to the
/// parameter's dtype (see ``sample(in:using:)``). The text spelling used on
/// the command line and in fixtures is parsed by ``parse(_:)`` and printed
/// back canonically by ``description``.
public enum Distribution: Equatable, Sendable, CustomStringConvertible {
    /// Gaussian with the given mean and standard deviation (`std > 0`).
    case normal(mean: Double, std: Double)
    /// Uniform on `[lo, hi)` (`lo < hi`, both finite).
    case uniform(lo: Double, hi: Double)
    /// Log-uniform magnitude on `[lo, hi]` (`0 < lo < hi`, both finite):
    /// `exp(uniform(log lo, log hi))`. With `symmetric` the sign is random
    /// too, so the values cover `[-hi, -lo] ∪ [lo, hi]`.
    case logUniform(lo: Double, hi: Double, symmetric: Bool)
    /// Uniform over the bit patterns of the finite values of the dtype, as
    /// Herbie samples: random `bitWidth` bits, redrawn while they encode an
    /// infinity or NaN. Half the draws are negative, and tiny, huge and
    /// subnormal magnitudes are as likely as ordinary ones.
    case ieee
    /// Uniform over the integers `lo, lo + 1, ..., hi` (inclusive; `lo <= hi`,
    /// both integers of magnitude at most 2^53): labels, token ids, indices.
    case integers(lo: Int64, hi: Int64)
    /// Always the given value (rounded to the dtype).
    case constant(Double)

    /// The canonical spelling, which ``parse(_:)`` reads back as `self`:
    /// `normal(0, 1)`, `uniform(-1, 1)`, `loguniform(1e-08, 100000000)`,
    /// `loguniform(1e-08, 100000000, symmetric)`, `ieee`, `const(2.5)`.
    ///
    /// Numbers are written as the shortest decimal that round-trips.
    public var description: String {
        let n = NumberText.format
        switch self {
        case .normal(let mean, let std): return "normal(\(n(mean)), \(n(std)))"
        case .uniform(let lo, let hi): return "uniform(\(n(lo)), \(n(hi)))"
        case .logUniform(let lo, let hi, let symmetric):
            return "loguniform(\(n(lo)), \(n(hi))\(symmetric ? ", symmetric" : ""))"
        case .ieee: return "ieee"
        case .integers(let lo, let hi): return "integers(\(lo), \(hi))"
        case .constant(let value): return "const(\(n(value)))"
        }
    }

    /// Checks the parameters: `std` finite and `> 0`; uniform bounds finite
    /// with `lo < hi`; log-uniform bounds finite with `0 < lo < hi`; normal
    /// mean finite. Constants may be any value, including NaN and infinities.
    ///
    /// - Throws: ``DistributionError/invalidParameters(distribution:reason:)``
    ///   saying which condition failed.
    public func validate() throws {
        func fail(_ name: String, _ reason: String) -> DistributionError {
            .invalidParameters(distribution: name, reason: reason)
        }
        let n = NumberText.format
        switch self {
        case .normal(let mean, let std):
            guard mean.isFinite else { throw fail("normal", "mean must be finite, got \(n(mean))") }
            guard std.isFinite, std > 0 else { throw fail("normal", "std must be > 0 and finite, got \(n(std))") }
        case .uniform(let lo, let hi):
            guard lo.isFinite, hi.isFinite else {
                throw fail("uniform", "lo and hi must be finite, got lo=\(n(lo)), hi=\(n(hi))")
            }
            guard lo < hi else { throw fail("uniform", "uniform needs lo < hi, got lo=\(n(lo)), hi=\(n(hi))") }
        case .logUniform(let lo, let hi, _):
            guard lo.isFinite, hi.isFinite, lo > 0, lo < hi else {
                throw fail("loguniform", "loguniform needs finite 0 < lo < hi, got lo=\(n(lo)), hi=\(n(hi))")
            }
        case .integers(let lo, let hi):
            guard lo <= hi, lo.magnitude <= 1 << 53, hi.magnitude <= 1 << 53 else {
                throw fail(
                    "integers", "integers needs lo <= hi, both of magnitude at most 2^53, got lo=\(lo), hi=\(hi)")
            }
        case .ieee, .constant:
            break
        }
    }
}
