internal import CMPFR
internal import CMPFRShims

/// A contiguous block of `count` MPFR values sharing one precision.
///
/// Storage is allocated exactly twice, in ``init(count:precision:)``: one
/// block for the `count` MPFR structs and one block for all their limbs
/// (MPFR's custom-allocation interface, `mpfr_custom_init_set`). Both blocks
/// come from the GMP allocation functions current at the time, so GMP's
/// memory hooks (and the test suite's counting allocator) see them; both are
/// freed in `deinit`. The structs live at stable addresses owned by the
/// buffer, and no MPFR function that could reallocate a significand
/// (`mpfr_set_prec`, `mpfr_clear`) is ever called on them. Elements are
/// meant to be overwritten again and again; no operation allocates.
///
/// A freshly created element is NaN.
///
/// Thread safety: a buffer is a plain mutable object. Concurrent reads are
/// safe; a write must not race with any other access to the same buffer.
public final class MPFRBuffer {
    /// Number of values in the buffer.
    public let count: Int

    /// Precision in bits of every value in the buffer.
    public let precision: Int

    /// The `count` MPFR structs (element `i` is `values + i`).
    let values: UnsafeMutablePointer<__mpfr_struct>

    /// One block holding every element's limbs, `limbBytesPerValue` each.
    private let limbs: UnsafeMutableRawPointer
    private let structBytes: Int
    private let limbBytes: Int

    /// The precisions a buffer can be created with.
    public static let supportedPrecisions: ClosedRange<Int> = 1...(1 << 30)

    /// Allocates `count` NaN values at `precision` bits.
    ///
    /// Also prepares the calling thread's exponent range
    /// (``MPFRConfiguration/prepareCurrentThread()``).
    ///
    /// - Precondition: `count >= 0` and `precision` is in ``supportedPrecisions``.
    public init(count: Int, precision: Int) {
        precondition(count >= 0, "MPFRBuffer: negative count \(count)")
        precondition(
            Self.supportedPrecisions.contains(precision),
            "MPFRBuffer: precision \(precision) outside \(Self.supportedPrecisions)")
        MPFRConfiguration.prepareCurrentThread()
        self.count = count
        self.precision = precision

        let limbBytesPerValue = Int(fpa_custom_get_size(mpfr_prec_t(precision)))
        structBytes = max(1, count * MemoryLayout<__mpfr_struct>.stride)
        limbBytes = max(1, count * limbBytesPerValue)
        let structMemory = fpa_gmp_allocate(structBytes)!
        limbs = fpa_gmp_allocate(limbBytes)!
        values = structMemory.bindMemory(to: __mpfr_struct.self, capacity: max(count, 1))
        for i in 0..<count {
            fpa_custom_init_nan(values + i, mpfr_prec_t(precision), limbs + i * limbBytesPerValue)
        }
    }

    deinit {
        // Custom-interface values own nothing beyond these two blocks.
        fpa_gmp_free(limbs, limbBytes)
        fpa_gmp_free(UnsafeMutableRawPointer(values), structBytes)
    }

    /// The MPFR value at index `i` (bounds-checked).
    @inline(__always)
    func element(_ i: Int) -> UnsafeMutablePointer<__mpfr_struct> {
        precondition(i >= 0 && i < count, "MPFRBuffer: index \(i) out of range 0..<\(count)")
        return values + i
    }
}
