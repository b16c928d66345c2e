import FPGraph
import FPNumerics

extension ComputationRunner {
    /// XLA `rng-bit-generator`: the new state and the bits from FPNumerics'
    /// ``RandomBitGenerator``, an exact integer function of the u64 state, so
    /// every evaluator computes the same. Float outputs read each bit pattern as
    /// a value of their dtype (the MPFR truth holds that value exactly).
    func evaluateRandomBits(
        _ name: String, _ algorithm: RandomBitAlgorithm, _ state: Value<D.Buffer>, output: ArrayType,
        into storage: Value<D.Buffer>
    ) throws {
        let words = state.integer.values.map { UInt64(bitPattern: $0) }
        let result: RandomBits
        do {
            result = try RandomBitGenerator.generate(
                algorithm, state: words, bitWidth: output.dtype.bitWidth, shape: output.dimensions)
        } catch {
            throw EvaluationError.invalidOperands(node: name, message: error.description)
        }
        let parts = storage.elements
        parts[0].integer.values = result.state.map { Int64(bitPattern: $0) }
        switch parts[1] {
        case .integer(let bits):
            bits.values = result.bits.map { output.dtype.wrap(Int64(bitPattern: $0)) }
        case .real(let bits):
            let format = FloatFormat(dtype: output.dtype)
            domain.load(result.bits.map { format.value(bitPattern: $0) }, into: bits)
        case .tuple:
            throw EvaluationError.missingPlan(node: name, op: "rng-bit-generator")
        }
    }
}
