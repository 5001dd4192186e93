#include "worker_pool.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <time.h>

// The current job. `claim` holds the job's generation in its high 32 bits and the next
// unclaimed index in its low 32 bits, so a claim made against a job that has since been
// replaced fails its compare-and-swap instead of running the new job's task with an index the
// new job never handed out. While a caller writes a new job's fields, the low half is CLOSED.
#define CLOSED 0xFFFFFFFFu
static _Atomic uint64_t claim = CLOSED;
static _Atomic long finished = 0;
static _Atomic(dpsynth_pool_task) job_task = 0;
static _Atomic(void *) job_context = 0;
static _Atomic long job_count = 0;
/// Set while some thread runs a shared job; a second job started meanwhile runs inline.
static atomic_int busy = 0;
static _Atomic long shared_jobs = 0;

static atomic_int configured_threads = 1;
static int started_workers = 0;
static pthread_mutex_t start_lock = PTHREAD_MUTEX_INITIALIZER;

// Background work: one posted task at a time.
static pthread_mutex_t background_lock = PTHREAD_MUTEX_INITIALIZER;
static dpsynth_pool_background_step background_step = 0;
static void *background_context = 0;
/// Nonzero while workers may take pieces of the posted task (read without the lock first).
static atomic_int background_open = 0;
/// Workers inside a piece of background work.
static atomic_int background_running = 0;

// Sleeping workers.
static pthread_mutex_t sleep_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t sleep_condition = PTHREAD_COND_INITIALIZER;
static atomic_int sleepers = 0;

/// How long an idle worker spins before it sleeps. The gaps between a training step's parallel
/// jobs, and between two steps at small batches, are shorter; a sleeping worker takes tens of
/// microseconds to wake.
static const long spin_nanoseconds = 200000;
/// How long a caller spins on tiles under way before it also yields its core.
static const long patient_nanoseconds = 1000000;

/// One turn of a spin loop: PAUSE (x86) or YIELD (ARM) tells the core, and an SMT sibling, that
/// this is a wait. (Under KVM a PAUSE loop can trigger pause-loop exits; on the project's VM an
/// empty loop instead measured the same, so the polite instruction stays.)
static inline void relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#else
    __asm__ __volatile__("" ::: "memory");
#endif
}

static long now_nanoseconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long)t.tv_sec * 1000000000L + t.tv_nsec;
}

static int foreground_available(void) {
    uint64_t current = atomic_load(&claim);
    return (long)(uint32_t)current < atomic_load_explicit(&job_count, memory_order_relaxed);
}

static int work_available(int worker) {
    return worker < atomic_load(&configured_threads) && (foreground_available() || atomic_load(&background_open));
}

static void wake_sleepers(void) {
    if (atomic_load(&sleepers) == 0) return;
    pthread_mutex_lock(&sleep_lock);
    pthread_cond_broadcast(&sleep_condition);
    pthread_mutex_unlock(&sleep_lock);
}

/// Claims and runs indices of the current job until none is left; returns how many it ran.
static long run_claims(void) {
    long ran = 0;
    uint64_t current = atomic_load_explicit(&claim, memory_order_acquire);
    for (;;) {
        // Read after an acquire load of `current`: at least as new as its job. If newer, the
        // compare-and-swap below fails and they are read again.
        long count = atomic_load_explicit(&job_count, memory_order_relaxed);
        dpsynth_pool_task task = atomic_load_explicit(&job_task, memory_order_relaxed);
        void *context = atomic_load_explicit(&job_context, memory_order_relaxed);
        long index = (long)(uint32_t)current;
        if (index >= count) return ran;
        if (atomic_compare_exchange_weak_explicit(&claim, &current, current + 1,
                                                  memory_order_acq_rel, memory_order_acquire)) {
            task(context, index);
            atomic_fetch_add_explicit(&finished, 1, memory_order_release);
            ran += 1;
            current = atomic_load_explicit(&claim, memory_order_acquire);
        }
    }
}

/// Runs one piece of the posted background work; returns 0 when none was posted.
static int run_background_piece(void) {
    if (!atomic_load(&background_open)) return 0;
    pthread_mutex_lock(&background_lock);
    if (!atomic_load(&background_open)) {
        pthread_mutex_unlock(&background_lock);
        return 0;
    }
    dpsynth_pool_background_step step = background_step;
    void *context = background_context;
    atomic_fetch_add(&background_running, 1);
    pthread_mutex_unlock(&background_lock);

    int more = step(context);

    pthread_mutex_lock(&background_lock);
    // `context` cannot have been withdrawn and posted again meanwhile: withdrawing waits for
    // `background_running` to reach zero.
    if (!more && background_context == context) atomic_store(&background_open, 0);
    atomic_fetch_sub(&background_running, 1);
    pthread_mutex_unlock(&background_lock);
    return 1;
}

