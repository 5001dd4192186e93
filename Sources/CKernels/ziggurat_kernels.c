// The ziggurat's fast path over a block of words (see ziggurat_kernels.h). Written as one plain
// loop with no branches so that the compiler vectorises it (the two table reads become gathers);
// the body is compiled for the baseline ISA and, in functions marked target("avx2") and
// target("avx512f,avx512dq"), for wider vectors, chosen at run time like the ChaCha20 kernels.
// Rejections are collected in a second, scalar pass over a byte mask.
//
// Floating-point contraction is off: mean + standardDeviation·z must round twice (product,
// then sum), as in Swift, so that every path gives the same bits.
#include "ziggurat_kernels.h"
#include "cpu_features.h"

#include <string.h>

#pragma STDC FP_CONTRACT OFF
#if defined(__clang__)
#pragma clang fp contract(off)
#endif

/// One draw of the fast path: the signed candidate (as a Double) and whether it is accepted.
#define DPSYNTH_ZIGGURAT_BODY(OUTPUT_TYPE)                                                         \
    for (size_t k = 0; k < count; k++) {                                                            \
        uint64_t word = words[k];                                                                   \
        size_t layer = (size_t)(word & 0xFF);                                                       \
        double x = (double)(int64_t)(word >> 11) * 0x1.0p-53 * edges[layer];                        \
        accepted[k] = x < edges[layer + 1];                                                         \
        union { double value; uint64_t bits; } z = { x };                                           \
        z.bits ^= (word & 0x100) << 55;                                                             \
        output[k] = (OUTPUT_TYPE)(mean + standardDeviation * z.value);                              \
    }

#define DPSYNTH_ZIGGURAT_KERNEL(NAME, OUTPUT_TYPE)                                                 \
    static void NAME(const uint64_t *restrict words, size_t count, const double *restrict edges,   \
                     double mean, double standardDeviation, OUTPUT_TYPE *restrict output,          \
                     uint8_t *restrict accepted) {                                                  \
        DPSYNTH_ZIGGURAT_BODY(OUTPUT_TYPE)                                                          \
    }

DPSYNTH_ZIGGURAT_KERNEL(fast_float_portable, float)
DPSYNTH_ZIGGURAT_KERNEL(fast_double_portable, double)
#ifdef DPSYNTH_X86
__attribute__((target("avx2"))) DPSYNTH_ZIGGURAT_KERNEL(fast_float_avx2, float)
__attribute__((target("avx2"))) DPSYNTH_ZIGGURAT_KERNEL(fast_double_avx2, double)
__attribute__((target("avx512f,avx512dq"))) DPSYNTH_ZIGGURAT_KERNEL(fast_float_avx512, float)
__attribute__((target("avx512f,avx512dq"))) DPSYNTH_ZIGGURAT_KERNEL(fast_double_avx512, double)

static int has_avx512dq(void) { return dpsynth_cpu_has_avx512f() && __builtin_cpu_supports("avx512dq"); }
#endif

/// The indices of the zero bytes of `accepted`, in order. Eight flags are read as one word and
/// skipped together when all are set (≈ 92% of groups at a 1% rejection rate).
static size_t collect_rejected(const uint8_t *accepted, size_t count, uint32_t *rejected) {
    size_t found = 0, k = 0;
    for (; k + 8 <= count; k += 8) {
        uint64_t group;
        memcpy(&group, accepted + k, 8);
        if (group == 0x0101010101010101ull) continue;
        for (size_t j = k; j < k + 8; j++) {
            rejected[found] = (uint32_t)j;
            found += !accepted[j];
        }
    }
    for (; k < count; k++) {
        rejected[found] = (uint32_t)k;
        found += !accepted[k];
    }
    return found;
}

/// Blocks of this many words keep the byte mask on the stack.
enum { block = 512 };

/// An exported entry point: dispatch per block of `block` words, then collect the rejections.
#ifdef DPSYNTH_X86
#define DPSYNTH_ZIGGURAT_DISPATCH(SUFFIX)                                                                       \
    if (has_avx512dq()) fast_##SUFFIX##_avx512(words + start, n, edges, mean, standardDeviation, output + start, accepted); \
    else if (dpsynth_cpu_has_avx2()) fast_##SUFFIX##_avx2(words + start, n, edges, mean, standardDeviation, output + start, accepted); \
    else fast_##SUFFIX##_portable(words + start, n, edges, mean, standardDeviation, output + start, accepted);
#else
#define DPSYNTH_ZIGGURAT_DISPATCH(SUFFIX)                                                                       \
    fast_##SUFFIX##_portable(words + start, n, edges, mean, standardDeviation, output + start, accepted);
#endif

#define DPSYNTH_ZIGGURAT_ENTRY(SUFFIX, OUTPUT_TYPE)                                                            \
    size_t dpsynth_ziggurat_fast_##SUFFIX(const uint64_t *words, size_t count, const double *edges, double mean, \
                                          double standardDeviation, OUTPUT_TYPE *output, uint32_t *rejected) { \
        uint8_t accepted[block];                                                                               \
        size_t found = 0;                                                                                      \
        for (size_t start = 0; start < count; start += block) {                                                \
            size_t n = count - start < block ? count - start : block;                                          \
            DPSYNTH_ZIGGURAT_DISPATCH(SUFFIX)                                                                  \
            size_t here = collect_rejected(accepted, n, rejected + found);                                     \
            for (size_t r = 0; r < here; r++) rejected[found + r] += (uint32_t)start;                          \
            found += here;                                                                                     \
        }                                                                                                      \
        return found;                                                                                          \
    }

DPSYNTH_ZIGGURAT_ENTRY(float, float)
DPSYNTH_ZIGGURAT_ENTRY(double, double)
