import FPGraph
import FPNumerics

extension DType {
    /// The float format of a floating-point dtype; nil for pred and integers.
    var floatFormat: FloatFormat? { FloatFormat(name: rawValue) }
}
