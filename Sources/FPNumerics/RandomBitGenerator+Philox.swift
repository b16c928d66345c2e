// Philox-4x32 as XLA's `rng-bit-generator` uses it: the key is the state's
// first word, the 128-bit counter is `(low, high)` = `(state[1], state[2])`
// for `u64[3]` and `(state[1], state[0])` for `u64[2]`.

extension RandomBitGenerator {
    /// One Philox-4x32 block with 10 rounds.
    ///
    /// - Parameters:
    ///   - counter: the 128-bit counter as `(low, high)`; its 32-bit words,
    ///     least significant first, are the block's input words 0 to 3.
    ///   - key: the 64-bit key; its low half is key word 0, its high half word 1.
    /// - Returns: the four output words.
    static func philox4x32(counter: (low: UInt64, high: UInt64), key: UInt64) -> (UInt32, UInt32, UInt32, UInt32) {
        var x0 = UInt32(truncatingIfNeeded: counter.low)
        var x1 = UInt32(truncatingIfNeeded: counter.low >> 32)
        var x2 = UInt32(truncatingIfNeeded: counter.high)
        var x3 = UInt32(truncatingIfNeeded: counter.high >> 32)
        var k0 = UInt32(truncatingIfNeeded: key)
        var k1 = UInt32(truncatingIfNeeded: key >> 32)
        for _ in 0..<10 {
            // Each round: two 32x32->64 products; their high halves are mixed
            // with the other two words and the key, their low halves kept.
            let p0 = UInt64(x0) &* 0xD251_1F53
            let p1 = UInt64(x2) &* 0xCD9E_8D57
            (x0, x1, x2, x3) = (
                UInt32(truncatingIfNeeded: p1 >> 32) ^ x1 ^ k0, UInt32(truncatingIfNeeded: p1),
                UInt32(truncatingIfNeeded: p0 >> 32) ^ x3 ^ k1, UInt32(truncatingIfNeeded: p0)
            )
            // The Weyl increments: the golden ratio and sqrt(3) - 1 in 32-bit fixed point.
            k0 &+= 0x9E37_79B9
            k1 &+= 0xBB67_AE85
        }
        return (x0, x1, x2, x3)
    }

    /// The key and 128-bit counter a Philox state holds.
    private static func philoxKeyAndCounter(_ state: [UInt64]) -> (key: UInt64, counter: (low: UInt64, high: UInt64)) {
        let high = state.count >= 3 ? state[2] : state[0]
        return (key: state[0], counter: (low: state[1], high: high))
    }

    /// `counter + n` in 128 bits.
    private static func philoxAdvance(_ counter: (low: UInt64, high: UInt64), by n: Int) -> (low: UInt64, high: UInt64)
    {
        let (low, carry) = counter.low.addingReportingOverflow(UInt64(n))
        return (low, carry ? counter.high &+ 1 : counter.high)
    }

    /// The state after `blocks` blocks: the key, then the advanced counter;
    /// a `u64[2]` state keeps only the counter's low word (the carry into
    /// the key word is dropped).
    private static func philoxState(_ state: [UInt64], key: UInt64, end: (low: UInt64, high: UInt64)) -> [UInt64] {
        state.count >= 3 ? [key, end.low, end.high] : [key, end.low]
    }

    /// 8-, 16- and 32-bit elements: block `j` gives elements `4j ..< 4j + 4`.
    /// The bits are the full 32-bit words; the caller truncates narrow widths.
    static func philoxNarrow(state: [UInt64], count: Int) -> RandomBits {
        let (key, counter) = philoxKeyAndCounter(state)
        let blocks = (count + 3) / 4
        var bits = [UInt64]()
        bits.reserveCapacity(blocks * 4)
        for j in 0..<blocks {
            let (w0, w1, w2, w3) = philox4x32(counter: philoxAdvance(counter, by: j), key: key)
            bits.append(contentsOf: [UInt64(w0), UInt64(w1), UInt64(w2), UInt64(w3)])
        }
        bits.removeLast(bits.count - count)
        return RandomBits(
            state: philoxState(state, key: key, end: philoxAdvance(counter, by: blocks)), bits: bits)
    }

    /// 64-bit elements: block `j` gives element `2j` = `w0 | w1 << 32` and
    /// element `2j + 1` = `w2 | w3 << 32`.
    static func philoxWide(state: [UInt64], count: Int) -> RandomBits {
        let (key, counter) = philoxKeyAndCounter(state)
        let blocks = (count + 1) / 2
        var bits = [UInt64]()
        bits.reserveCapacity(blocks * 2)
        for j in 0..<blocks {
            let (w0, w1, w2, w3) = philox4x32(counter: philoxAdvance(counter, by: j), key: key)
            bits.append(UInt64(w0) | UInt64(w1) << 32)
            bits.append(UInt64(w2) | UInt64(w3) << 32)
        }
        bits.removeLast(bits.count - count)
        return RandomBits(
            state: philoxState(state, key: key, end: philoxAdvance(counter, by: blocks)), bits: bits)
    }
}
