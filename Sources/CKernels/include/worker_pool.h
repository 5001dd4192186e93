#ifndef DPSYNTH_WORKER_POOL_H
#define DPSYNTH_WORKER_POOL_H

/// The engine's own worker threads, in place of OpenBLAS's: products are cut into tiles and
/// parallel loops into chunks, and the caller and the workers claim them one at a time; a
/// worker with nothing to claim runs the posted background task (the DP noise of the next
/// step) one piece at a time, so that noise fills the gaps of the step's own parallel work.
///
/// Why claiming rather than handing each worker its share: on a machine shared with other
/// processes a worker can be descheduled for milliseconds. A caller never waits for a tile
/// nobody has started; it takes it itself, and waits only for tiles already under way.
///
/// Idle workers spin for a short while (the gaps inside a training step are microseconds), then
/// sleep on a futex until new work is published.

/// One unit of a parallel job: `index` runs from 0 to the job's count - 1.
typedef void (*dpsynth_pool_task)(void *context, long index);
/// One piece of background work; returns nonzero while pieces remain.
typedef int (*dpsynth_pool_background_step)(void *context);

/// Sets the number of threads jobs use, the caller included (at least 1). Workers are started
/// on demand and never stopped; surplus ones sleep.
void dpsynth_pool_set_threads(int threads);

/// Runs task(context, i) for every i in [0, count) on the caller and the workers; returns when
/// all have finished. A call made while another job is running (from a task, or from a second
/// thread) runs its whole job on the calling thread.
void dpsynth_pool_run(long count, dpsynth_pool_task task, void *context);

/// Offers background work: idle workers call step(context) until it returns 0 or the work is
/// withdrawn. Returns 0 (and posts nothing) when other work is posted already or there are no
/// workers. The context must stay valid until `dpsynth_pool_withdraw(context)` has returned.
int dpsynth_pool_post(dpsynth_pool_background_step step, void *context);

/// Stops workers from taking further pieces of `context`'s background work and waits for the
/// pieces under way; no worker touches `context` after it returns. Harmless when `context` is
/// not posted.
void dpsynth_pool_withdraw(void *context);

/// For tests: how many parallel jobs ran on more than one thread since start-up.
long dpsynth_pool_shared_jobs(void);

#endif
