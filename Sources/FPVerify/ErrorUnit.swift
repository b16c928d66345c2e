import FPEval
import FPGraph
import FPNumerics
import Foundation

/// The unit an output's errors are measured in: the one place that decides it.
///
/// A float output is measured in ulps of its dtype, or of binary64 with
/// `--exec double` (everything was computed in binary64 then). An integer or
/// pred output is measured by the integer distance, whatever the execution
/// mode. A point's bits are `log2(1 + ulps)`, at most the unit's width.
public enum ErrorUnit: Sendable, Equatable {
    /// Ulps of a float format.
    case float(FloatFormat)
    /// The integer distance of an integer dtype of this many bits.
    case integer(bitWidth: Int)

    /// The unit of an output of `dtype` measured under `exec`.
    public init(dtype: DType, exec: ExecutionMode) {
        if !dtype.isFloatingPoint {
            self = .integer(bitWidth: dtype.bitWidth)
        } else {
            self = .float(exec == .double ? .f64 : FloatFormat(dtype: dtype))
        }
    }

    /// The float format results are rounded to before measuring (nil for integers).
    public var format: FloatFormat? {
        if case .float(let f) = self { return f }
        return nil
    }

    /// The largest number of bits of error a point can have: the format's or the dtype's width.
    public var bitWidth: Int {
        switch self {
        case .float(let f): return f.bitWidth
        case .integer(let w): return w
        }
    }

    /// `log2(1 + ulps)`, the bits of error of a point `ulps` away from the truth.
    public func bits(ulps: Double) -> Double {
        switch self {
        case .float(let f): return f.bitsOfError(ulps: ulps)
        case .integer(let w): return Swift.min(Double(w), log2(1 + ulps))
        }
    }

    /// How reports name the unit: the float format's name (`f32`, `f64`...)
    /// or, for integers, the output's dtype.
    public func name(dtype: DType) -> String {
        switch self {
        case .float(let f): return f == .f64 ? "f64" : dtype.rawValue
        case .integer: return dtype.rawValue
        }
    }
}
