/// SplitMix64 (Steele, Lea and Flood, 2014): a tiny 64-bit generator with a
/// Weyl-sequence state and a strong output mix.
///
/// Used here to expand one 64-bit seed into the state of
/// ``Xoshiro256StarStar`` and to hash sample coordinates; it is also a valid
/// (if statistically weaker) generator on its own.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The Weyl-sequence state; advanced by the golden-ratio increment on
    /// every draw.
    public private(set) var state: UInt64

    /// The increment of the Weyl sequence: `2^64 / φ`, rounded to odd.
    static let increment: UInt64 = 0x9E37_79B9_7F4A_7C15

    /// Creates a generator whose first output is `SplitMix64.mix(seed + increment)`.
    public init(seed: UInt64) { state = seed }

    /// Advances the state and returns its mix.
    public mutating func next() -> UInt64 {
        state &+= Self.increment
        return Self.mix(state)
    }

    /// The SplitMix64 output function: a bijection of `UInt64` that spreads
    /// every input bit over every output bit (a variant of the MurmurHash3
    /// finalizer).
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
