import FPGraph

/// The IEEE 754 totalOrder of binary64 values as signed integers:
/// −NaN < −∞ < … < −0 < +0 < … < +∞ < +NaN, every NaN of one sign equal
/// (payloads are not kept by every evaluator, so they do not order).
func totalOrderKey(_ x: Double) -> Int64 {
    if x.isNaN { return x.sign == .minus ? Int64.min : Int64.max }
    let bits = Int64(bitPattern: x.bitPattern)
    // Sign and magnitude to two's complement: -0 is -1, just below +0.
    return bits >= 0 ? bits : -(bits & Int64.max) - 1
}

extension ComparisonDirection {
    /// Whether `a (direction) b` holds for comparable values.
    func holds<T: Comparable>(_ a: T, _ b: T) -> Bool {
        switch self {
        case .eq: return a == b
        case .ne: return a != b
        case .lt: return a < b
        case .le: return a <= b
        case .gt: return a > b
        case .ge: return a >= b
        }
    }
}
