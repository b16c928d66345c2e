import FPGraph

/// `convert`: conversions between any two dtypes. Float to integer truncates
/// toward zero, saturates to the target range and maps NaN to 0; to pred it is
/// `x != 0`. Integer to integer wraps; integer to float rounds as the domain
/// does. A float-to-float convert in a domain that does not round conversions
/// (double mode, the MPFR truth) is the identity and aliases its operand.
struct ConvertKernel: NodeKernel {
    func ownsStorage<D: RealDomain>(_ node: NodeContext<D>) -> Bool {
        guard let source = node.operandTypes().first??.dtype, let target = node.node.type.arrayType?.dtype else {
            return true  // evaluate reports the missing type
        }
        return !(source.isFloatingPoint && target.isFloatingPoint && !node.domain.roundsConversions)
    }

    func evaluate<D: RealDomain>(_ node: NodeContext<D>) throws -> Value<D.Buffer> {
        let x = try node.operand(0)
        guard let y = node.ownedStorage else { return x }  // an identity convert
        guard let source = node.operandTypes().first ?? nil else { throw node.missing() }
        let type = try node.resultType()
        let domain = node.domain
        let count = type.elementCount
        let (s, t) = (source.dtype, type.dtype)
        switch (s.isFloatingPoint, t.isFloatingPoint) {
        case (true, true):
            domain.convert(x.real, from: s, to: t, into: y.real, count: count)
        case (false, true) where s == .u64:
            domain.loadUnsignedIntegers(x.integer.values.map { UInt64(bitPattern: $0) }, dtype: t, into: y.real)
        case (false, true):
            domain.loadIntegers(x.integer.values, dtype: t, into: y.real)
        case (true, false):
            let xs = x.real
            for i in 0..<count {
                if t == .pred {
                    y.integer.values[i] = domain.isNonZero(xs, i) ? 1 : 0
                } else if t == .u64 {
                    y.integer.values[i] = Int64(bitPattern: domain.truncatedUnsigned(xs, i) ?? 0)
                } else if let v = domain.truncatedInteger(xs, i), let range = t.integerRange {
                    y.integer.values[i] = Swift.min(Swift.max(v, range.lowerBound), range.upperBound)
                } else {
                    y.integer.values[i] = 0
                }
            }
        case (false, false):
            let xs = x.integer.values
            for i in 0..<count { y.integer.values[i] = t.wrap(xs[i]) }
        }
        return y
    }
}
