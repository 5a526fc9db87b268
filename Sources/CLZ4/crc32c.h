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
#else
static inline uint32_t chunkstore_crc32c_update(uint32_t crc, const uint8_t *p, size_t n) {
    (void)p; (void)n;
    return crc;
}
static inline int chunkstore_crc32c_hardware(void) { return 0; }
#endif

#endif
