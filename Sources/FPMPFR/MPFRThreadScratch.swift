internal import CMPFR
internal import CMPFRShims

#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Musl)
    internal import Musl
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// One reusable MPFR value whose limb storage grows on demand and is never
/// shrunk: re-preparing it at a precision that fits the current capacity
/// costs no allocation.
final class MPFRScratchValue {
    let value: UnsafeMutablePointer<__mpfr_struct>
    private var limbs: UnsafeMutableRawPointer?
    private var capacity = 0

    init() {
        value = fpa_gmp_allocate(MemoryLayout<__mpfr_struct>.stride)!
            .bindMemory(to: __mpfr_struct.self, capacity: 1)
    }

    deinit {
        if let limbs { fpa_gmp_free(limbs, capacity) }
        fpa_gmp_free(UnsafeMutableRawPointer(value), MemoryLayout<__mpfr_struct>.stride)
    }

    /// Re-initialises the value as a NaN of `precision` bits and returns it.
    @inline(__always)
    func prepared(precision: Int) -> UnsafeMutablePointer<__mpfr_struct> {
        let needed = Int(fpa_custom_get_size(mpfr_prec_t(precision)))
        if needed > capacity { grow(to: needed) }
        fpa_custom_init_nan(value, mpfr_prec_t(precision), limbs)
        return value
    }

    private func grow(to needed: Int) {
        if let limbs { fpa_gmp_free(limbs, capacity) }
        // Round up generously so slowly growing precisions do not reallocate often.
        let bytes = max(needed, 2 * capacity, 64)
        limbs = fpa_gmp_allocate(bytes)
        capacity = bytes
    }
}

/// Per-thread scratch values for computations that need intermediate
/// precision different from any buffer's (logistic's guard bits, rounding to
/// a narrow format). Kept in a pthread key so each thread has its own and it
/// is freed when the thread exits.
final class MPFRThreadScratch {
    /// Exact negation of a logistic operand (at the operand's precision).
    let negatedOperand = MPFRScratchValue()
    /// Logistic's working value (destination precision plus guard bits).
    let logistic = MPFRScratchValue()
    /// The value being rounded to a narrow format.
    let rounding = MPFRScratchValue()

    /// The calling thread's scratch, created on first use.
    static var current: MPFRThreadScratch {
        if let raw = pthread_getspecific(scratchKey) {
            return Unmanaged<MPFRThreadScratch>.fromOpaque(raw).takeUnretainedValue()
        }
        let scratch = MPFRThreadScratch()
        let status = pthread_setspecific(scratchKey, Unmanaged.passRetained(scratch).toOpaque())
        precondition(status == 0, "pthread_setspecific failed (\(status))")
        return scratch
    }

    /// Frees the calling thread's scratch, if any.
    static func releaseCurrent() {
        guard let raw = pthread_getspecific(scratchKey) else { return }
        _ = pthread_setspecific(scratchKey, nil)
        Unmanaged<MPFRThreadScratch>.fromOpaque(raw).release()
    }
}

/// The pthread key holding each thread's retained `MPFRThreadScratch`.
private let scratchKey: pthread_key_t = {
    var key = pthread_key_t()
    let status = pthread_key_create(&key) { raw in
        guard let raw else { return }
        Unmanaged<MPFRThreadScratch>.fromOpaque(raw).release()
    }
    precondition(status == 0, "pthread_key_create failed (\(status))")
    return key
}()
