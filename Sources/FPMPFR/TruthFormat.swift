/// The binary floating-point formats the ground truth is commonly rounded to.
///
/// Exponents use MPFR's convention: a finite nonzero value is `m · 2^e` with
/// `0.5 ≤ |m| < 1`. ``emin`` is the exponent of the smallest positive
/// *normal* number (which is `2^(emin-1)`), ``emax`` the largest exponent
/// (the largest finite value is `(1 - 2^-precision) · 2^emax`). The smallest
/// positive subnormal is `2^(emin - precision)`. Both are one more than the
/// IEEE 754 `emin`/`emax` of the same format.
public enum TruthFormat: CaseIterable, Sendable {
    /// IEEE 754 binary16: 11-bit significand, normals down to 2^-14, max 65504.
    case f16
    /// bfloat16: 8-bit significand, float32's exponent range.
    case bf16
    /// IEEE 754 binary32.
    case f32
    /// IEEE 754 binary64.
    case f64

    /// Significand precision in bits, including the implicit bit.
    public var precision: Int {
        switch self {
        case .f16: 11
        case .bf16: 8
        case .f32: 24
        case .f64: 53
        }
    }

    /// Exponent of the smallest normal number, MPFR convention (IEEE emin + 1).
    public var emin: Int {
        switch self {
        case .f16: -13
        case .bf16, .f32: -125
        case .f64: -1021
        }
    }

    /// Largest exponent, MPFR convention (IEEE emax + 1).
    public var emax: Int {
        switch self {
        case .f16: 16
        case .bf16, .f32: 128
        case .f64: 1024
        }
    }
}
