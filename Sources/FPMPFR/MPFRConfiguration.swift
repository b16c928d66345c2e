internal import CMPFR

/// Process- and thread-level MPFR settings used by every FPMPFR entry point.
///
/// MPFR keeps its exponent range (and its flags and constant caches) in
/// thread-local storage when it was built thread-safe
/// (``isThreadLocal``). FPMPFR always computes in the *widest* exponent range
/// MPFR supports, so the ground truth never overflows or underflows for any
/// value the evaluator can produce. Because that setting is per thread, every
/// buffer initialiser and every kernel entry calls ``prepareCurrentThread()``;
/// it costs two function calls when the range is already set.
public enum MPFRConfiguration {
    /// `true` when MPFR was built with thread-local storage
    /// (`mpfr_buildopt_tls_p`): exponent range, flags and caches are then per
    /// thread and distinct threads may run kernels concurrently on distinct
    /// destination buffers. When `false`, MPFR is not thread-safe and FPMPFR
    /// must be used from one thread at a time.
    public static var isThreadLocal: Bool { mpfr_buildopt_tls_p() != 0 }

    /// The smallest exponent MPFR supports (`mpfr_get_emin_min()`).
    public static var widestMinimumExponent: Int { Int(widestEmin) }

    /// The largest exponent MPFR supports (`mpfr_get_emax_max()`).
    public static var widestMaximumExponent: Int { Int(widestEmax) }

    /// Sets the calling thread's MPFR exponent range to the widest one
    /// (`mpfr_set_emin(mpfr_get_emin_min())`, `mpfr_set_emax(mpfr_get_emax_max())`)
    /// unless it already is. Idempotent and cheap.
    @inline(__always)
    public static func prepareCurrentThread() {
        if mpfr_get_emin() != widestEmin { _ = mpfr_set_emin(widestEmin) }
        if mpfr_get_emax() != widestEmax { _ = mpfr_set_emax(widestEmax) }
    }

    /// Whether the calling thread currently uses the widest exponent range.
    public static var isCurrentThreadPrepared: Bool {
        mpfr_get_emin() == widestEmin && mpfr_get_emax() == widestEmax
    }

    /// `mpfr_get_emin_min()` / `mpfr_get_emax_max()`: constants of the build.
    private static let widestEmin = mpfr_get_emin_min()
    private static let widestEmax = mpfr_get_emax_max()

    /// Frees the calling thread's FPMPFR scratch values and MPFR's
    /// thread-local constant caches and memory pools
    /// (`mpfr_free_cache2(MPFR_FREE_LOCAL_CACHE)`). Both are recreated on
    /// demand, so this is only useful for leak accounting and at thread exit
    /// (scratch values are freed automatically when a thread exits).
    public static func releaseCurrentThreadCaches() {
        MPFRThreadScratch.releaseCurrent()
        mpfr_free_cache2(MPFR_FREE_LOCAL_CACHE)
    }
}
