/// The counter-based bit generators behind XLA's `rng-bit-generator`.
///
/// Both are from Salmon, Moraes, Dror and Shaw, "Parallel random numbers: as
/// easy as 1, 2, 3" (SC 2011), in the variants XLA's builder library
/// (`xla/hlo/builder/lib/prng.cc`) expands the op into.
public enum RandomBitAlgorithm: String, Sendable, Hashable, CaseIterable {
    /// Threefry-2x32 with 20 rounds. The state is `u64[2]`: `[key, counter]`.
    case threeFry
    /// Philox-4x32 with 10 rounds. The state is `u64[3]`
    /// (`[key, counter low, counter high]`) or `u64[2]` (`[key, counter low]`,
    /// where the key doubles as the counter's high word).
    case philox

    /// The algorithm XLA's CPU backend runs for `algorithm=rng_default`: Philox.
    ///
    /// The CPU compiler expands every `rng-bit-generator` with
    /// `RngBitGeneratorExpander(RandomAlgorithm::RNG_PHILOX)`, whose default
    /// replaces `RNG_DEFAULT` (the GPU compiler passes the same default). JAX on
    /// CPU confirms it: `RNG_DEFAULT` and `RNG_PHILOX` give identical states
    /// and bits.
    public static let xlaCPUDefault: RandomBitAlgorithm = .philox

    /// The state lengths (in `UInt64` words) XLA accepts for this algorithm:
    /// `[2]` for Threefry, `[2, 3]` for Philox. Any other length fails XLA's
    /// HLO verifier after the expander (or its slicing), so it is an error here.
    public var stateLengths: [Int] {
        switch self {
        case .threeFry: return [2]
        case .philox: return [2, 3]
        }
    }

    /// The algorithm an HLO attribute names, with `rng_default` resolved as
    /// XLA CPU resolves it (``xlaCPUDefault``).
    ///
    /// Accepts the HLO text spellings `rng_default`, `rng_three_fry` and
    /// `rng_philox`, and the StableHLO ones `DEFAULT`, `THREE_FRY` and `PHILOX`;
    /// returns `nil` for anything else.
    public init?(xlaName: String) {
        switch xlaName {
        case "rng_default", "DEFAULT": self = Self.xlaCPUDefault
        case "rng_three_fry", "THREE_FRY": self = .threeFry
        case "rng_philox", "PHILOX": self = .philox
        default: return nil
        }
    }
}

/// The two results of one `rng-bit-generator`: the state to pass to the next
/// call and the generated elements.
public struct RandomBits: Equatable, Sendable {
    /// The new state, as long as the initial one.
    public var state: [UInt64]
    /// One entry per output element in row-major order, each holding the
    /// element's bit pattern in its low `bitWidth` bits (the rest are zero).
    public var bits: [UInt64]

    /// Creates a result from its two parts.
    public init(state: [UInt64], bits: [UInt64]) {
        self.state = state
        self.bits = bits
    }
}

/// XLA CPU's `rng-bit-generator`, bit for bit.
///
/// The op is a pure function of its state: `(new state, bits) = f(state)`.
/// The state's first word is the key and the following word(s) a counter; the
/// key is carried through unchanged and the counter advances by the number of
/// generator blocks used. How elements map to counters depends on the
/// algorithm and on the element width:
///
/// * **Threefry, 64-bit elements:** element `i` (row-major) is the block at
///   counter `c + i`, low word first: `x0 | x1 << 32`. The counter advances by
///   the element count.
/// * **Threefry, 8-, 16- and 32-bit elements:** every block gives two adjacent
///   elements along one *split* dimension (the first of even size, else the
///   first of maximal size), so the fill depends on the shape, not only on the
///   element count. Counters run row-major over the shape with that dimension
///   halved (rounded up); the counter advances by that halved element count.
/// * **Philox, 8-, 16- and 32-bit elements:** block `j` (counter `c + j`, a
///   128-bit addition) gives elements `4j ..< 4j + 4`, one per word; the
///   counter advances by `⌈n / 4⌉`.
/// * **Philox, 64-bit elements:** block `j` gives elements `2j` (`w0 | w1 << 32`)
///   and `2j + 1` (`w2 | w3 << 32`); the counter advances by `⌈n / 2⌉`.
///
/// Elements narrower than 32 bits are the low 8 or 16 bits of the 32-bit
/// element at the same position (XLA converts `u32` to the narrow type, which
/// truncates), and the state advances as for 32-bit elements.
public enum RandomBitGenerator {
    /// Runs `rng-bit-generator` as XLA CPU computes it.
    ///
    /// ```swift
    /// let r = try RandomBitGenerator.generate(.philox, state: [1, 2], bitWidth: 32, shape: [2, 3])
    /// // r.state == [1, 4]; r.bits.count == 6
    /// ```
    ///
    /// - Parameters:
    ///   - algorithm: the generator; resolve `rng_default` with
    ///     ``RandomBitAlgorithm/init(xlaName:)`` or
    ///     ``RandomBitAlgorithm/xlaCPUDefault``.
    ///   - state: the initial state, `u64[2]` for Threefry and `u64[2]` or
    ///     `u64[3]` for Philox (see ``RandomBitAlgorithm``).
    ///   - bitWidth: the output element width: 8, 16, 32 or 64. Signedness and
    ///     floating-point types reinterpret the same bits.
    ///   - shape: the output dimensions (`[]` for a scalar). Threefry's fill
    ///     depends on them, not only on their product.
    /// - Returns: the new state and the output bit patterns in row-major order.
    /// - Throws: ``RandomBitGeneratorError`` for a state length the algorithm
    ///   does not accept, a width other than 8, 16, 32 or 64, a negative
    ///   dimension, or an element count that does not fit in `Int`.
    public static func generate(
        _ algorithm: RandomBitAlgorithm, state: [UInt64], bitWidth: Int, shape: [Int]
    ) throws(RandomBitGeneratorError) -> RandomBits {
        guard algorithm.stateLengths.contains(state.count) else {
            throw .unsupportedStateLength(
                algorithm: algorithm, length: state.count, supported: algorithm.stateLengths)
        }
        guard [8, 16, 32, 64].contains(bitWidth) else { throw .unsupportedBitWidth(bitWidth) }
        if let index = shape.firstIndex(where: { $0 < 0 }) {
            throw .negativeDimension(shape: shape, index: index)
        }
        var count = 1
        for size in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: size)
            guard !overflow else { throw .tooManyElements(shape: shape) }
            count = product
        }
        // Philox's 64-bit path asks for twice as many 32-bit words.
        guard count <= Int.max / 4 else { throw .tooManyElements(shape: shape) }

        var result: RandomBits
        switch (algorithm, bitWidth) {
        case (.threeFry, 64): result = threeFryWide(state: state, count: count)
        case (.threeFry, _): result = threeFryNarrow(state: state, shape: shape, count: count)
        case (.philox, 64): result = philoxWide(state: state, count: count)
        case (.philox, _): result = philoxNarrow(state: state, count: count)
        }
        if bitWidth < 32 {
            let mask: UInt64 = (1 << UInt64(bitWidth)) - 1
            for i in result.bits.indices { result.bits[i] &= mask }
        }
        return result
    }
}
