#ifndef DPSYNTH_ZIGGURAT_KERNELS_H
#define DPSYNTH_ZIGGURAT_KERNELS_H

#include <stddef.h>
#include <stdint.h>

/// The fast path of the 256-layer normal ziggurat (DPSynthRandom's `NormalZiggurat`) over a
/// block of 64-bit words, vectorised: for word w, layer i = w & 0xFF, x = (w >> 11)·2⁻⁵³·edges[i],
/// accepted when x < edges[i + 1], with bit 8 of w as the sign. Accepted draws are written as
/// `mean + standardDeviation·z` (Double arithmetic, no fused multiply-add, then rounded once to
/// the output type), exactly as the scalar Swift path computes them. The indices of the
/// rejected words (≈ 1%) are written in increasing order to `rejected`, and their count
/// returned: the caller runs the exact wedge/tail path on them, in that order, so the output
/// and the generator's stream are the same as drawing one value at a time.
///
/// `edges` has 257 entries (x₀ … x₂₅₆). `rejected` has room for `count` indices.
size_t dpsynth_ziggurat_fast_float(const uint64_t *words, size_t count, const double *edges, double mean,
                                   double standardDeviation, float *output, uint32_t *rejected);

/// As `dpsynth_ziggurat_fast_float`, writing Doubles.
size_t dpsynth_ziggurat_fast_double(const uint64_t *words, size_t count, const double *edges, double mean,
                                    double standardDeviation, double *output, uint32_t *rejected);

#endif
