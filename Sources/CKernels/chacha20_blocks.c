// ChaCha20 keystream blocks (RFC 8439 §2.3), one block per vector lane: the layout of the
// vectorised ChaCha in libsodium and BoringSSL. The round code is written once (a macro over
// the vector type) and compiled three times: 4 lanes for any CPU, and 8 and 16 lanes in
// functions marked `target("avx2")` / `target("avx512f")`, chosen at run time with
// `__builtin_cpu_supports`. The package itself is never compiled with -march flags, so the
// binary runs on any x86-64 (or AArch64) machine.
#include "chacha20_blocks.h"
#include "cpu_features.h"

#include <string.h>
#ifdef DPSYNTH_X86
#include <immintrin.h>
#endif

typedef uint32_t lanes4 __attribute__((vector_size(16)));
#ifdef DPSYNTH_X86
typedef uint32_t lanes8 __attribute__((vector_size(32)));
typedef uint32_t lanes16 __attribute__((vector_size(64)));
#endif

#define DPSYNTH_ROTATE(v, n) (((v) << (n)) | ((v) >> (32 - (n))))

#define DPSYNTH_QUARTER_ROUND(a, b, c, d)                  \
    a += b; d ^= a; d = DPSYNTH_ROTATE(d, 16);             \
    c += d; b ^= c; b = DPSYNTH_ROTATE(b, 12);             \
    a += b; d ^= a; d = DPSYNTH_ROTATE(d, 8);              \
    c += d; b ^= c; b = DPSYNTH_ROTATE(b, 7);

// The body of a kernel over LANES blocks with vector type VEC: set up the state (lane j holds
// block counter + j; lanes whose counter wrapped take nonce word 0 + 1), run the 20 rounds and
// add the input state. The caller then transposes so that block j's 16 words are contiguous.
#define DPSYNTH_CHACHA20_BODY(VEC, LANES)                                                       \
    VEC x[16], input[16];                                                                       \
    static const uint32_t constants[4] = {0x61707865u, 0x3320646eu, 0x79622d32u, 0x6b206574u};  \
    for (int i = 0; i < 4; i++) input[i] = (VEC){0} + constants[i];                             \
    for (int i = 0; i < 8; i++) input[4 + i] = (VEC){0} + key[i];                               \
    for (int j = 0; j < LANES; j++) {                                                           \
        uint32_t block = counter + (uint32_t)j;                                                 \
        input[12][j] = block;                                                                   \
        input[13][j] = nonce[0] + (block < counter ? 1u : 0u);                                  \
    }                                                                                           \
    input[14] = (VEC){0} + nonce[1];                                                            \
    input[15] = (VEC){0} + nonce[2];                                                            \
    for (int i = 0; i < 16; i++) x[i] = input[i];                                               \
    for (int round = 0; round < 10; round++) {                                                  \
        DPSYNTH_QUARTER_ROUND(x[0], x[4], x[8], x[12])                                          \
        DPSYNTH_QUARTER_ROUND(x[1], x[5], x[9], x[13])                                          \
        DPSYNTH_QUARTER_ROUND(x[2], x[6], x[10], x[14])                                         \
        DPSYNTH_QUARTER_ROUND(x[3], x[7], x[11], x[15])                                         \
        DPSYNTH_QUARTER_ROUND(x[0], x[5], x[10], x[15])                                         \
        DPSYNTH_QUARTER_ROUND(x[1], x[6], x[11], x[12])                                         \
        DPSYNTH_QUARTER_ROUND(x[2], x[7], x[8], x[13])                                          \
        DPSYNTH_QUARTER_ROUND(x[3], x[4], x[9], x[14])                                          \
    }                                                                                           \
    for (int i = 0; i < 16; i++) x[i] += input[i];

// Word i of block j is lane j of x[i]: a transposition through memory, for any width.
#define DPSYNTH_CHACHA20_STORE(LANES)                                                           \
    uint32_t words[16][LANES] __attribute__((aligned(64)));                                     \
    memcpy(words, x, sizeof words);                                                             \
    for (int j = 0; j < LANES; j++)                                                             \
        for (int i = 0; i < 16; i++) output[16 * j + i] = words[i][j];

