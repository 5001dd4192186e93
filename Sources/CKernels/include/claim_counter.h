#ifndef DPSYNTH_CLAIM_COUNTER_H
#define DPSYNTH_CLAIM_COUNTER_H

/// A counter that hands out 0, 1, 2, … once each to whichever threads ask: the DP noise's
/// streams are claimed through it by the background prefetch and by the training thread that
/// needs the values, so every stream is drawn exactly once whoever gets to it first.
typedef struct dpsynth_claim_counter dpsynth_claim_counter;

dpsynth_claim_counter *dpsynth_claim_counter_create(void);
void dpsynth_claim_counter_destroy(dpsynth_claim_counter *counter);
/// The next value (atomic fetch-and-add).
long dpsynth_claim_next(dpsynth_claim_counter *counter);

#endif
