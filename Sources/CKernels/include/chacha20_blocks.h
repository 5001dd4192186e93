#ifndef DPSYNTH_CHACHA20_BLOCKS_H
#define DPSYNTH_CHACHA20_BLOCKS_H

#include <stdint.h>

/// The ChaCha20 block function (RFC 8439 §2.3) on several consecutive blocks at once, one
/// block per vector lane. Each kernel writes the same keystream; they differ only in width.
typedef enum {
    /// 4 blocks per call with 128-bit vectors (SSE2 / NEON): runs on every CPU.
    DPSynthChaCha20KernelPortable = 0,
    /// 8 blocks per call with 256-bit AVX2 vectors.
    DPSynthChaCha20KernelAVX2 = 1,
    /// 16 blocks per call with 512-bit AVX-512F vectors.
    DPSynthChaCha20KernelAVX512 = 2,
} DPSynthChaCha20Kernel;

/// Blocks written by one call of `kernel`.
int dpsynth_chacha20_blocks_per_call(DPSynthChaCha20Kernel kernel);

/// 1 when this CPU (and operating system) can run `kernel`, 0 otherwise.
int dpsynth_chacha20_kernel_is_supported(DPSynthChaCha20Kernel kernel);

/// The widest kernel this CPU runs.
DPSynthChaCha20Kernel dpsynth_chacha20_best_kernel(void);

/// Writes keystream blocks `counter`, `counter + 1`, … (`dpsynth_chacha20_blocks_per_call`
/// of them, 16 words each, in order) to `output`. A block whose 32-bit counter wrapped past
/// 2^32 − 1 uses nonce word 0 plus one, as successive single-block calls would. `kernel` must
/// be supported.
void dpsynth_chacha20_blocks(DPSynthChaCha20Kernel kernel, const uint32_t key[8], const uint32_t nonce[3],
                             uint32_t counter, uint32_t *output);

#endif