static void *worker_main(void *argument) {
    int worker = (int)(intptr_t)argument;
    for (;;) {
        if (worker < atomic_load(&configured_threads)) {
            if (run_claims() > 0) continue;
            if (run_background_piece()) continue;
            long deadline = now_nanoseconds() + spin_nanoseconds;
            int found = 0;
            for (long spins = 1; !found; spins++) {
                relax();
                found = work_available(worker);
                if (!found && spins % 256 == 0 && now_nanoseconds() > deadline) break;
            }
            if (found) continue;
        }
        pthread_mutex_lock(&sleep_lock);
        atomic_fetch_add(&sleepers, 1);
        while (!work_available(worker)) pthread_cond_wait(&sleep_condition, &sleep_lock);
        atomic_fetch_sub(&sleepers, 1);
        pthread_mutex_unlock(&sleep_lock);
    }
    return 0;
}

void dpsynth_pool_set_threads(int threads) {
    if (threads < 1) threads = 1;
    pthread_mutex_lock(&start_lock);
    while (started_workers < threads - 1) {
        pthread_t thread;
        pthread_attr_t attributes;
        pthread_attr_init(&attributes);
        pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
        int failed = pthread_create(&thread, &attributes, worker_main, (void *)(intptr_t)(started_workers + 1));
        pthread_attr_destroy(&attributes);
        if (failed) break;  // run with the workers there are
        started_workers += 1;
    }
    if (threads > started_workers + 1) threads = started_workers + 1;
    atomic_store(&configured_threads, threads);
    pthread_mutex_unlock(&start_lock);
    wake_sleepers();
}

void dpsynth_pool_run(long count, dpsynth_pool_task task, void *context) {
    if (count <= 0) return;
    int expected = 0;
    if (count == 1 || count >= (long)CLOSED || atomic_load(&configured_threads) < 2
        || !atomic_compare_exchange_strong(&busy, &expected, 1)) {
        for (long index = 0; index < count; index++) task(context, index);
        return;
    }
    uint64_t generation = (atomic_load(&claim) >> 32) + 1;
    atomic_store(&claim, (generation << 32) | CLOSED);
    atomic_store_explicit(&job_task, task, memory_order_relaxed);
    atomic_store_explicit(&job_context, context, memory_order_relaxed);
    atomic_store_explicit(&job_count, count, memory_order_relaxed);
    atomic_store_explicit(&finished, 0, memory_order_relaxed);
    atomic_store(&claim, generation << 32);  // opens the job (sequentially consistent: see wake_sleepers)
    wake_sleepers();

    long ranHere = run_claims();
    long start = 0;
    for (long spins = 1; atomic_load_explicit(&finished, memory_order_acquire) < count; spins++) {
        // Tiles under way on a worker: spin briefly, then give the core away (the worker may be
        // waiting for it on a loaded machine).
        if (start == 0 && spins % 256 == 0) start = now_nanoseconds();
        if (start != 0 && spins % 256 == 0 && now_nanoseconds() - start > patient_nanoseconds) sched_yield();
        else relax();
    }
    if (ranHere < count) atomic_fetch_add(&shared_jobs, 1);
    atomic_store(&busy, 0);
}

int dpsynth_pool_post(dpsynth_pool_background_step step, void *context) {
    if (atomic_load(&configured_threads) < 2) return 0;
    pthread_mutex_lock(&background_lock);
    int posted = background_context == 0;
    if (posted) {
        background_step = step;
        background_context = context;
        atomic_store(&background_open, 1);
    }
    pthread_mutex_unlock(&background_lock);
    if (posted) wake_sleepers();
    return posted;
}

void dpsynth_pool_withdraw(void *context) {
    pthread_mutex_lock(&background_lock);
    if (background_context == context) {
        atomic_store(&background_open, 0);
        background_context = 0;
        background_step = 0;
    }
    pthread_mutex_unlock(&background_lock);
    // Pieces under way (of this context, or of a later one; waiting for those too is harmless).
    for (long spins = 1; atomic_load(&background_running) > 0; spins++) {
        if (spins % 1024 == 0) sched_yield(); else relax();
    }
}

long dpsynth_pool_shared_jobs(void) { return atomic_load(&shared_jobs); }
