#include "CMPFRShims.h"

#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

/* ------------------------------------------------------------------------ */
/* 1. Macro wrappers                                                         */
/* ------------------------------------------------------------------------ */

size_t fpa_custom_get_size(mpfr_prec_t prec) { return mpfr_custom_get_size(prec); }

void fpa_custom_init_nan(mpfr_ptr x, mpfr_prec_t prec, void *significand) {
    mpfr_custom_init(significand, prec);
    mpfr_custom_init_set(x, MPFR_NAN_KIND, 0, prec, significand);
}

int fpa_sgn(mpfr_srcptr x) { return mpfr_sgn(x); }

mpfr_prec_t fpa_get_prec(mpfr_srcptr x) { return mpfr_get_prec(x); }

void *fpa_gmp_allocate(size_t size) {
    void *(*allocate)(size_t);
    mp_get_memory_functions(&allocate, NULL, NULL);
    return allocate(size);
}

void fpa_gmp_free(void *block, size_t size) {
    void (*release)(void *, size_t);
    mp_get_memory_functions(NULL, NULL, &release);
    release(block, size);
}

/* ------------------------------------------------------------------------ */
/* 2. Counting allocator                                                     */
/* ------------------------------------------------------------------------ */

static atomic_long live_blocks;
static atomic_long live_bytes;
static atomic_long total_allocations;
static atomic_int installed;

static void out_of_memory(size_t size) {
    fprintf(stderr, "fpaudit: GMP allocation of %zu bytes failed\n", size);
    abort();
}

static void *counting_allocate(size_t size) {
    void *block = malloc(size);
    if (block == NULL && size != 0) out_of_memory(size);
    atomic_fetch_add_explicit(&live_blocks, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&live_bytes, (long)size, memory_order_relaxed);
    atomic_fetch_add_explicit(&total_allocations, 1, memory_order_relaxed);
    return block;
}

static void *counting_reallocate(void *block, size_t old_size, size_t new_size) {
    void *moved = realloc(block, new_size);
    if (moved == NULL && new_size != 0) out_of_memory(new_size);
    atomic_fetch_add_explicit(&live_bytes, (long)new_size - (long)old_size,
                              memory_order_relaxed);
    return moved;
}

static void counting_free(void *block, size_t size) {
    if (block == NULL) return;
    free(block);
    atomic_fetch_sub_explicit(&live_blocks, 1, memory_order_relaxed);
    atomic_fetch_sub_explicit(&live_bytes, (long)size, memory_order_relaxed);
}

void fpa_install_counting_allocator(void) {
    int expected = 0;
    if (atomic_compare_exchange_strong(&installed, &expected, 1)) {
        mp_set_memory_functions(counting_allocate, counting_reallocate, counting_free);
    }
}

int fpa_counting_allocator_installed(void) { return atomic_load(&installed); }

long fpa_live_blocks(void) { return atomic_load(&live_blocks); }

long fpa_live_bytes(void) { return atomic_load(&live_bytes); }

long fpa_total_allocations(void) { return atomic_load(&total_allocations); }

void fpa_free_mpfr_caches(void) { mpfr_free_cache(); }

/* ------------------------------------------------------------------------ */
/* 3. Benchmark baseline                                                     */
/* ------------------------------------------------------------------------ */

enum { FPA_BENCH_ARRAYS = 11 }; /* x, t1 ... t9, y */

double fpa_bench_c_loop(long n, long precision, int repetitions) {
    if (n < 1 || repetitions < 1 || precision < MPFR_PREC_MIN || precision > MPFR_PREC_MAX)
        return NAN;

    mpfr_exp_t saved_emin = mpfr_get_emin(), saved_emax = mpfr_get_emax();
    mpfr_set_emin(mpfr_get_emin_min());
    mpfr_set_emax(mpfr_get_emax_max());

    mpfr_t *arrays[FPA_BENCH_ARRAYS];
    for (int a = 0; a < FPA_BENCH_ARRAYS; a++) {
        arrays[a] = malloc((size_t)n * sizeof(mpfr_t));
        if (arrays[a] == NULL) out_of_memory((size_t)n * sizeof(mpfr_t));
        for (long i = 0; i < n; i++) mpfr_init2(arrays[a][i], (mpfr_prec_t)precision);
    }
    mpfr_t *x = arrays[0], *t1 = arrays[1], *t2 = arrays[2], *t3 = arrays[3],
           *t4 = arrays[4], *t5 = arrays[5], *t6 = arrays[6], *t7 = arrays[7],
           *t8 = arrays[8], *t9 = arrays[9], *y = arrays[10];
    mpfr_t one;
    mpfr_init2(one, (mpfr_prec_t)precision);
    mpfr_set_ui(one, 1, MPFR_RNDN);

    for (long i = 0; i < n; i++)
        mpfr_set_d(x[i], ((double)i - (double)n / 2.0) / ((double)n / 8.0), MPFR_RNDN);

    const mpfr_rnd_t r = MPFR_RNDN;
    for (int rep = 0; rep < repetitions; rep++) {
        for (long i = 0; i < n; i++) mpfr_mul(t1[i], x[i], x[i], r);
        for (long i = 0; i < n; i++) mpfr_add(t2[i], t1[i], one, r);
        for (long i = 0; i < n; i++) mpfr_sqrt(t3[i], t2[i], r);
        for (long i = 0; i < n; i++) mpfr_exp(t4[i], x[i], r);
        for (long i = 0; i < n; i++) mpfr_mul(t5[i], t4[i], x[i], r);
        for (long i = 0; i < n; i++) mpfr_sub(t6[i], t5[i], t3[i], r);
        for (long i = 0; i < n; i++) mpfr_log1p(t7[i], t1[i], r);
        for (long i = 0; i < n; i++) mpfr_div(t8[i], t6[i], t2[i], r);
        for (long i = 0; i < n; i++) mpfr_tanh(t9[i], t8[i], r);
        for (long i = 0; i < n; i++) mpfr_add(y[i], t9[i], t7[i], r);
    }

    double checksum = 0.0;
    for (long i = 0; i < n; i++) checksum += mpfr_get_d(y[i], MPFR_RNDN);

    mpfr_clear(one);
    for (int a = 0; a < FPA_BENCH_ARRAYS; a++) {
        for (long i = 0; i < n; i++) mpfr_clear(arrays[a][i]);
        free(arrays[a]);
    }
    mpfr_set_emin(saved_emin);
    mpfr_set_emax(saved_emax);
    return checksum;
}