static void blocks4(const uint32_t key[8], const uint32_t nonce[3], uint32_t counter, uint32_t *output) {
    DPSYNTH_CHACHA20_BODY(lanes4, 4)
    DPSYNTH_CHACHA20_STORE(4)
}

#ifdef DPSYNTH_X86
__attribute__((target("avx2")))
static void blocks8(const uint32_t key[8], const uint32_t nonce[3], uint32_t counter, uint32_t *output) {
    DPSYNTH_CHACHA20_BODY(lanes8, 8)
    DPSYNTH_CHACHA20_STORE(8)
}

__attribute__((target("avx512f")))
static void blocks16(const uint32_t key[8], const uint32_t nonce[3], uint32_t counter, uint32_t *output) {
    DPSYNTH_CHACHA20_BODY(lanes16, 16)
    // In-register transposition: within each 128-bit lane L (blocks 4L … 4L+3), a 4×4
    // transpose of words i … i+3 with unpack instructions, then 16-byte stores — 64 stores
    // per 1 KiB instead of 256 scalar moves.
    for (int i = 0; i < 16; i += 4) {
        __m512i a = (__m512i)x[i], b = (__m512i)x[i + 1], c = (__m512i)x[i + 2], d = (__m512i)x[i + 3];
        __m512i ab0 = _mm512_unpacklo_epi32(a, b), ab1 = _mm512_unpackhi_epi32(a, b);
        __m512i cd0 = _mm512_unpacklo_epi32(c, d), cd1 = _mm512_unpackhi_epi32(c, d);
        __m512i rows[4] = {_mm512_unpacklo_epi64(ab0, cd0), _mm512_unpackhi_epi64(ab0, cd0),
                           _mm512_unpacklo_epi64(ab1, cd1), _mm512_unpackhi_epi64(ab1, cd1)};
        for (int k = 0; k < 4; k++) {
            _mm_storeu_si128((__m128i *)(output + 16 * (0 + k) + i), _mm512_extracti32x4_epi32(rows[k], 0));
            _mm_storeu_si128((__m128i *)(output + 16 * (4 + k) + i), _mm512_extracti32x4_epi32(rows[k], 1));
            _mm_storeu_si128((__m128i *)(output + 16 * (8 + k) + i), _mm512_extracti32x4_epi32(rows[k], 2));
            _mm_storeu_si128((__m128i *)(output + 16 * (12 + k) + i), _mm512_extracti32x4_epi32(rows[k], 3));
        }
    }
}
#endif

int dpsynth_chacha20_blocks_per_call(DPSynthChaCha20Kernel kernel) {
    switch (kernel) {
    case DPSynthChaCha20KernelAVX2: return 8;
    case DPSynthChaCha20KernelAVX512: return 16;
    default: return 4;
    }
}

int dpsynth_chacha20_kernel_is_supported(DPSynthChaCha20Kernel kernel) {
    switch (kernel) {
    case DPSynthChaCha20KernelPortable: return 1;
#ifdef DPSYNTH_X86
    // __builtin_cpu_supports also checks that the OS saves the wider registers (XGETBV).
    case DPSynthChaCha20KernelAVX2: return dpsynth_cpu_has_avx2();
    case DPSynthChaCha20KernelAVX512: return dpsynth_cpu_has_avx512f();
#endif
    default: return 0;
    }
}

DPSynthChaCha20Kernel dpsynth_chacha20_best_kernel(void) {
    if (dpsynth_chacha20_kernel_is_supported(DPSynthChaCha20KernelAVX512)) return DPSynthChaCha20KernelAVX512;
    if (dpsynth_chacha20_kernel_is_supported(DPSynthChaCha20KernelAVX2)) return DPSynthChaCha20KernelAVX2;
    return DPSynthChaCha20KernelPortable;
}

void dpsynth_chacha20_blocks(DPSynthChaCha20Kernel kernel, const uint32_t key[8], const uint32_t nonce[3],
                             uint32_t counter, uint32_t *output) {
    switch (kernel) {
#ifdef DPSYNTH_X86
    case DPSynthChaCha20KernelAVX2: blocks8(key, nonce, counter, output); return;
    case DPSynthChaCha20KernelAVX512: blocks16(key, nonce, counter, output); return;
#endif
    default: blocks4(key, nonce, counter, output); return;
    }
}
