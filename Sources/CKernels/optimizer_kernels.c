// Optimizer updates on raw buffers. Written in C because Swift lowers a vector square root to
// one libm call per lane (errno semantics), which made Adam a third of a small training step;
// `__builtin_elementwise_sqrt` is the IEEE square root instruction with no errno.
#include "optimizer_kernels.h"
#include "cpu_features.h"

// No FMA contraction: the result must not depend on which path ran.
#pragma clang fp contract(off)

__attribute__((always_inline))
static inline void adam_loop(float *restrict theta, const float *restrict g, float *restrict m,
                             float *restrict v, size_t count, float beta1, float beta2, float stepSize,
                             float inverseRootCorrection, float epsilon) {
    const float oneMinusBeta1 = 1.0f - beta1, oneMinusBeta2 = 1.0f - beta2;
    for (size_t i = 0; i < count; i++) {
        const float gradient = g[i];
        const float first = beta1 * m[i] + oneMinusBeta1 * gradient;
        const float second = beta2 * v[i] + oneMinusBeta2 * gradient * gradient;
        m[i] = first;
        v[i] = second;
        theta[i] -= stepSize * first / (__builtin_elementwise_sqrt(second) * inverseRootCorrection + epsilon);
    }
}

static void adam_portable(float *theta, const float *g, float *m, float *v, size_t count, float beta1, float beta2,
                          float stepSize, float inverseRootCorrection, float epsilon) {
    adam_loop(theta, g, m, v, count, beta1, beta2, stepSize, inverseRootCorrection, epsilon);
}

#ifdef DPSYNTH_X86
__attribute__((target("avx2")))
static void adam_avx2(float *theta, const float *g, float *m, float *v, size_t count, float beta1, float beta2,
                      float stepSize, float inverseRootCorrection, float epsilon) {
    adam_loop(theta, g, m, v, count, beta1, beta2, stepSize, inverseRootCorrection, epsilon);
}

__attribute__((target("avx512f")))
static void adam_avx512(float *theta, const float *g, float *m, float *v, size_t count, float beta1, float beta2,
                        float stepSize, float inverseRootCorrection, float epsilon) {
    adam_loop(theta, g, m, v, count, beta1, beta2, stepSize, inverseRootCorrection, epsilon);
}
#endif

void dpsynth_adam_update(float *theta, const float *g, float *m, float *v, size_t count, float beta1, float beta2,
                         float stepSize, float inverseRootCorrection, float epsilon) {
#ifdef DPSYNTH_X86
    if (dpsynth_cpu_has_avx512f()) {
        adam_avx512(theta, g, m, v, count, beta1, beta2, stepSize, inverseRootCorrection, epsilon);
        return;
    }
    if (dpsynth_cpu_has_avx2()) {
        adam_avx2(theta, g, m, v, count, beta1, beta2, stepSize, inverseRootCorrection, epsilon);
        return;
    }
#endif
    adam_portable(theta, g, m, v, count, beta1, beta2, stepSize, inverseRootCorrection, epsilon);
}
