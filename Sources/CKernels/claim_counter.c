#include "claim_counter.h"

#include <stdatomic.h>
#include <stdlib.h>

struct dpsynth_claim_counter { atomic_long next; };

dpsynth_claim_counter *dpsynth_claim_counter_create(void) {
    dpsynth_claim_counter *counter = malloc(sizeof *counter);
    if (counter) atomic_init(&counter->next, 0);
    return counter;
}

void dpsynth_claim_counter_destroy(dpsynth_claim_counter *counter) { free(counter); }

// Relaxed is enough: the counter only decides who draws which stream; the values drawn are
// published to the reader by the dispatch group it waits on.
long dpsynth_claim_next(dpsynth_claim_counter *counter) {
    return atomic_fetch_add_explicit(&counter->next, 1, memory_order_relaxed);
}
