// CRC-32C with the processor's own instruction where there is one (SSE4.2 on x86-64).
// Header-only so it rides along with the CLZ4 system-library module: no extra target.
#ifndef CHUNKSTORE_CRC32C_H
#define CHUNKSTORE_CRC32C_H
#include <stdint.h>
#include <stddef.h>
#include <string.h>

#if defined(__x86_64__)
// Updates a raw (already inverted) CRC-32C register with n bytes.
__attribute__((target("sse4.2")))
static inline uint32_t chunkstore_crc32c_update(uint32_t crc, const uint8_t *p, size_t n) {
    uint64_t c = crc;
    while (n >= 8) {
        uint64_t v;
        memcpy(&v, p, 8);
        c = __builtin_ia32_crc32di(c, v);
        p += 8;
        n -= 8;
    }
    uint32_t c32 = (uint32_t)c;
    while (n > 0) {
        c32 = __builtin_ia32_crc32qi(c32, *p);
        p++;
        n--;
    }
    return c32;
}
static inline int chunkstore_crc32c_hardware(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("sse4.2");
}

typedef long long chunkstore_v2di __attribute__((vector_size(16)));

// Moves a raw CRC register over `len` zero bytes, for the one length `k` was made for:
// k = x^(8*len - 33) mod P (reflected). The carry-less product, fed to crc32 as eight
// data bytes, reduces to crc * x^(8*len) mod P.
__attribute__((target("sse4.2,pclmul")))
static inline uint32_t chunkstore_crc32c_shift(uint32_t crc, uint64_t k) {
    chunkstore_v2di a = {(long long)crc, 0}, b = {(long long)k, 0};
    chunkstore_v2di product = (chunkstore_v2di)__builtin_ia32_pclmulqdq128(a, b, 0x00);
    return (uint32_t)__builtin_ia32_crc32di(0, (uint64_t)product[0]);
}

// Three independent streams over three consecutive runs of `len` bytes, then combined:
// crc32 has a latency of three cycles and a throughput of one, so one stream leaves two
// thirds of the unit idle. `k1` shifts over len bytes, `k2` over 2 * len.
__attribute__((target("sse4.2,pclmul")))
static inline uint32_t chunkstore_crc32c_stride3(uint32_t crc, const uint8_t **pp, size_t *pn,
                                                 size_t len, uint64_t k1, uint64_t k2) {
    const uint8_t *p = *pp;
    size_t n = *pn;
    while (n >= 3 * len) {
        uint64_t a = crc, b = 0, c = 0;
        for (size_t i = 0; i < len; i += 8) {
            uint64_t va, vb, vc;
            memcpy(&va, p + i, 8);
            memcpy(&vb, p + len + i, 8);
            memcpy(&vc, p + 2 * len + i, 8);
            a = __builtin_ia32_crc32di(a, va);
            b = __builtin_ia32_crc32di(b, vb);
            c = __builtin_ia32_crc32di(c, vc);
        }
        crc = chunkstore_crc32c_shift((uint32_t)a, k2) ^ chunkstore_crc32c_shift((uint32_t)b, k1) ^ (uint32_t)c;
        p += 3 * len;
        n -= 3 * len;
    }
    *pp = p;
    *pn = n;
    return crc;
}

// chunkstore_crc32c_update, three streams at a time over long buffers (4096- and
// 256-byte runs; constants x^(8*len - 33) and x^(16*len - 33) mod P, reflected).
__attribute__((target("sse4.2,pclmul")))
static inline uint32_t chunkstore_crc32c_update3(uint32_t crc, const uint8_t *p, size_t n) {
    crc = chunkstore_crc32c_stride3(crc, &p, &n, 4096, 0x82f89c77u, 0x54a86326u);
    crc = chunkstore_crc32c_stride3(crc, &p, &n, 256, 0xb9e02b86u, 0xdd7e3b0cu);
    return chunkstore_crc32c_update(crc, p, n);
}

static inline int chunkstore_crc32c_clmul(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("sse4.2") && __builtin_cpu_supports("pclmul");
}
#else
static inline uint32_t chunkstore_crc32c_update(uint32_t crc, const uint8_t *p, size_t n) {
    (void)p; (void)n;
    return crc;
}
static inline int chunkstore_crc32c_hardware(void) { return 0; }
static inline uint32_t chunkstore_crc32c_update3(uint32_t crc, const uint8_t *p, size_t n) {
    return chunkstore_crc32c_update(crc, p, n);
}
static inline int chunkstore_crc32c_clmul(void) { return 0; }
#endif

#endif
