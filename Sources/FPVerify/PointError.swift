import FPNumerics
import Foundation

/// The error of one result element against its truth.
public struct PointError: Sendable, Equatable {
    /// Ordinal distance in the measuring format (maximal for a finiteness mismatch).
    public var ulps: Double
    /// `log2(1 + ulps)`.
    public var bits: Double
    /// `|result - truth| / |truth|` in binary64 (infinite when the truth is 0 and
    /// the result is not; 0 when both are equal; NaN-free: mismatches count as infinite).
    public var relative: Double
    /// `|result - truth|` in binary64 (infinite on a finiteness mismatch).
    public var absolute: Double
    /// The result is non-finite where the truth is finite, or the reverse.
    public var finitenessMismatch: Bool

    /// Measures `result` against `truth`, both exactly representable in `format`.
    public static func measure(_ result: Double, truth: Double, in format: FloatFormat) -> PointError {
        let ulps = format.ulpDistance(result, truth)
        let mismatch = result.isFinite != truth.isFinite
        let absolute: Double
        let relative: Double
        if result.isNaN && truth.isNaN || result == truth {
            absolute = 0
            relative = 0
        } else if mismatch || result.isNaN || truth.isNaN {
            absolute = .infinity
            relative = .infinity
        } else {
            absolute = Swift.abs(result - truth)
            relative = truth == 0 ? .infinity : absolute / Swift.abs(truth)
        }
        return PointError(
            ulps: ulps, bits: format.bitsOfError(ulps: ulps), relative: relative, absolute: absolute,
            finitenessMismatch: mismatch)
    }

    /// Integer and pred outputs: the distance is the integer difference.
    public static func measureInteger(_ result: Double, truth: Double, bitWidth: Int) -> PointError {
        let ulps = Swift.abs(result - truth)
        let bits = Swift.min(Double(bitWidth), log2(1 + ulps))
        return PointError(
            ulps: ulps, bits: bits, relative: truth == 0 ? (ulps == 0 ? 0 : .infinity) : ulps / Swift.abs(truth),
            absolute: ulps, finitenessMismatch: false)
    }
}
