/// The element type of a tensor.
///
/// Floating-point dtypes map onto ``FloatFormat`` (from FPNumerics); integer
/// dtypes wrap modulo their width; `pred` holds booleans.
public enum DType: String, CaseIterable, Hashable, Sendable, Codable {
    case pred, s32, s64, u8, u32, f16, bf16, f32, f64

    /// Parses a dtype name as written in our formats or in XLA HLO text.
    public init?(name: String) {
        switch name.lowercased() {
        case "pred", "bool", "i1": self = .pred
        case "s32", "i32", "int32": self = .s32
        case "s64", "i64", "int64": self = .s64
        case "u8", "uint8": self = .u8
        case "u32", "uint32": self = .u32
        case "f16", "float16", "half": self = .f16
        case "bf16", "bfloat16": self = .bf16
        case "f32", "float32", "float": self = .f32
        case "f64", "float64", "double": self = .f64
        default: return nil
        }
    }

    /// True for f16, bf16, f32 and f64.
    public var isFloatingPoint: Bool {
        switch self {
        case .f16, .bf16, .f32, .f64: return true
        default: return false
        }
    }

    /// True for the signed and unsigned integer dtypes (not `pred`).
    public var isInteger: Bool {
        switch self {
        case .s32, .s64, .u8, .u32: return true
        default: return false
        }
    }

    /// Width of one element in bits (`pred` counts as 8, as in XLA).
    public var bitWidth: Int {
        switch self {
        case .pred, .u8: return 8
        case .f16, .bf16: return 16
        case .s32, .u32, .f32: return 32
        case .s64, .f64: return 64
        }
    }

    /// The inclusive value range of an integer dtype (`pred` is 0...1).
    public var integerRange: ClosedRange<Int64>? {
        switch self {
        case .pred: return 0...1
        case .u8: return 0...255
        case .s32: return Int64(Int32.min)...Int64(Int32.max)
        case .u32: return 0...Int64(UInt32.max)
        case .s64: return Int64.min...Int64.max
        default: return nil
        }
    }

    /// Wraps an integer into this dtype's range, two's complement style, as
    /// integer arithmetic in XLA does. Identity for `s64`; `pred` maps non-zero to 1.
    public func wrap(_ value: Int64) -> Int64 {
        switch self {
        case .pred: return value != 0 ? 1 : 0
        case .u8: return Int64(UInt8(truncatingIfNeeded: value))
        case .s32: return Int64(Int32(truncatingIfNeeded: value))
        case .u32: return Int64(UInt32(truncatingIfNeeded: value))
        default: return value
        }
    }
}
