#ifndef DPSYNTH_ALLOCATOR_TUNING_H
#define DPSYNTH_ALLOCATOR_TUNING_H

/// Asks the C allocator to keep freed blocks of up to 32 MiB in the process (glibc: raises
/// M_MMAP_THRESHOLD and M_TRIM_THRESHOLD). Returns 1 when the allocator accepted, 0 when it
/// refused or is not glibc's.
int dpsynth_keep_freed_memory(void);

#endif
