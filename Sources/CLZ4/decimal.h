// Decimal-float decoding's division step, four lanes at a time where the CPU has AVX.
// Each lane is one IEEE double division, correctly rounded exactly like a scalar one;
// Swift's SIMD types are lowered to one scalar division per lane on baseline x86-64.
// Header-only, riding along with the CLZ4 system-library module like crc32c.h.
#ifndef CHUNKSTORE_DECIMAL_H
#define CHUNKSTORE_DECIMAL_H
#include <stdint.h>
#include <stddef.h>
#include <string.h>

#if defined(__x86_64__)
typedef double chunkstore_v4d __attribute__((vector_size(32)));

__attribute__((target("avx")))
static inline void chunkstore_divide_mantissas_avx(uint64_t *values, size_t n, double power) {
    chunkstore_v4d divisor = {power, power, power, power};
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        chunkstore_v4d m = {(double)(int64_t)values[i], (double)(int64_t)values[i + 1],
                            (double)(int64_t)values[i + 2], (double)(int64_t)values[i + 3]};
        chunkstore_v4d q = m / divisor;
        memcpy(values + i, &q, sizeof q);
    }
    for (; i < n; i++) {
        double q = (double)(int64_t)values[i] / power;
        memcpy(values + i, &q, sizeof q);
    }
}

static inline int chunkstore_has_avx(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx");
}
#else
static inline void chunkstore_divide_mantissas_avx(uint64_t *values, size_t n, double power) {
    for (size_t i = 0; i < n; i++) {
        double q = (double)(int64_t)values[i] / power;
        memcpy(values + i, &q, sizeof q);
    }
}

static inline int chunkstore_has_avx(void) { return 0; }
#endif

#endif
