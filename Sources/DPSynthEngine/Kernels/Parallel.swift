import CKernels

/// Splitting work across the engine's `Engine.threadCount` threads (the worker pool of
/// `CKernels/worker_pool.c`).
///
/// Handing a job to the pool costs about a microsecond when its workers are awake, so only
/// loops over at least `parallelMinimumCount` elements are split (a [64, 256] activation is
/// 16,384, a few microseconds of work); smaller ones run on the calling thread. 16,384 rather
/// than the 65,536 of the dispatch-queue days: the DP and GAN steps at batch 64 took 2–6 % less
/// (`bench --suite dpsgd`, five alternating runs), batch 256 and the flchain fit the same. Chunks are
/// contiguous and cache-line aligned, and each element is computed by exactly the same code
/// whatever the split, so results do not depend on the thread count.
extension Kernels {
    /// Elements below which a loop stays on the calling thread.
    static let parallelMinimumCount = 1 << 14
    /// The most pieces a loop is cut into: more pieces than threads let a worker that comes late
    /// (it was drawing noise) still take a share, and a caller never waits for a piece not started.
    static let maximumPieces = 16

    /// Runs `body(i)` for every i in 0..<count on the calling thread and the pool's workers,
    /// each index once, and returns when all have finished. Indices are claimed one at a time by
    /// whichever thread is free; a call made from inside another job runs on its own thread.
    public static func concurrentForEach(count: Int, _ body: (Int) -> Void) {
        guard count > 1 else {
            if count == 1 { body(0) }
            return
        }
        _ = Engine.poolIsPrepared
        withoutActuallyEscaping(body) { body in
            var task = body
            withUnsafeMutablePointer(to: &task) { pointer in
                dpsynth_pool_run(count, { context, index in
                    context!.assumingMemoryBound(to: ((Int) -> Void).self).pointee(index)
                }, pointer)
            }
        }
    }

    /// Calls `body` on disjoint ranges covering 0..<count, concurrently when `count` is large
    /// enough and more than one thread is configured.
    @inline(__always)
    static func forEachChunk(count: Int, minimumCount: Int = parallelMinimumCount,
                             _ body: (Range<Int>) -> Void) {
        guard Engine.threadCount > 1, count >= minimumCount else {
            body(0..<count)
            return
        }
        let chunks = Swift.min(maximumPieces, count / (minimumCount / 2))
        // Multiples of 16 Floats: chunk boundaries fall on 64-byte lines.
        let chunk = ((count + chunks - 1) / chunks + 15) & ~15
        concurrentForEach(count: chunks) { index in
            let start = Swift.min(count, index * chunk)
            body(start..<Swift.min(count, start + chunk))
        }
    }

    /// `forEachChunk` over the rows of a rows×columns matrix, split when the matrix is large.
    @inline(__always)
    static func forEachRowChunk(rows: Int, columns: Int, _ body: (Range<Int>) -> Void) {
        let elements = rows * columns
        guard Engine.threadCount > 1, elements >= parallelMinimumCount, rows >= 2 else {
            body(0..<rows)
            return
        }
        let chunks = Swift.min(maximumPieces, rows, elements / (parallelMinimumCount / 2))
        let chunk = (rows + chunks - 1) / chunks
        concurrentForEach(count: (rows + chunk - 1) / chunk) { index in
            let start = index * chunk
            body(start..<Swift.min(rows, start + chunk))
        }
    }
}

/// Work the pool's idle workers do a piece at a time while the training thread runs its step:
/// the next DP step's noise. A worker takes the next piece only when no parallel job has a
/// piece left, so background work fills the gaps of the step and never delays a product.
///
/// The owner must `withdraw()` the task before letting go of it: withdrawing waits for the
/// pieces under way, after which no worker touches the task.
public final class BackgroundTask {
    /// One piece of the work; returns false when no piece remains.
    private let piece: () -> Bool
    private var isPosted = false

    public init(piece: @escaping () -> Bool) {
        self.piece = piece
    }

    deinit {
        precondition(!isPosted, "a posted BackgroundTask was released without being withdrawn")
    }

    /// Offers the task to idle workers. Returns false (nothing posted) with one thread, or when
    /// another task is posted already; the owner then does the work itself.
    @discardableResult
    public func post() -> Bool {
        _ = Engine.poolIsPrepared
        precondition(!isPosted, "the task is posted already")
        isPosted = dpsynth_pool_post({ context in
            Unmanaged<BackgroundTask>.fromOpaque(context!).takeUnretainedValue().piece() ? 1 : 0
        }, Unmanaged.passUnretained(self).toOpaque()) != 0
        return isPosted
    }

    /// Takes the task back: no worker starts another piece, and the pieces under way have
    /// finished when this returns.
    public func withdraw() {
        guard isPosted else { return }
        dpsynth_pool_withdraw(Unmanaged.passUnretained(self).toOpaque())
        isPosted = false
    }
}
