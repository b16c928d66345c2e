import FPGraph

/// Element copies shared by the data-movement kernels (broadcast, slice,
/// concatenate, pad, gather, ...) and the kernels that call computations on
/// scalars.
extension ComputationRunner {
    /// Stride of an elementwise operand: 0 for a scalar broadcast over `count` elements.
    @inline(__always)
    func stride(_ type: ArrayType, _ count: Int) -> Int { type.rank == 0 && count != 1 ? 0 : 1 }

    /// `y[i] = x[source[i]]`.
    func gather(_ x: Value<D.Buffer>, _ source: [Int], into y: Value<D.Buffer>) {
        switch (x, y) {
        case (.real(let a), .real(let b)):
            for (i, j) in source.enumerated() { domain.copyElement(from: a, j, to: b, i) }
        case (.integer(let a), .integer(let b)):
            for (i, j) in source.enumerated() { b.values[i] = a.values[j] }
        default:
            preconditionFailure("gather between different kinds of storage")
        }
    }

    /// `y[destinations[j]] = x[j]`, skipping negative destinations.
    func scatter(_ x: Value<D.Buffer>, _ destinations: [Int], into y: Value<D.Buffer>) {
        switch (x, y) {
        case (.real(let a), .real(let b)):
            for (j, i) in destinations.enumerated() where i >= 0 { domain.copyElement(from: a, j, to: b, i) }
        case (.integer(let a), .integer(let b)):
            for (j, i) in destinations.enumerated() where i >= 0 { b.values[i] = a.values[j] }
        default:
            preconditionFailure("scatter between different kinds of storage")
        }
    }

    /// Copies one element between two values of the same kind.
    func copyScalar(from x: Value<D.Buffer>, _ i: Int, to y: Value<D.Buffer>, _ j: Int) {
        switch (x, y) {
        case (.real(let a), .real(let b)): domain.copyElement(from: a, i, to: b, j)
        case (.integer(let a), .integer(let b)): b.values[j] = a.values[i]
        default: preconditionFailure("copy between different kinds of storage")
        }
    }
}
