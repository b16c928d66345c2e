import FPGraph
import FPNumerics

/// XLA `rng-bit-generator`: the new state and the bits from FPNumerics'
/// ``RandomBitGenerator``, an exact integer function of the u64 state, so
/// every evaluator computes the same. Float outputs read each bit pattern as
/// a value of their dtype (the MPFR truth holds that value exactly).
struct RngBitGeneratorKernel: NodeKernel {
    let algorithm: RandomBitAlgorithm
    let output: ArrayType

    func ownsStorage<D: RealDomain>(_ node: NodeContext<D>) -> Bool { true }

    /// - Throws: ``EvaluationError/invalidOperands(node:message:)`` for a state the algorithm rejects.
    func evaluate<D: RealDomain>(_ node: NodeContext<D>) throws -> Value<D.Buffer> {
        let storage = try node.storage()
        let name = node.node.name
        let domain = node.domain
        let state = try node.operand(0)
        let words = state.integer.values.map { UInt64(bitPattern: $0) }
        let result: RandomBits
        do {
            result = try RandomBitGenerator.generate(
                algorithm, state: words, bitWidth: output.dtype.bitWidth, shape: output.dimensions)
        } catch {
            throw EvaluationError.invalidOperands(node: name, message: error.description)
        }
        guard case .tuple(let parts) = storage, parts.count == 2 else { throw node.missing() }
        parts[0].integer.values = result.state.map { Int64(bitPattern: $0) }
        switch parts[1] {
        case .integer(let bits):
            bits.values = result.bits.map { output.dtype.wrap(Int64(bitPattern: $0)) }
        case .real(let bits):
            let format = FloatFormat(dtype: output.dtype)
            domain.load(result.bits.map { format.value(bitPattern: $0) }, into: bits)
        case .tuple:
            throw node.missing()
        }
        return storage
    }
}
