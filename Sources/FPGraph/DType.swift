/// The element type of a tensor.
///
/// Floating-point dtypes map onto ``FloatFormat`` (from FPNumerics); integer
/// dtypes wrap modulo their width; `pred` holds booleans.
///
/// Integer elements are stored as `Int64`: the value itself for every integer
/// dtype narrower than 64 bits and for `s64`, and for `u64` the two's-complement
/// bit pattern (so 2^64 - 1 is stored as -1). Every operation whose result
/// depends on signedness (compare, divide, remainder, min/max, shifts, convert,
/// sort, printing and parsing) reads a `u64` element as `UInt64(bitPattern:)`;
/// see ``isUnsigned`` and ``integerText(_:)``.
public enum DType: String, CaseIterable, Hashable, Sendable, Codable {
    case pred, s8, s16, s32, s64, u8, u16, u32, u64
    case f16, bf16, f32, f64
    case f8e4m3fn, f8e5m2, f8e4m3, f8e3m4, f8e4m3fnuz, f8e5m2fnuz, f8e4m3b11fnuz

    /// Parses a dtype name as written in our formats or in XLA HLO text.
    public init?(name: String) {
        let lower = name.lowercased()
        switch lower {
        case "pred", "bool", "i1": self = .pred
        case "s8", "i8", "int8": self = .s8
        case "s16", "i16", "int16": self = .s16
        case "s32", "i32", "int32": self = .s32
        case "s64", "i64", "int64": self = .s64
        case "u8", "uint8", "ui8": self = .u8
        case "u16", "uint16", "ui16": self = .u16
        case "u32", "uint32", "ui32": self = .u32
        case "u64", "uint64", "ui64": self = .u64
        case "f16", "float16", "half": self = .f16
        case "bf16", "bfloat16": self = .bf16
        case "f32", "float32", "float": self = .f32
        case "f64", "float64", "double": self = .f64
        case "float8_e4m3fn": self = .f8e4m3fn
        case "float8_e5m2": self = .f8e5m2
        case "float8_e4m3": self = .f8e4m3
        case "float8_e3m4": self = .f8e3m4
        case "float8_e4m3fnuz": self = .f8e4m3fnuz
        case "float8_e5m2fnuz": self = .f8e5m2fnuz
        case "float8_e4m3b11fnuz": self = .f8e4m3b11fnuz
        default:
            guard let d = DType(rawValue: lower) else { return nil }
            self = d
        }
    }

    /// True for the floating-point dtypes (f16, bf16, f32, f64 and the f8 types).
    public var isFloatingPoint: Bool {
        switch self {
        case .f16, .bf16, .f32, .f64: return true
        case .f8e4m3fn, .f8e5m2, .f8e4m3, .f8e3m4, .f8e4m3fnuz, .f8e5m2fnuz, .f8e4m3b11fnuz: return true
        case .pred, .s8, .s16, .s32, .s64, .u8, .u16, .u32, .u64: return false
        }
    }

    /// True for the 8-bit float dtypes, which XLA computes in f16 (see docs/semantics.md).
    public var isFloat8: Bool { isFloatingPoint && bitWidth == 8 }

    /// True for the signed and unsigned integer dtypes (not `pred`).
    public var isInteger: Bool {
        switch self {
        case .s8, .s16, .s32, .s64, .u8, .u16, .u32, .u64: return true
        case .pred, .f16, .bf16, .f32, .f64: return false
        case .f8e4m3fn, .f8e5m2, .f8e4m3, .f8e3m4, .f8e4m3fnuz, .f8e5m2fnuz, .f8e4m3b11fnuz: return false
        }
    }

    /// True for `pred` and the unsigned integer dtypes.
    public var isUnsigned: Bool {
        switch self {
        case .pred, .u8, .u16, .u32, .u64: return true
        case .s8, .s16, .s32, .s64, .f16, .bf16, .f32, .f64: return false
        case .f8e4m3fn, .f8e5m2, .f8e4m3, .f8e3m4, .f8e4m3fnuz, .f8e5m2fnuz, .f8e4m3b11fnuz: return false
        }
    }

