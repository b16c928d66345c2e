import FPNumerics

/// XLA `rng-bit-generator(state)`: a u64 state of the algorithm's length; the
/// tuple (new state, random bits of type `output`).
struct RngBitGeneratorRule: OpRule {
    /// The generator.
    let algorithm: RandomBitAlgorithm
    /// The type of the random bits.
    let output: ArrayType

    var name: String { "rng-bit-generator" }
    var calledComputations: [String] { [] }

    func inferType(_ c: Context) throws -> ValueType {
        try c.arity(1)
        let state = try c.array(0)
        guard state.dtype == .u64, state.rank == 1, algorithm.stateLengths.contains(state.dimensions[0]) else {
            let lengths = algorithm.stateLengths.map { "u64[\($0)]" }.joined(separator: " or ")
            let name = algorithm == .threeFry ? "three_fry" : "philox"
            throw c.mismatch("rng-bit-generator (\(name)) needs a state of \(lengths), got \(state)")
        }
        guard output.dtype != .pred, [8, 16, 32, 64].contains(output.dtype.bitWidth) else {
            throw c.invalid("rng-bit-generator cannot produce \(output.dtype.rawValue) elements")
        }
        return .tuple([.array(state), .array(output)])
    }

    func work(at site: WorkSite) -> Double { site.elements }
    var writesResult: Bool { true }
    var canonicalText: String { "rng-bit-generator \(algorithm.rawValue) \(output)" }
    func reductionDepth(at site: DepthSite) -> Int { 0 }
    var roundsInReducer: Bool { false }
    /// An exact integer function of its state: no local rounding.
    var isLocalErrorSite: Bool { false }
    var valueFlow: ValueFlow { .other }
}
