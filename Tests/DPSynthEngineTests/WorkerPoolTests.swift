import CKernels
import Dispatch
import DPSynthRandom
import XCTest
@testable import DPSynthEngine

/// The engine's worker pool (`CKernels/worker_pool.c`) and the tiling of products over it.
final class WorkerPoolTests: XCTestCase {
    private var previousThreadCount = 1

    override func setUp() {
        previousThreadCount = Engine.threadCount
        Engine.threadCount = 2
    }

    override func tearDown() { Engine.threadCount = previousThreadCount }

    /// Every index runs exactly once, on a job shared with a worker at least once over many jobs
    /// (otherwise the pool would not be exercised), for counts around the pool's edge cases.
    func testEveryIndexRunsOnceAndWorkersTakePart() {
        let sharedBefore = dpsynth_pool_shared_jobs()
        for count in [0, 1, 2, 3, 17, 1000] {
            for _ in 0..<200 {
                let runs = UnsafeMutablePointer<Int>.allocate(capacity: Swift.max(count, 1))
                runs.initialize(repeating: 0, count: Swift.max(count, 1))
                defer { runs.deallocate() }
                Kernels.concurrentForEach(count: count) { index in
                    // Enough work per index for a worker to wake and claim some.
                    var x = Double(index)
                    for _ in 0..<200 { x = (x * 1.000001).squareRoot() + 1 }
                    runs[index] += x > 0 ? 1 : 0
                }
                XCTAssertEqual((0..<count).filter { runs[$0] != 1 }, [], "count \(count)")
            }
        }
        XCTAssertGreaterThan(dpsynth_pool_shared_jobs(), sharedBefore, "no job was ever shared with a worker")
    }

    /// A job started inside a job, and jobs started from several threads at once, run to the end
    /// (inline on their own thread) instead of waiting for each other.
    func testNestedAndConcurrentJobsComplete() {
        let outer = 8, inner = 50
        let cells = UnsafeMutablePointer<Int>.allocate(capacity: outer * inner)
        defer { cells.deallocate() }
        cells.initialize(repeating: 0, count: outer * inner)
        Kernels.concurrentForEach(count: outer) { i in
            Kernels.concurrentForEach(count: inner) { j in cells[i * inner + j] += 1 }
        }
        XCTAssertEqual((0..<(outer * inner)).filter { cells[$0] != 1 }, [])

        let callers = 4, perCaller = 300
        let counts = UnsafeMutablePointer<Int>.allocate(capacity: callers * perCaller)
        defer { counts.deallocate() }
        counts.initialize(repeating: 0, count: callers * perCaller)
        DispatchQueue.concurrentPerform(iterations: callers) { caller in
            for round in 0..<50 {
                Kernels.concurrentForEach(count: perCaller) { index in
                    if round == 0 { counts[caller * perCaller + index] += 1 }
                }
            }
        }
        XCTAssertEqual((0..<(callers * perCaller)).filter { counts[$0] != 1 }, [])
    }

    /// Background work is done by idle workers one piece at a time, never after `withdraw`
    /// returns, and a second task cannot be posted beside the first.
    func testBackgroundWorkIsTakenAndWithdrawn() {
        let lock = NSLock()
        var pieces = 0
        var afterWithdraw = false
        var touchedAfterWithdraw = false
        let task = BackgroundTask {
            lock.lock(); defer { lock.unlock() }
            if afterWithdraw { touchedAfterWithdraw = true }
            pieces += 1
            return pieces < 1_000_000
        }
        XCTAssertTrue(task.post())
        let other = BackgroundTask { false }
        XCTAssertFalse(other.post(), "one background task at a time")
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline {
            lock.lock(); let done = pieces; lock.unlock()
            if done >= 100 { break }
        }
        task.withdraw()
        lock.lock(); afterWithdraw = true; let atWithdraw = pieces; lock.unlock()
        Thread.sleep(forTimeInterval: 0.05)
        lock.lock(); let later = pieces; lock.unlock()
        XCTAssertGreaterThanOrEqual(atWithdraw, 100, "idle workers did not take the background work")
        XCTAssertEqual(later, atWithdraw, "a piece ran after withdraw returned")
        XCTAssertFalse(touchedAfterWithdraw)
        XCTAssertTrue(other.post(), "the slot is free again")
        other.withdraw()

        Engine.threadCount = 1
        let alone = BackgroundTask { true }
        XCTAssertFalse(alone.post(), "with one thread there is no worker to post to")
    }

