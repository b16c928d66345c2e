import FPGraph
import FPNumerics

/// XLA `bitcast-convert`: each element's bit pattern read as another dtype of
/// the same width, or packed into wider / split into narrower elements
/// (``convert(_:_:from:into:to:count:)``).
struct BitcastConvertKernel: NodeKernel {
    func ownsStorage<D: RealDomain>(_ node: NodeContext<D>) -> Bool { true }

    func evaluate<D: RealDomain>(_ node: NodeContext<D>) throws -> Value<D.Buffer> {
        let y = try node.storage()
        guard let source = node.operandTypes().first ?? nil else { throw node.missing() }
        let type = try node.resultType()
        convert(
            node.runner, try node.operand(0), from: source.dtype, into: y, to: type.dtype, count: type.elementCount)
        return y
    }
}

extension BitcastConvertKernel {
    /// XLA `bitcast-convert` between same-width types: the bit pattern of each
    /// element read as the target dtype. A float's bits are those of its value
    /// rounded to its own dtype (in the truth too: the truth of a bit pattern
    /// is the pattern of the rounded value); integers' are their two's
    /// complement in their width. NaN payloads and signs are not modelled: a
    /// NaN reads as the positive quiet NaN (0x7fc00000, 0x7ff8000000000000; 0x7f in
    /// f8e4m3fn, 0x80 in the fnuz types).
    func convert<D: RealDomain>(
        _ runner: ComputationRunner<D>, _ x: Value<D.Buffer>, from source: DType, into y: Value<D.Buffer>,
        to target: DType, count: Int
    ) {
        let domain = runner.domain
        if source.bitWidth != target.bitWidth {
            evaluateWideningOrNarrowing(runner, x, from: source, into: y, to: target, count: count)
            return
        }
        switch (x, y) {
        case (.real, .real) where source == target:
            runner.copyValue(x, into: y, type: .array(target, [count]))
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

    /// A bitcast-convert between widths, little-endian as XLA CPU lays out
    /// memory: a wider target element packs `ratio` consecutive source elements
    /// (the first in the low bits); a narrower one is one `ratio`-th of a source
    /// element, low part first. `count` is the number of target elements.
    private func evaluateWideningOrNarrowing<D: RealDomain>(
        _ runner: ComputationRunner<D>, _ x: Value<D.Buffer>, from source: DType, into y: Value<D.Buffer>,
        to target: DType, count: Int
    ) {
        let domain = runner.domain
        let (sw, tw) = (source.bitWidth, target.bitWidth)
        let sourceCount = count * tw / sw
        var sourceBits = [UInt64](repeating: 0, count: sourceCount)
        switch x {
        case .integer(let a):
            for i in 0..<sourceCount { sourceBits[i] = IntegerKernels.bits(a.values[i], source) }
        case .real(let a):
            let format = FloatFormat(dtype: source)
            for i in 0..<sourceCount { sourceBits[i] = Self.floatBits(domain.rounded(a, i, to: format), format) }
        case .tuple:
            return
        }
        var targetBits = [UInt64](repeating: 0, count: count)
        if tw > sw {
            let ratio = tw / sw
            for j in 0..<count {
                for k in 0..<ratio { targetBits[j] |= sourceBits[j * ratio + k] << UInt64(k * sw) }
            }
        } else {
            let ratio = sw / tw
            let mask: UInt64 = tw == 64 ? .max : (1 << UInt64(tw)) - 1
            for j in 0..<count { targetBits[j] = (sourceBits[j / ratio] >> UInt64((j % ratio) * tw)) & mask }
        }
        switch y {
        case .integer(let b):
            b.values = targetBits.map { target.wrap(Int64(bitPattern: $0)) }
        case .real(let b):
            let format = FloatFormat(dtype: target)
            domain.load(targetBits.map { format.value(bitPattern: $0) }, into: b)
        case .tuple:
            return
        }
    }

    /// The bits of `v` (a value of `format`); every NaN reads as the format's
    /// positive quiet NaN.
    static func floatBits(_ v: Double, _ format: FloatFormat) -> UInt64 {
        format.bitPattern(v.isNaN ? .nan : v)
    }
}
