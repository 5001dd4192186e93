// Per-example squared norms (DP-SGD's ghost clipping reads ‖a_i‖² and ‖g_i‖² of every layer):
// a memory-bound reduction that the baseline SSE2 build runs at about two elements per cycle.
#include "reduction_kernels.h"
#include "cpu_features.h"

#include <string.h>

#pragma clang fp contract(off)

typedef float lanes16 __attribute__((vector_size(64)));

__attribute__((always_inline))
static inline double row_sum_of_squares(const float *x, size_t count) {
    double total = 0;
    size_t i = 0;
    const size_t vectorEnd = count - count % 16;
    while (i < vectorEnd) {
        const size_t end = i + 256 < vectorEnd ? i + 256 : vectorEnd;
        lanes16 partial = {0};
        for (; i < end; i += 16) {
            lanes16 v;
            memcpy(&v, x + i, sizeof v);
            partial += v * v;
        }
        // A fixed pairwise order, the same on every path.
        for (int width = 8; width >= 1; width /= 2)
            for (int lane = 0; lane < width; lane++) partial[lane] += partial[lane + width];
        const float sum = partial[0];
        total += (double)sum;
    }
    float tail = 0;
    for (; i < count; i++) tail += x[i] * x[i];
    return total + (double)tail;
}

__attribute__((always_inline))
static inline void rows_loop(const float *x, size_t rows, size_t columns, double *result) {
    for (size_t r = 0; r < rows; r++) result[r] = row_sum_of_squares(x + r * columns, columns);
}

static void rows_portable(const float *x, size_t rows, size_t columns, double *result) {
    rows_loop(x, rows, columns, result);
}

#ifdef DPSYNTH_X86
__attribute__((target("avx2")))
static void rows_avx2(const float *x, size_t rows, size_t columns, double *result) {
    rows_loop(x, rows, columns, result);
}

__attribute__((target("avx512f")))
static void rows_avx512(const float *x, size_t rows, size_t columns, double *result) {
    rows_loop(x, rows, columns, result);
}
#endif

void dpsynth_row_sums_of_squares(const float *x, size_t rows, size_t columns, double *result) {
#ifdef DPSYNTH_X86
    if (dpsynth_cpu_has_avx512f()) { rows_avx512(x, rows, columns, result); return; }
    if (dpsynth_cpu_has_avx2()) { rows_avx2(x, rows, columns, result); return; }
#endif
    rows_portable(x, rows, columns, result);
}
