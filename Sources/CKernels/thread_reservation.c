#include "thread_reservation.h"

#include <stdatomic.h>

static atomic_int reserved = 0;

void dpsynth_reserve_thread(void) { atomic_fetch_add_explicit(&reserved, 1, memory_order_relaxed); }

void dpsynth_release_thread(void) { atomic_fetch_sub_explicit(&reserved, 1, memory_order_relaxed); }

int dpsynth_reserved_threads(void) { return atomic_load_explicit(&reserved, memory_order_relaxed); }
