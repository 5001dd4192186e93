import XCTest
import Dispatch
@testable import DPSynthPrivacy
import DPSynthEngine
import DPSynthRandom

/// `NormalsDraw`: the streams of one call's normals are claimed by whichever thread gets to
/// them first (the background prefetch, the caller, the caller's workers); the values must not
/// depend on who drew what.
final class NormalsDrawTests: XCTestCase {
    private func streams(seed: UInt64) -> [RandomSource] {
        (0..<GaussianNoise.streamCount).map { SeededGenerator(seed: seed &+ UInt64($0)) }
    }

    private func values(of draw: NormalsDraw) -> [Float] {
        Array(UnsafeBufferPointer(start: draw.values, count: draw.count))
    }

    /// How many positions differ (a count, so that a failure does not print 200,000 values).
    private func mismatches(_ a: [Float], _ b: [Float]) -> Int {
        a.count == b.count ? zip(a, b).reduce(0) { $0 + ($1.0 == $1.1 ? 0 : 1) } : Swift.max(a.count, b.count)
    }

    func testRacingThreadsDrawTheSameValuesAsOneThread() {
        // Large enough (≈ 0.1 ms per stream) that the background thread and the caller overlap.
        let count = 200_003
        let reference = NormalsDraw(count: count, streams: streams(seed: 11))
        reference.complete(inParallel: false)
        let expected = values(of: reference)
        XCTAssertEqual(Set(expected.prefix(1000)).count, 1000, "the values are draws, not a constant")

        var sawSharedWork = false
        for trial in 0..<20 {
            let draw = NormalsDraw(count: count, streams: streams(seed: 11))
            let started = DispatchSemaphore(value: 0)
            let finished = DispatchGroup()
            DispatchQueue.global().async(group: finished) {
                started.signal()
                draw.drawFreePieces()
            }
            started.wait()
            // Alternate: the caller alone, and the caller with the engine's pool.
            draw.complete(inParallel: trial % 2 == 1)
            XCTAssertEqual(mismatches(values(of: draw), expected), 0, "trial \(trial)")
            finished.wait()
            sawSharedWork = sawSharedWork || draw.piecesDrawnByCompletion < draw.pieceCount
        }
        XCTAssertTrue(sawSharedWork, "in 20 trials the background thread never drew a stream: the race was not exercised")
    }

    /// Posted to the engine's pool, idle workers draw streams ahead; the caller's completion takes
    /// the rest and the values are those of one thread.
    func testIdleWorkersDrawAheadWithTheSameValues() {
        let previous = Engine.threadCount
        defer { Engine.threadCount = previous }
        Engine.threadCount = 2
        let count = 200_003
        let reference = NormalsDraw(count: count, streams: streams(seed: 12))
        reference.complete(inParallel: false)
        let expected = values(of: reference)
        var workersDrew = false
        for trial in 0..<20 {
            let draw = NormalsDraw(count: count, streams: streams(seed: 12))
            let task = draw.backgroundTask()
            XCTAssertTrue(task.post())
            // Give the workers between nothing and about two streams' time.
            Thread.sleep(forTimeInterval: Double(trial % 4) * 0.0002)
            draw.complete()
            task.withdraw()
            XCTAssertEqual(mismatches(values(of: draw), expected), 0, "trial \(trial)")
            workersDrew = workersDrew || draw.piecesDrawnByCompletion < draw.pieceCount
        }
        XCTAssertTrue(workersDrew, "in 20 trials no idle worker drew a stream")
    }

    func testEveryStreamIsDrawnOnceWhateverTheSize() {
        for count in [0, 1, 7, 8, 9, 255, 1000] {
            let draw = NormalsDraw(count: count, streams: streams(seed: 5))
            draw.complete()
            let once = NormalsDraw(count: count, streams: streams(seed: 5))
            once.complete(inParallel: false)
            XCTAssertEqual(values(of: draw), values(of: once), "count \(count)")
            // A second completion draws nothing more: the streams are not consumed again.
            draw.complete()
            XCTAssertEqual(values(of: draw), values(of: once), "count \(count), completed twice")
        }
    }
}
