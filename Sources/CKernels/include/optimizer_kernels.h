#ifndef DPSYNTH_OPTIMIZER_KERNELS_H
#define DPSYNTH_OPTIMIZER_KERNELS_H

#include <stddef.h>

/// One Adam update (Kingma & Ba 2015, Algorithm 1) of `count` coordinates:
/// m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²; θ ← θ − stepSize·m / (√v·inverseRootCorrection + ε).
/// The four buffers must not overlap. Uses AVX-512F or AVX2 when the CPU has them; every
/// path computes each coordinate with the same IEEE operations (no FMA contraction, exact
/// square root and division), so results do not depend on the CPU.
void dpsynth_adam_update(float *theta, const float *gradients, float *firstMoments, float *secondMoments,
                         size_t count, float beta1, float beta2, float stepSize, float inverseRootCorrection,
                         float epsilon);

#endif
