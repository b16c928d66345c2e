// Threefry-2x32 as XLA's `rng-bit-generator` uses it: state `[key, counter]`,
// the key split into its low and high 32-bit halves, one block per counter
// value.

extension RandomBitGenerator {
    /// Threefry-2x32's rotation distances, four per group of rounds.
    private static let threeFryRotations: [UInt32] = [13, 15, 26, 6, 17, 29, 16, 24]

    /// One Threefry-2x32 block with 20 rounds (five groups of four rounds, a
    /// key injection after each group).
    ///
    /// - Parameters:
    ///   - counter: the 64-bit counter; its low half is word 0, its high half word 1.
    ///   - key: the 64-bit key, split the same way.
    /// - Returns: the two output words `(x0, x1)`.
    static func threeFry2x32(counter: UInt64, key: UInt64) -> (UInt32, UInt32) {
        let k0 = UInt32(truncatingIfNeeded: key)
        let k1 = UInt32(truncatingIfNeeded: key >> 32)
        // The third key word makes the schedule's parity constant hold.
        let k2 = 0x1BD1_1BDA ^ k0 ^ k1
        func schedule(_ i: Int) -> UInt32 { i == 0 ? k0 : i == 1 ? k1 : k2 }

        var x0 = UInt32(truncatingIfNeeded: counter) &+ k0
        var x1 = UInt32(truncatingIfNeeded: counter >> 32) &+ k1
        for group in 1...5 {
            // Groups alternate between the first and second half of the rotations.
            let offset = (group - 1) % 2 * 4
            for i in offset..<offset + 4 {
                let r = threeFryRotations[i]
                x0 &+= x1
                x1 = ((x1 << r) | (x1 >> (32 - r))) ^ x0
            }
            x0 &+= schedule(group % 3)
            x1 &+= schedule((group + 1) % 3) &+ UInt32(group)
        }
        return (x0, x1)
    }

    /// 64-bit elements: element `i` is block `counter + i`, `x0 | x1 << 32`.
    static func threeFryWide(state: [UInt64], count: Int) -> RandomBits {
        let key = state[0]
        let counter = state[1]
        var bits = [UInt64]()
        bits.reserveCapacity(count)
        for i in 0..<count {
            let (x0, x1) = threeFry2x32(counter: counter &+ UInt64(i), key: key)
            bits.append(UInt64(x0) | UInt64(x1) << 32)
        }
        return RandomBits(state: [key, counter &+ UInt64(count)], bits: bits)
    }

    /// 8-, 16- and 32-bit elements: each block fills two neighbours along the
    /// split dimension (``threeFrySplit(_:)``) with `x0` then `x1`; counters
    /// run row-major over the shape with that dimension halved, rounded up.
    /// The bits are the full 32-bit words; the caller truncates narrow widths.
    static func threeFryNarrow(state: [UInt64], shape: [Int], count: Int) -> RandomBits {
        let key = state[0]
        let counter = state[1]
        // A scalar fills like a one-element vector: one block, x0 kept.
        let dims = shape.isEmpty ? [1] : shape
        let split = threeFrySplit(dims)
        let outer = dims[..<split].reduce(1, *)
        let inner = dims[(split + 1)...].reduce(1, *)
        let size = dims[split]
        let halves = (size + 1) / 2
        let blocks = outer * halves * inner

        var bits = [UInt64](repeating: 0, count: count)
        var block = 0
        for o in 0..<outer {
            for h in 0..<halves {
                for r in 0..<inner {
                    let (x0, x1) = threeFry2x32(counter: counter &+ UInt64(block), key: key)
                    bits[(o * size + 2 * h) * inner + r] = UInt64(x0)
                    if 2 * h + 1 < size { bits[(o * size + 2 * h + 1) * inner + r] = UInt64(x1) }
                    block += 1
                }
            }
        }
        return RandomBits(state: [key, counter &+ UInt64(blocks)], bits: bits)
    }

    /// The dimension Threefry's 32-bit fill pairs elements along: the first
    /// dimension of even size (zero included), else the first of maximal size.
    ///
    /// - Precondition: `dims` is not empty.
    static func threeFrySplit(_ dims: [Int]) -> Int {
        if let even = dims.firstIndex(where: { $0 % 2 == 0 }) { return even }
        var best = 0
        for i in dims.indices where dims[i] > dims[best] { best = i }
        return best
    }
}
