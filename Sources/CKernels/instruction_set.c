#include "cpu_features.h"

int dpsynth_instruction_set_limit = DPSynthInstructionSetAuto;

void dpsynth_limit_instruction_set(DPSynthInstructionSet level) { dpsynth_instruction_set_limit = (int)level; }
