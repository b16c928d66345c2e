import RealModule

extension Distribution {
    /// Draws one value and rounds it to `format` (`nil` means f64).
    ///
    /// - normal: Box–Muller, cosine branch only, from two unit draws `u1`,
    ///   `u2`: `mean + std * sqrt(-2 log(1 - u1)) * cos(2π u2)` (`1 - u1` lies
    ///   in `(0, 1]`, so the logarithm is finite). Exactly two 64-bit draws
    ///   per value, no rejection.
    /// - uniform: `lo + (hi - lo) * u` (computed as `lo (1-u) + hi u` when
    ///   `hi - lo` overflows), kept inside `[lo, hi]`.
    /// - log-uniform: `exp(log lo + (log hi - log lo) * u)`, kept inside
    ///   `[lo, hi]`; when symmetric, the top bit of one more draw picks the sign.
    /// - ieee: random `bitWidth`-bit patterns of `format`, redrawn until finite
    ///   (so this value is already exact in the format).
    /// - integers: `lo + floor(u * (hi - lo + 1))`, kept inside `[lo, hi]`
    ///   (one draw), then rounded to `format`.
    /// - constant: the value itself.
    ///
    /// The number of draws depends only on the distribution and the bits
    /// drawn, so a per-sample generator
    /// (``Xoshiro256StarStar/forSample(seed:stream:index:)``) makes every
    /// sample reproducible.
    public func sample(in format: FloatFormat?, using rng: inout some RandomNumberGenerator) -> Double {
        let format = format ?? .f64
        switch self {
        case .normal(let mean, let std):
            let u1 = rng.nextUnitInterval()
            let u2 = rng.nextUnitInterval()
            let z = Double.sqrt(-2 * Double.log(1 - u1)) * Double.cos(2 * Double.pi * u2)
            return format.round(mean + std * z)
        case .uniform(let lo, let hi):
            let u = rng.nextUnitInterval()
            let span = hi - lo
            let x = span.isFinite ? lo + span * u : lo * (1 - u) + hi * u
            return format.round(Swift.min(Swift.max(x, lo), hi))
        case .logUniform(let lo, let hi, let symmetric):
            let u = rng.nextUnitInterval()
            let logLo = Double.log(lo)
            let magnitude = Swift.min(Swift.max(Double.exp(logLo + (Double.log(hi) - logLo) * u), lo), hi)
            let negative = symmetric && rng.next() >> 63 == 1
            return format.round(negative ? -magnitude : magnitude)
        case .ieee:
            let mask = UInt64.max >> UInt64(64 - format.bitWidth)
            while true {
                let x = format.value(bitPattern: rng.next() & mask)
                if x.isFinite { return x }
            }
        case .integers(let lo, let hi):
            let u = rng.nextUnitInterval()
            let k = lo + Int64((u * Double(hi - lo + 1)).rounded(.down))
            return format.round(Double(Swift.min(Swift.max(k, lo), hi)))
        case .constant(let value):
            return format.round(value)
        }
    }

    /// Draws one value for an integer parameter: a double from
    /// ``sample(in:using:)`` with `format` nil, rounded to the nearest
    /// integer (ties to even) and clamped into `min...max`.
    ///
    /// Infinities clamp to the nearer bound; a NaN (only possible from
    /// `const(nan)`) yields `min`.
    ///
    /// - Precondition: `min <= max`.
    public func sampleInteger(min: Int64, max: Int64, using rng: inout some RandomNumberGenerator) -> Int64 {
        precondition(min <= max, "sampleInteger needs min <= max, got \(min) > \(max)")
        let x = sample(in: nil, using: &rng)
        if x.isNaN { return min }
        let rounded = x.rounded(.toNearestOrEven)
        // Compare in Double: Int64 bounds convert exactly or to the nearest
        // power of two, and any in-range rounded value converts back exactly.
        if rounded <= Double(min) { return min }
        if rounded >= Double(max) { return max }
        return Int64(rounded)
    }
}
