#ifndef DPSYNTH_REDUCTION_KERNELS_H
#define DPSYNTH_REDUCTION_KERNELS_H

#include <stddef.h>

/// result[r] = Σ_c x[r·columns + c]² for each of `rows` rows of a row-major matrix: sixteen
/// Float lanes per block of 256 elements, each block's lanes added in a fixed order and
/// accumulated in double (so the error does not grow with the row length). AVX-512F or AVX2
/// when the CPU has them; every path performs the same IEEE operations in the same order
/// (no FMA contraction), so the results do not depend on the CPU.
void dpsynth_row_sums_of_squares(const float *x, size_t rows, size_t columns, double *result);

#endif
