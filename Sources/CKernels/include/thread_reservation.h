#ifndef DPSYNTH_THREAD_RESERVATION_H
#define DPSYNTH_THREAD_RESERVATION_H

/// A process-wide count of cores held by background work (DP noise drawn ahead of the next
/// step), read by the engine before each matrix product or parallel loop so that OpenBLAS and
/// the worker pool leave those cores alone. Atomic: background threads change it while the
/// training thread reads it.
void dpsynth_reserve_thread(void);
void dpsynth_release_thread(void);
int dpsynth_reserved_threads(void);

#endif
