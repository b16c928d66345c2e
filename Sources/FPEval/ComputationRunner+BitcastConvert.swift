import FPGraph
import FPNumerics

extension ComputationRunner {
    /// XLA `bitcast-convert` between same-width types: the bit pattern of each
    /// element read as the target dtype. A float's bits are those of its value
    /// rounded to its own dtype (in the truth too: the truth of a bit pattern
    /// is the pattern of the rounded value); integers' are their two's
    /// complement in their width. NaN payloads and signs are not modelled: a
    /// NaN reads as the positive quiet NaN (0x7fc00000, 0x7ff8000000000000; 0x7f in
    /// f8e4m3fn, 0x80 in the fnuz types).
    func evaluateBitcastConvert(
        _ x: Value<D.Buffer>, from source: DType, into y: Value<D.Buffer>, to target: DType, count: Int
    ) {
        switch (x, y) {
        case (.real, .real) where source == target:
            copyValue(x, into: y, type: .array(target, [count]))
        case (.real(let a), .real(let b)):
            let (sf, tf) = (FloatFormat(dtype: source), FloatFormat(dtype: target))
            domain.load(
                (0..<count).map { tf.value(bitPattern: Self.floatBits(domain.rounded(a, $0, to: sf), sf)) }, into: b)
        case (.integer(let a), .integer(let b)):
            for i in 0..<count {
                b.values[i] = target.wrap(Int64(bitPattern: IntegerKernels.bits(a.values[i], source)))
            }
        case (.real(let a), .integer(let b)):
            let format = FloatFormat(dtype: source)
            for i in 0..<count {
                let bits = Self.floatBits(domain.rounded(a, i, to: format), format)
                b.values[i] = target.wrap(Int64(bitPattern: bits))
            }
        case (.integer(let a), .real(let b)):
            let format = FloatFormat(dtype: target)
            domain.load(
                a.values.prefix(count).map { format.value(bitPattern: IntegerKernels.bits($0, source)) }, into: b)
        default:
            return
        }
    }

    /// The bits of `v` (a value of `format`); every NaN reads as the format's
    /// positive quiet NaN.
    static func floatBits(_ v: Double, _ format: FloatFormat) -> UInt64 {
        format.bitPattern(v.isNaN ? .nan : v)
    }
}
