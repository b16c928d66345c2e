import FPGraph

/// `constant`: its literal, loaded once into its own storage when the runner
/// is made (floats as the domain stores them, integers converted to a float
/// dtype as the domain rounds; elements that keep a decimal literal as the
/// domain stores that real, ``RealDomain/load(_:literals:into:)``).
struct ConstantKernel: NodeKernel {
    let literal: Tensor

    func ownsStorage<D: RealDomain>(_ node: NodeContext<D>) -> Bool { true }

    func prepare<D: RealDomain>(_ node: NodeContext<D>) -> KernelState<D> {
        guard let storage = try? node.storage() else { return .none }
        let domain = node.domain
        let dtype = literal.type.dtype
        switch (literal.elements, storage) {
        case (.floats(let v), .real(let b)):
            // A decimal literal that is not a value of the dtype denotes the real written.
            if let literals = literal.literals {
                domain.load(v, literals: literals, into: b)
            } else {
                domain.load(v, into: b)
            }
        case (.integers(let v), .integer(let b)): b.values = v
        case (.integers(let v), .real(let b)): domain.loadIntegers(v, dtype: dtype, into: b)
        case (.floats(let v), .integer(let b)): b.values = v.map { Int64($0) }
        case (_, .tuple): break  // reported by evaluate
        }
        return .none
    }

    func evaluate<D: RealDomain>(_ node: NodeContext<D>) throws -> Value<D.Buffer> {
        let storage = try node.storage()
        if case .tuple = storage { throw node.missing() }  // a literal is an array
        return storage
    }
}