    /// Width of one element in bits (`pred` counts as 8, as in XLA).
    public var bitWidth: Int {
        switch self {
        case .pred, .s8, .u8: return 8
        case .f8e4m3fn, .f8e5m2, .f8e4m3, .f8e3m4, .f8e4m3fnuz, .f8e5m2fnuz, .f8e4m3b11fnuz: return 8
        case .s16, .u16, .f16, .bf16: return 16
        case .s32, .u32, .f32: return 32
        case .s64, .u64, .f64: return 64
        }
    }

    /// The inclusive range of the stored `Int64` of an integer dtype (`pred` is
    /// 0...1). For `u64` every `Int64` is a valid stored bit pattern, so the
    /// range is all of `Int64`; use ``integerRangeText`` to describe the values.
    public var integerRange: ClosedRange<Int64>? {
        switch self {
        case .pred: return 0...1
        case .s8: return Int64(Int8.min)...Int64(Int8.max)
        case .s16: return Int64(Int16.min)...Int64(Int16.max)
        case .u8: return 0...255
        case .u16: return 0...Int64(UInt16.max)
        case .s32: return Int64(Int32.min)...Int64(Int32.max)
        case .u32: return 0...Int64(UInt32.max)
        case .s64, .u64: return Int64.min...Int64.max
        case .f16, .bf16, .f32, .f64: return nil
        case .f8e4m3fn, .f8e5m2, .f8e4m3, .f8e3m4, .f8e4m3fnuz, .f8e5m2fnuz, .f8e4m3b11fnuz: return nil
        }
    }

    /// The value range of an integer dtype as text, e.g. `-128...127` or
    /// `0...18446744073709551615`; nil for floats.
    public var integerRangeText: String? {
        if self == .u64 { return "0...\(UInt64.max)" }
        return integerRange.map { "\($0.lowerBound)...\($0.upperBound)" }
    }

    /// The range integer inputs of this dtype are sampled from: the value range,
    /// except `u64`, which samples `0...Int64.max` (distribution bounds are `Int64`).
    public var samplingRange: ClosedRange<Int64>? {
        self == .u64 ? 0...Int64.max : integerRange
    }

    /// The stored element for decimal integer `text` (optional `-`, digits), or
    /// nil when the text is not an integer or the value is out of this dtype's
    /// range. `u64` accepts 0...2^64-1 and stores the bit pattern.
    public func parseInteger(_ text: Substring) -> Int64? {
        if self == .u64 {
            return UInt64(text).map { Int64(bitPattern: $0) }
        }
        guard let v = Int64(text), let range = integerRange, range.contains(v) else { return nil }
        return v
    }

    /// The decimal text of stored element `v`: `u64` prints its unsigned value.
    public func integerText(_ v: Int64) -> String {
        self == .u64 ? String(UInt64(bitPattern: v)) : String(v)
    }

    /// Wraps an integer into this dtype's range, two's complement style, as
    /// integer arithmetic in XLA does. Identity for `s64` and `u64` (whose
    /// stored form is the 64-bit pattern); `pred` maps non-zero to 1.
    public func wrap(_ value: Int64) -> Int64 {
        switch self {
        case .pred: return value != 0 ? 1 : 0
        case .s8: return Int64(Int8(truncatingIfNeeded: value))
        case .s16: return Int64(Int16(truncatingIfNeeded: value))
        case .u8: return Int64(UInt8(truncatingIfNeeded: value))
        case .u16: return Int64(UInt16(truncatingIfNeeded: value))
        case .s32: return Int64(Int32(truncatingIfNeeded: value))
        case .u32: return Int64(UInt32(truncatingIfNeeded: value))
        case .s64, .u64, .f16, .bf16, .f32, .f64: return value
        case .f8e4m3fn, .f8e5m2, .f8e4m3, .f8e3m4, .f8e4m3fnuz, .f8e5m2fnuz, .f8e4m3b11fnuz: return value
        }
    }
}
