#ifndef FPAUDIT_CMPFR_SHIMS_H
#define FPAUDIT_CMPFR_SHIMS_H

/*
 * Small C helpers for FPMPFR.
 *
 *  1. Real functions for MPFR/GMP entry points that are macros in some builds
 *     (Swift cannot call function-like macros).
 *  2. A counting GMP allocator, used by tests to prove that MPFR buffers leak
 *     nothing and that kernels allocate nothing per operation.
 *  3. The plain C baseline loop that the benchmark compares the Swift
 *     interpreter against.
 *
 * The header deliberately exposes only pointer-to-struct and plain C types so
 * that it can be imported from Swift without any extra configuration.
 */

#include <stddef.h>
#include <gmp.h>
#include <mpfr.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* 1. Macro wrappers                                                         */
/* ------------------------------------------------------------------------ */

/** Bytes of significand storage `mpfr_custom_get_size` needs at precision `prec`. */
size_t fpa_custom_get_size(mpfr_prec_t prec);

/** `mpfr_custom_init_set(x, MPFR_NAN_KIND, 0, prec, significand)`: makes `x` a
 *  NaN of precision `prec` whose limbs live at `significand` (caller-owned,
 *  at least `fpa_custom_get_size(prec)` bytes, suitably aligned for limbs). */
void fpa_custom_init_nan(mpfr_ptr x, mpfr_prec_t prec, void *significand);

/** `mpfr_sgn(x)`: -1, 0 or +1 (0 for NaN, which also sets the erange flag). */
int fpa_sgn(mpfr_srcptr x);

/** `mpfr_get_prec(x)`. */
mpfr_prec_t fpa_get_prec(mpfr_srcptr x);

/** Allocates `size` bytes with the GMP allocation function that is current at
 *  the time of the call (so the counting allocator sees it). Never returns
 *  NULL: GMP allocation functions abort on failure. */
void *fpa_gmp_allocate(size_t size);

/** Frees a block obtained from `fpa_gmp_allocate` with the current GMP free
 *  function; `size` must be the size passed at allocation. */
void fpa_gmp_free(void *block, size_t size);

/* ------------------------------------------------------------------------ */
/* 2. Counting allocator                                                     */
/* ------------------------------------------------------------------------ */

/** Installs GMP memory functions (mp_set_memory_functions) that forward to
 *  malloc/realloc/free and count live blocks and bytes. Idempotent. The
 *  forwarding functions are malloc-compatible, so blocks allocated before
 *  installation may safely be freed afterwards (they make the counters dip,
 *  which is why tests compare snapshots rather than absolute values).
 *  Install it before any MPFR allocation for exact absolute counts. */
void fpa_install_counting_allocator(void);

/** Whether `fpa_install_counting_allocator` has been called. */
int fpa_counting_allocator_installed(void);

/** Blocks currently live (allocations minus frees) through the counter. */
long fpa_live_blocks(void);

/** Bytes currently live through the counter (reallocations adjust it). */
long fpa_live_bytes(void);

/** Cumulative number of allocate calls (not reallocations) seen by the counter. */
long fpa_total_allocations(void);

/** `mpfr_free_cache()`: frees MPFR's constant caches and memory pools (those
 *  local to the calling thread and the shared ones). */
void fpa_free_mpfr_caches(void);

/* ------------------------------------------------------------------------ */
/* 3. Benchmark baseline                                                     */
/* ------------------------------------------------------------------------ */

/**
 * Plain C baseline of the benchmark graph. Allocates one n-element array of
 * mpfr_t (precision `precision`, MPFR's maximal exponent range) for x and for
 * every node, then, `repetitions` times, evaluates node by node over all n
 * elements (for each node: for each element), every operation rounded to
 * nearest at `precision`:
 *
 *     x[i] = ((double)i - (double)n / 2.0) / ((double)n / 8.0)   (mpfr_set_d)
 *     t1 = x * x
 *     t2 = t1 + 1
 *     t3 = sqrt(t2)
 *     t4 = exp(x)
 *     t5 = t4 * x
 *     t6 = t5 - t3
 *     t7 = log1p(t1)
 *     t8 = t6 / t2
 *     t9 = tanh(t8)
 *     y  = t9 + t7
 *
 * (10 element operations per element; the constant 1 is an mpfr_t holding 1
 * and is added with mpfr_add, like a broadcast constant in the interpreter.)
 * Returns the checksum sum_i mpfr_get_d(y[i], MPFR_RNDN), accumulated in
 * double in increasing i. Does not time itself. Requires n >= 1,
 * repetitions >= 1 and MPFR_PREC_MIN <= precision <= MPFR_PREC_MAX;
 * returns NaN otherwise.
 */
double fpa_bench_c_loop(long n, long precision, int repetitions);

#ifdef __cplusplus
}
#endif

#endif /* FPAUDIT_CMPFR_SHIMS_H */
