#ifndef DPSYNTH_INSTRUCTION_SET_H
#define DPSYNTH_INSTRUCTION_SET_H

/// Instruction-set levels of the kernels' run-time dispatch (Adam, row norms, ChaCha20 support).
typedef enum {
    DPSynthInstructionSetPortable = 0,
    DPSynthInstructionSetAVX2 = 1,
    DPSynthInstructionSetAVX512 = 2,
    /// No limit: the widest level the CPU supports (the default).
    DPSynthInstructionSetAuto = 3,
} DPSynthInstructionSet;

/// Caps the level the dispatchers use, process-wide: tests run every path this CPU supports
/// and compare the bits. Not for production use.
void dpsynth_limit_instruction_set(DPSynthInstructionSet level);

#endif
