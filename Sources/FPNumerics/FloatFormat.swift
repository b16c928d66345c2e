/// A binary floating-point storage format that graph tensors can be declared in.
///
/// Every value of every format is exactly representable as a `Double`, so the
/// whole module passes values around as `Double` and uses the format only to
/// decide which doubles are admissible (see ``round(_:)``) and how they are
/// encoded (see ``bitPattern(_:)``).
///
/// Besides the IEEE 754 formats there are the 8-bit formats of ml_dtypes / XLA:
/// - `f8e5m2`, `f8e4m3`, `f8e3m4`: IEEE-like (infinities, NaNs with an all-ones
///   exponent, signed zeros), bias `2^(e-1) - 1`;
/// - `f8e4m3fn`: no infinities; only `S.1111.111` is NaN, so the all-ones
///   exponent holds normal numbers up to 448;
/// - `f8e4m3fnuz`, `f8e5m2fnuz`: no infinities and no negative zero; the only NaN
///   is `0x80`; bias `2^(e-1)`;
/// - `f8e4m3b11fnuz`: as `f8e4m3fnuz` with bias 11.
///
/// Overflow in rounding gives ±infinity where the format has infinities and
/// NaN otherwise (ml_dtypes' and XLA CPU's conversions).
public enum FloatFormat: String, CaseIterable, Sendable, Codable {
    /// IEEE 754 binary16 ("half"): 1 sign, 5 exponent, 10 fraction bits.
    case f16
    /// Google brain float 16: 1 sign, 8 exponent, 7 fraction bits (the top
    /// half of a binary32).
    case bf16
    /// IEEE 754 binary32 ("single"): 1 sign, 8 exponent, 23 fraction bits.
    case f32
    /// IEEE 754 binary64 ("double"): 1 sign, 11 exponent, 52 fraction bits.
    case f64
    /// 8-bit, 4 exponent and 3 fraction bits, no infinities, NaN `S.1111.111`, max 448.
    case f8e4m3fn
    /// 8-bit IEEE-like, 5 exponent and 2 fraction bits, max 57344.
    case f8e5m2
    /// 8-bit IEEE-like, 4 exponent and 3 fraction bits, max 240.
    case f8e4m3
    /// 8-bit IEEE-like, 3 exponent and 4 fraction bits, max 15.5.
    case f8e3m4
    /// 8-bit, 4 exponent and 3 fraction bits, bias 8, no infinities or -0, NaN 0x80, max 240.
    case f8e4m3fnuz
    /// 8-bit, 5 exponent and 2 fraction bits, bias 16, no infinities or -0, NaN 0x80, max 57344.
    case f8e5m2fnuz
    /// 8-bit, 4 exponent and 3 fraction bits, bias 11, no infinities or -0, NaN 0x80, max 30.
    case f8e4m3b11fnuz

    /// Creates a format from its short name (`f16`, `bf16`, `f32`, `f64`,
    /// `f8e4m3fn`, ...) or its long name (`float16`, `bfloat16`, `float32`,
    /// `float64`, `float8_e4m3fn`, ...).
    ///
    /// Matching ignores ASCII case and surrounding whitespace; any other
    /// spelling yields `nil`.
    public init?(name: String) {
        let lower = name.trimmingASCIIWhitespace().lowercased()
        switch lower {
        case "f16", "float16": self = .f16
        case "bf16", "bfloat16": self = .bf16
        case "f32", "float32": self = .f32
        case "f64", "float64": self = .f64
        default:
            let short = lower.hasPrefix("float8_") ? "f8" + lower.dropFirst(7) : lower
            guard let f = FloatFormat(rawValue: short) else { return nil }
            self = f
        }
    }

    /// Significand precision in bits, including the hidden leading bit
    /// (11, 8, 24, 53; 4 for the e4m3 types, 3 for e5m2, 5 for e3m4).
    public var precision: Int {
        switch self {
        case .f16: return 11
        case .bf16: return 8
        case .f32: return 24
        case .f64: return 53
        case .f8e4m3fn, .f8e4m3, .f8e4m3fnuz, .f8e4m3b11fnuz: return 4
        case .f8e5m2, .f8e5m2fnuz: return 3
        case .f8e3m4: return 5
        }
    }

    /// Number of stored fraction bits, `precision - 1` (10, 7, 23, 52).
    public var fractionBits: Int { precision - 1 }

    /// Width of the biased exponent field in bits (5, 8, 8, 11).
    public var exponentBits: Int {
        switch self {
        case .f16: return 5
        case .bf16, .f32: return 8
        case .f64: return 11
        case .f8e4m3fn, .f8e4m3, .f8e4m3fnuz, .f8e4m3b11fnuz: return 4
        case .f8e5m2, .f8e5m2fnuz: return 5
        case .f8e3m4: return 3
        }
    }

    /// Total storage width in bits (16, 16, 32, 64, or 8).
    public var bitWidth: Int { 1 + exponentBits + fractionBits }

    /// True when the format has infinities (all but the `fn` and `fnuz` f8 types).
    public var hasInfinities: Bool {
        switch self {
        case .f8e4m3fn, .f8e4m3fnuz, .f8e5m2fnuz, .f8e4m3b11fnuz: return false
        default: return true
        }
    }

    /// True when the format has a negative zero (all but the `fnuz` types).
    public var hasNegativeZero: Bool {
        switch self {
        case .f8e4m3fnuz, .f8e5m2fnuz, .f8e4m3b11fnuz: return false
        default: return true
        }
    }

    /// The exponent bias: `2^(exponentBits-1) - 1` for the IEEE-like formats
    /// and `f8e4m3fn`, one more for the `fnuz` types, 11 for `f8e4m3b11fnuz`.
    public var bias: Int {
        switch self {
        case .f8e4m3fnuz, .f8e5m2fnuz: return 1 << (exponentBits - 1)
        case .f8e4m3b11fnuz: return 11
        default: return (1 << (exponentBits - 1)) - 1
        }
    }

    /// Largest unbiased exponent of a finite value (15, 127, 127, 1023; 8 for
    /// `f8e4m3fn`, whose all-ones exponent holds finite values).
    public var emax: Int {
        let top = (1 << exponentBits) - 1
        switch self {
        case .f8e4m3fn, .f8e4m3fnuz, .f8e5m2fnuz, .f8e4m3b11fnuz: return top - bias
        default: return top - 1 - bias
        }
    }

    /// Smallest unbiased exponent of a normal value, `1 - bias`
    /// (-14, -126, -126, -1022).
    public var emin: Int { 1 - bias }

    /// Largest finite value, `(2 - 2^(1-precision)) * 2^emax` (65504 for
    /// f16), except `f8e4m3fn`, whose largest significand is `2 - 2^(2-precision)`
    /// because `S.1111.111` is NaN (448).
    public var maxFinite: Double {
        let topFraction = self == .f8e4m3fn ? 2 - precision : 1 - precision
        return Double(
            sign: .plus, exponent: emax,
            significand: 2 - Double(sign: .plus, exponent: topFraction, significand: 1))
    }

    /// Smallest positive normal value, `2^emin`.
    public var minNormal: Double { Double(sign: .plus, exponent: emin, significand: 1) }

    /// Smallest positive subnormal value, `2^(emin - precision + 1)`
    /// (`2^-24` for f16, `2^-1074` for f64).
    public var minSubnormal: Double {
        Double(sign: .plus, exponent: emin - fractionBits, significand: 1)
    }
}
