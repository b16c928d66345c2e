/// Rounds `x` to a float format with `exponentBits` exponent bits and
/// `mantissaBits` stored fraction bits, following XLA's `reduce-precision`
/// operation (`ReducePrecision` in HLO, `jax.lax.reduce_precision`).
///
/// The semantics are those of XLA's CPU/GPU IR emitter
/// (`EmitReducePrecisionIR` in `xla/service/elemental_ir_emitter.cc`) and of
/// its reference interpreter (`HandleReducePrecision` in the HLO evaluator),
/// which agree. Working on the binary64 encoding of `x`:
///
/// 1. **Mantissa** (only when `mantissaBits < 52`): the fraction is rounded to
///    `mantissaBits` bits, to nearest with ties to even, by adding a bias to
///    the raw encoding and clearing the dropped bits. A carry out of the
///    fraction increments the exponent (so the largest binade can round up
///    into the next one). Source subnormals are rounded the same way, on
///    their raw bits. With `mantissaBits == 0` the "last kept bit" deciding
///    ties is the exponent's lowest bit, so `1.5 → 2` but `3 → 2`.
/// 2. **Exponent** (only when `exponentBits < 11`): with reduced bias
///    `b = 2^(exponentBits-1) - 1`, a rounded value whose unbiased exponent is
///    above `b` becomes an infinity of the same sign, and one whose unbiased
///    exponent is at most `-b` (i.e. below the reduced format's smallest
///    normal, `2^(1-b)`) becomes a zero of the same sign. There are **no
///    subnormals**: values are flushed, not rounded, below the normal range,
///    but the test happens after step 1, so a value that rounds up to the
///    smallest normal survives.
/// 3. **NaN**: with `mantissaBits > 0` a NaN input is returned unchanged; with
///    `mantissaBits == 0` the result is `+infinity` (the reduced format has no
///    room for a NaN payload). Infinities and zeros pass through unchanged.
///
/// For normal results, `reducePrecision(x, exponentBits: 8, mantissaBits: 7)`
/// equals `FloatFormat.bf16.round(x)` and `(5, 10)` equals `FloatFormat.f16`
/// rounding; they differ only where those formats would produce subnormals.
///
/// - Precondition: `1 <= exponentBits <= 11` and `0 <= mantissaBits <= 52`.
public func reducePrecision(_ x: Double, exponentBits: Int, mantissaBits: Int) -> Double {
    precondition((1...11).contains(exponentBits), "exponentBits must be in 1...11, got \(exponentBits)")
    precondition((0...52).contains(mantissaBits), "mantissaBits must be in 0...52, got \(mantissaBits)")
    if x.isNaN { return mantissaBits > 0 ? x : .infinity }

    let sourceFractionBits: UInt64 = 52
    let signMask: UInt64 = 1 << 63
    let exponentMask: UInt64 = 0x7FF << sourceFractionBits
    var bits = x.bitPattern

    if mantissaBits < 52 {
        let dropped = sourceFractionBits - UInt64(mantissaBits)
        let lastKeptBit: UInt64 = 1 << dropped
        // 0111...1 below the last kept bit, plus one more when that bit is set:
        // adding it carries exactly when the dropped part exceeds one half, or
        // equals one half and the kept part is odd.
        let bias = (lastKeptBit >> 1) - 1 + ((bits & lastKeptBit) >> dropped)
        bits = (bits &+ bias) & ~(lastKeptBit - 1)
    }

    if exponentBits < 11 {
        let sourceBias: UInt64 = 1023
        let reducedBias: UInt64 = (1 << UInt64(exponentBits - 1)) - 1
        let biasedExponent = (bits & exponentMask) >> sourceFractionBits
        if biasedExponent > sourceBias + reducedBias {
            bits = (bits & signMask) | exponentMask
        } else if biasedExponent <= sourceBias - reducedBias {
            bits = bits & signMask
        }
    }
    return Double(bitPattern: bits)
}
