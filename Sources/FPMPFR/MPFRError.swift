/// Errors reported by FPMPFR's validating entry points.
public enum MPFRError: Error, Equatable, Sendable {
    /// A target precision outside the supported range (given as `valid`).
    case invalidPrecision(Int, valid: ClosedRange<Int>)
    /// An exponent range that is empty or whose values (including the
    /// subnormals) are not all exactly representable as `Double`.
    case invalidExponentRange(emin: Int, emax: Int)
}
