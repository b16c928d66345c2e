/// xoshiro256** (Blackman and Vigna, 2018): a fast, all-purpose 64-bit
/// generator with 256 bits of state and period `2^256 - 1`.
///
/// Seeded from one `UInt64` through ``SplitMix64``, as its authors
/// recommend, so nearby seeds give unrelated streams and the all-zero state
/// (the one state it must avoid) cannot arise: four consecutive SplitMix64
/// outputs are distinct because its output function is a bijection.
public struct Xoshiro256StarStar: RandomNumberGenerator, Sendable {
    private var s0, s1, s2, s3: UInt64

    /// Creates a generator whose state is the next four outputs of
    /// `SplitMix64(seed: seed)`.
    public init(seed: UInt64) {
        var seeder = SplitMix64(seed: seed)
        s0 = seeder.next()
        s1 = seeder.next()
        s2 = seeder.next()
        s3 = seeder.next()
    }

    /// Creates a generator with the given raw state, for reproducing the
    /// reference test vectors.
    ///
    /// - Precondition: not all four words are zero.
    public init(state: (UInt64, UInt64, UInt64, UInt64)) {
        precondition(state != (0, 0, 0, 0), "xoshiro256** state must not be all zero")
        (s0, s1, s2, s3) = state
    }

    /// The generator for one sample of one parameter: a function of
    /// `(seed, stream, index)` alone.
    ///
    /// Deriving a fresh generator per sample, instead of drawing samples in
    /// sequence from one generator, makes every value independent of the
    /// order and the thread in which samples are drawn, so parallel and
    /// serial runs (and runs that skip samples) see identical inputs. The
    /// three coordinates are chained through the SplitMix64 mix, which is a
    /// bijection at each step, so distinct streams and indices give
    /// unrelated states.
    ///
    /// - Parameters:
    ///   - seed: the run's seed.
    ///   - stream: identifies the parameter (e.g. its position in the graph).
    ///   - index: the sample number.
    public static func forSample(seed: UInt64, stream: UInt64, index: UInt64) -> Xoshiro256StarStar {
        let step = { (hash: UInt64, coordinate: UInt64) in
            SplitMix64.mix((hash ^ coordinate) &+ SplitMix64.increment)
        }
        return Xoshiro256StarStar(seed: step(step(step(0, seed), stream), index))
    }

    /// Returns the next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = (s1 &* 5).rotatedLeft(by: 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3.rotatedLeft(by: 45)
        return result
    }
}

extension UInt64 {
    /// The bits rotated left by `count` places (`0 < count < 64`).
    @inline(__always)
    func rotatedLeft(by count: UInt64) -> UInt64 {
        (self << count) | (self >> (64 - count))
    }
}
