import FPGraph
import FPNumerics

extension ComputationRunner {
    /// XLA `bitcast-convert` between same-width types: the bit pattern of each
    /// element read as the target dtype. A float's bits are those of its value
    /// rounded to its own dtype (in the truth too: the truth of a bit pattern
    /// is the pattern of the rounded value); integers' are their two's
    /// complement in their width. NaN payloads and signs are not modelled: a
    /// NaN reads as the positive quiet NaN (0x7fc00000, 0x7ff8000000000000).
    func evaluateBitcastConvert(
        _ x: Value<D.Buffer>, from source: DType, into y: Value<D.Buffer>, to target: DType, count: Int
    ) {
        switch (x, y) {
        case (.real, .real):
            copyValue(x, into: y, type: .array(target, [count]))
        case (.integer(let a), .integer(let b)):
            for i in 0..<count {
                b.values[i] = target.wrap(Int64(bitPattern: IntegerKernels.bits(a.values[i], source)))
            }
        case (.real(let a), .integer(let b)):
            let format = FloatFormat(dtype: source)
            for i in 0..<count {
                let v = domain.rounded(a, i, to: format)
                let bits: UInt64
                if v.isNaN {
                    bits = source == .f64 ? 0x7ff8_0000_0000_0000 : 0x7fc0_0000
                } else {
                    bits = source == .f64 ? v.bitPattern : UInt64(Float(v).bitPattern)
                }
                b.values[i] = target.wrap(Int64(bitPattern: bits))
            }
        case (.integer(let a), .real(let b)):
            domain.load(
                a.values.prefix(count).map { v in
                    let bits = IntegerKernels.bits(v, source)
                    return target == .f64
                        ? Double(bitPattern: bits) : Double(Float(bitPattern: UInt32(truncatingIfNeeded: bits)))
                }, into: b)
        default:
            return
        }
    }
}
