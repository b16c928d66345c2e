/// A binary floating-point storage format that graph tensors can be declared in.
///
/// Every value of every format is exactly representable as a `Double`, so the
/// whole module passes values around as `Double` and uses the format only to
/// decide which doubles are admissible (see ``round(_:)``) and how they are
/// encoded (see ``bitPattern(_:)``).
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

    /// Creates a format from its short name (`f16`, `bf16`, `f32`, `f64`) or
    /// its long name (`float16`, `bfloat16`, `float32`, `float64`).
    ///
    /// Matching ignores ASCII case and surrounding whitespace; any other
    /// spelling yields `nil`.
    public init?(name: String) {
        switch name.trimmingASCIIWhitespace().lowercased() {
        case "f16", "float16": self = .f16
        case "bf16", "bfloat16": self = .bf16
        case "f32", "float32": self = .f32
        case "f64", "float64": self = .f64
        default: return nil
        }
    }

    /// Significand precision in bits, including the hidden leading bit
    /// (11, 8, 24, 53).
    public var precision: Int {
        switch self {
        case .f16: return 11
        case .bf16: return 8
        case .f32: return 24
        case .f64: return 53
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
        }
    }

    /// Total storage width in bits (16, 16, 32, 64).
    public var bitWidth: Int { 1 + exponentBits + fractionBits }

    /// Largest unbiased exponent of a finite value (15, 127, 127, 1023).
    public var emax: Int { (1 << (exponentBits - 1)) - 1 }

    /// Smallest unbiased exponent of a normal value, `1 - emax`
    /// (-14, -126, -126, -1022).
    public var emin: Int { 1 - emax }

    /// Largest finite value, `(2 - 2^(1-precision)) * 2^emax`
    /// (65504 for f16).
    public var maxFinite: Double {
        Double(
            sign: .plus, exponent: emax, significand: 2 - Double(sign: .plus, exponent: 1 - precision, significand: 1))
    }

    /// Smallest positive normal value, `2^emin`.
    public var minNormal: Double { Double(sign: .plus, exponent: emin, significand: 1) }

    /// Smallest positive subnormal value, `2^(emin - precision + 1)`
    /// (`2^-24` for f16, `2^-1074` for f64).
    public var minSubnormal: Double {
        Double(sign: .plus, exponent: emin - fractionBits, significand: 1)
    }
}
