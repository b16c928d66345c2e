import FPGraph

/// `reduce-precision(exponentBits, mantissaBits)`: rounds to a narrower format
/// in a domain that rounds conversions; elsewhere (double mode, the MPFR
/// truth) the identity, aliasing its operand.
struct ReducePrecisionKernel: NodeKernel {
    let exponentBits: Int
    let mantissaBits: Int

    func ownsStorage<D: RealDomain>(_ node: NodeContext<D>) -> Bool { node.domain.roundsConversions }

    func evaluate<D: RealDomain>(_ node: NodeContext<D>) throws -> Value<D.Buffer> {
        let x = try node.operand(0)
        guard let y = node.ownedStorage else { return x }  // the identity
        node.domain.reducePrecision(
            x.real, exponentBits: exponentBits, mantissaBits: mantissaBits, into: y.real,
            count: try node.resultType().elementCount)
        return y
    }
}
