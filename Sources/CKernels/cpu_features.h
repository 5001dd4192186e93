#ifndef DPSYNTH_CPU_FEATURES_H
#define DPSYNTH_CPU_FEATURES_H

// Run-time instruction-set levels shared by the kernels of this target. The package is built
// for the baseline ISA; wider code lives in functions marked __attribute__((target(...))) and
// is called only when the CPU (and OS, via XGETBV) supports it.
#include "instruction_set.h"

/// The widest level the dispatchers may use (DPSynthInstructionSetAuto: whatever the CPU has).
extern int dpsynth_instruction_set_limit;

#if defined(__x86_64__) || defined(__i386__)
#define DPSYNTH_X86 1
static inline int dpsynth_cpu_has_avx2(void) {
    return dpsynth_instruction_set_limit >= DPSynthInstructionSetAVX2 && __builtin_cpu_supports("avx2");
}
static inline int dpsynth_cpu_has_avx512f(void) {
    return dpsynth_instruction_set_limit >= DPSynthInstructionSetAVX512 && __builtin_cpu_supports("avx512f");
}
#else
static inline int dpsynth_cpu_has_avx2(void) { return 0; }
static inline int dpsynth_cpu_has_avx512f(void) { return 0; }
#endif

#endif