    /// Tiles cover every cell of C once, never exceed `maximumTiles`, stay above the minimum
    /// work, and are aligned.
    func testTilingCoversTheProductOnce() {
        for (m, n, k) in [(64, 256, 128), (1024, 256, 256), (256, 256, 1024), (3, 5, 7), (2048, 1, 256),
                          (100, 300, 200), (33, 1000, 4096), (4096, 4096, 4096), (0, 5, 5)] {
            let tiling = GemmTiling(m: m, n: n, k: k)
            XCTAssertLessThanOrEqual(tiling.count, GemmTiling.maximumTiles)
            if tiling.count > 1 {
                XCTAssertGreaterThanOrEqual(m * n * k / tiling.count, GemmTiling.minimumTileWork / 2, "\(m)×\(n)×\(k)")
            }
            var covered = [Int](repeating: 0, count: m * n)
            for tile in 0..<tiling.count {
                let rows = tiling.rows(ofTile: tile), columns = tiling.columns(ofTile: tile)
                if rows.lowerBound < m { XCTAssertEqual(rows.lowerBound % GemmTiling.alignment, 0) }
                if columns.lowerBound < n { XCTAssertEqual(columns.lowerBound % GemmTiling.alignment, 0) }
                for row in rows { for column in columns { covered[row * n + column] += 1 } }
            }
            XCTAssertTrue(covered.allSatisfy { $0 == 1 }, "\(m)×\(n)×\(k): \(tiling.rowBlocks)×\(tiling.columnBlocks)")
        }
        XCTAssertGreaterThan(GemmTiling(m: 1024, n: 256, k: 256).count, 1, "large products are split")
        XCTAssertEqual(GemmTiling(m: 64, n: 256, k: 32).count, 1, "small products are not")
    }

    /// A split product equals a Double reference computed element by element (transposes and
    /// sub-matrix leading dimensions of the tiles are right).
    func testTiledProductsMatchAReference() {
        let random = SeededGenerator(seed: 21)
        for (m, n, k) in [(130, 300, 200), (1024, 96, 64), (40, 1000, 130)] {
            XCTAssertGreaterThan(GemmTiling(m: m, n: n, k: k).count, 1)
            for (transposeA, transposeB) in [(false, false), (true, false), (false, true), (true, true)] {
                let a = random.gaussianFloats(count: m * k), b = random.gaussianFloats(count: k * n)
                let c = Kernels.product(a, b, m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB)
                var worst = 0.0
                for i in 0..<m {
                    for j in 0..<n {
                        var sum = 0.0
                        for p in 0..<k {
                            let x = transposeA ? a[p * m + i] : a[i * k + p]
                            let y = transposeB ? b[j * k + p] : b[p * n + j]
                            sum += Double(x) * Double(y)
                        }
                        worst = Swift.max(worst, abs(Double(c[i * n + j]) - sum))
                    }
                }
                XCTAssertLessThan(worst, 1e-3, "\(m)×\(n)×\(k), transposes \(transposeA) \(transposeB)")
            }
        }
    }
}

extension Kernels {
    /// `gemm` on arrays: op(A)·op(B) as a new row-major m×n array (for tests).
    static func product(_ a: [Float], _ b: [Float], m: Int, n: Int, k: Int,
                        transposeA: Bool, transposeB: Bool) -> [Float] {
        var c = [Float](repeating: 0, count: m * n)
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    gemm(a.baseAddress!, b.baseAddress!, into: c.baseAddress!, m: m, n: n, k: k,
                         transposeA: transposeA, transposeB: transposeB)
                }
            }
        }
        return c
    }
}
