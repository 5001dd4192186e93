// Umbrella header of the C kernels: SIMD code with run-time instruction-set dispatch, and
// allocator tuning, for DPSynthRandom and DPSynthEngine.
#include "chacha20_blocks.h"
#include "optimizer_kernels.h"
#include "allocator_tuning.h"
#include "reduction_kernels.h"
#include "instruction_set.h"
#include "ziggurat_kernels.h"
#include "worker_pool.h"
