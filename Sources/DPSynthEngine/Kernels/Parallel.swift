import Dispatch

/// Splitting elementwise work across `Engine.availableThreadCount` threads.
///
/// A dispatch to the worker pool costs a few microseconds, so only loops over at least
/// `parallelMinimumCount` elements are split (a [1024, 256] activation is 262,144); smaller
/// ones, the common case at batch 64, run on the calling thread. Chunks are contiguous and
/// cache-line aligned, and each element is computed by exactly the same code whatever the
/// split, so results do not depend on the thread count.
extension Kernels {
    /// Elements below which a loop stays on the calling thread.
    static let parallelMinimumCount = 1 << 16

    /// Calls `body` on disjoint ranges covering 0..<count, concurrently when `count` is large
    /// enough and more than one thread is configured.
    @inline(__always)
    static func forEachChunk(count: Int, minimumCount: Int = parallelMinimumCount,
                             _ body: (Range<Int>) -> Void) {
        let threads = Engine.availableThreadCount
        guard threads > 1, count >= minimumCount else {
            body(0..<count)
            return
        }
        let chunks = Swift.min(threads, count / (minimumCount / 2))
        // Multiples of 16 Floats: chunk boundaries fall on 64-byte lines.
        let chunk = ((count + chunks - 1) / chunks + 15) & ~15
        DispatchQueue.concurrentPerform(iterations: chunks) { index in
            let start = Swift.min(count, index * chunk)
            body(start..<Swift.min(count, start + chunk))
        }
    }

    /// `forEachChunk` over the rows of a rows×columns matrix, split when the matrix is large.
    @inline(__always)
    static func forEachRowChunk(rows: Int, columns: Int, _ body: (Range<Int>) -> Void) {
        let threads = Engine.availableThreadCount
        guard threads > 1, rows * columns >= parallelMinimumCount, rows >= threads else {
            body(0..<rows)
            return
        }
        let chunk = (rows + threads - 1) / threads
        DispatchQueue.concurrentPerform(iterations: threads) { index in
            let start = Swift.min(rows, index * chunk)
            body(start..<Swift.min(rows, start + chunk))
        }
    }
}
