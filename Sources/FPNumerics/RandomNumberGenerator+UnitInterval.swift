extension RandomNumberGenerator {
    /// A uniform draw from `[0, 1)` on the grid of multiples of `2^-53`
    /// (the top 53 bits of one 64-bit draw).
    @inline(__always)
    mutating func nextUnitInterval() -> Double {
        Double(next() >> 11) * 0x1p-53
    }
}
