import DPSynthEngine
import DPSynthRandom
import Foundation
import Synchronization

/// The noise phase: N(0, (σC)²) added to every coordinate of the clipped sum (the Gaussian
/// mechanism with L2 sensitivity C; Abadi et al. 2016, Algorithm 1, "Add noise").
///
/// Noise generation is the DP step's largest own cost (one 53-bit ziggurat draw per coordinate
/// from ChaCha20, ~3.5 ns on one core: `dpsynth bench --suite random`), so:
/// - the coordinates are cut into `streamCount` fixed chunks, each drawn from its own generator,
///   in parallel on up to `Engine.threadCount` threads;
/// - with more than one thread and when the caller asks for it, the standard normals of the
///   *next* call are posted as background work to the engine's worker pool as soon as a call
///   returns: idle workers draw them a stream at a time in the gaps of the next batch's forward
///   and backward passes (noise does not depend on the data). A call that comes
///   before the background has finished draws the streams not yet started itself instead of
///   waiting for them (`NormalsDraw`). Stream k always fills chunk k, so a seeded run gives the
///   same bytes with 1 or 2 threads, with or without the prefetch, whoever drew which stream.
public final class GaussianNoise {
    /// The number of independent streams (and chunks).
    public static let streamCount = 8
    /// Coordinates per piece of the noise addition handed to the engine's threads.
    static let addPiece = 16_384
    private let streams: [RandomSource]
    /// The next call's normals, being drawn in the background.
    private var prefetched: NormalsDraw?
    /// `prefetched` as the pool's background work, posted to idle workers.
    private var prefetchTask: BackgroundTask?

    /// Streams keyed from operating-system entropy (each a `SecureGenerator`).
    public init() throws {
        streams = try (0..<GaussianNoise.streamCount).map { _ in try SecureGenerator() }
    }

    /// Streams derived from `source`: fresh OS-entropy `SecureGenerator`s when `source` is
    /// cryptographically secure (a secure source cannot be replayed anyway), otherwise
    /// `SeededGenerator`s seeded from `source`'s next outputs (reproducible, not secure).
    public init(derivedFrom source: RandomSource) throws {
        if source.isCryptographicallySecure {
            streams = try (0..<GaussianNoise.streamCount).map { _ in try SecureGenerator() }
        } else {
            streams = (0..<GaussianNoise.streamCount).map { _ in SeededGenerator(seed: source.next()) }
        }
    }

    deinit { withdrawPrefetch() }

    private func withdrawPrefetch() {
        prefetchTask?.withdraw()
        prefetchTask = nil
    }

    public var isCryptographicallySecure: Bool { streams.allSatisfy(\.isCryptographicallySecure) }

    /// Adds independent N(0, standardDeviation²) noise to every element of `gradients`, then
    /// multiplies by `scale` (DP-SGD's 1/(qN)) in the same pass: g ← (g + σz)·scale.
    /// `prefetchesNext` draws the next call's normals in the background (see the type's note);
    /// otherwise each call draws its own on all threads.
    public func add(to gradients: inout [Tensor], standardDeviation: Double, scale: Float = 1, prefetchesNext: Bool = true) {
        guard standardDeviation > 0 else {
            for index in gradients.indices where scale != 1 {
                gradients[index].withUnsafeMutableBufferPointer { buffer in for i in buffer.indices { buffer[i] *= scale } }
            }
            return
        }
        var segments: [UnsafeMutableBufferPointer<Float>] = []
        for index in gradients.indices {
            gradients[index].withUnsafeMutableBufferPointer { segments.append($0) }
        }
        let total = segments.reduce(0) { $0 + $1.count }
        if let pending = prefetched, pending.count != total {
            // Drawn for another size: finish it (its streams must not be shared with a new
            // draw), then drop it.
            pending.complete(inParallel: false)
            withdrawPrefetch()
            prefetched = nil
        }

        let normals = prefetched ?? NormalsDraw(count: total, streams: streams)
        prefetched = nil
        // Takes back a prefetch still under way, drawing the streams it has not started on the
        // engine's threads, or draws every stream there.
        normals.complete()
        // After `complete`: every stream is drawn, so this waits at most for a worker's piece
        // that found nothing left.
        withdrawPrefetch()
        // g ← (g + σz)·scale in pieces of at most `addPiece` coordinates over the engine's
        // threads (each coordinate computed the same way whoever takes its piece).
        let deviation = Float(standardDeviation)
        var pieces: [(segment: UnsafeMutableBufferPointer<Float>, normals: UnsafePointer<Float>)] = []
        var offset = 0
        for segment in segments {
            for start in stride(from: 0, to: segment.count, by: Self.addPiece) {
                let end = Swift.min(segment.count, start + Self.addPiece)
                pieces.append((UnsafeMutableBufferPointer(rebasing: segment[start..<end]),
                               UnsafePointer(normals.values + offset + start)))
            }
            offset += segment.count
        }
        Kernels.concurrentForEach(count: pieces.count) { index in
            let (segment, z) = pieces[index]
            for i in segment.indices { segment[i] = (segment[i] + deviation * z[i]) * scale }
        }
        if prefetchesNext && Engine.threadCount > 1 && total > 0 {
            // Idle workers of the engine's pool draw the next call's streams one at a time,
            // between the parallel pieces of the next forward and backward passes.
            let next = NormalsDraw(count: total, streams: streams)
            let task = next.backgroundTask()
            task.post()
            prefetched = next
            prefetchTask = task
        }
    }
}

/// One call's standard normals: stream k fills the k-th of `streams.count` equal chunks, in
/// pieces of `pieceLength` values drawn in order. Any thread may draw the next piece of a
/// stream nobody is drawing (an idle pool worker drawing ahead, the caller, the pool's threads
/// helping the caller); a stream's pieces are drawn one after another, each by one thread, with
/// the same fill calls whoever makes them, so the values do not depend on who drew what.
///
/// Why pieces rather than whole streams: a worker drawing ahead answers the step's next matrix
/// product only between two of its pieces. A piece of 2,048 values takes about 7 µs, a whole
/// stream of the benchmark's 99,073 coordinates about 45 µs.
final class NormalsDraw {
    static let pieceLength = 2_048

    let count: Int
    /// The normals; complete once `complete(inParallel:)` has returned.
    let values: UnsafeMutablePointer<Float>
    private let streams: [RandomSource]
    private let progress: [StreamProgress]
    private let drawnByCompletion = Atomic<Int>(0)

    /// A stream's share of the values and how far it has got. `next` hands out pieces as
    /// tickets; `drawn` counts the pieces finished, in order, so that the holder of ticket t
    /// draws once `drawn` is t, after the generator has advanced past piece t − 1.
    private final class StreamProgress: Sendable {
        let range: Range<Int>
        let pieces: Int
        let next = Atomic<Int>(0)
        let drawn = Atomic<Int>(0)

        init(range: Range<Int>) {
            self.range = range
            pieces = (range.count + NormalsDraw.pieceLength - 1) / NormalsDraw.pieceLength
        }
    }

    init(count: Int, streams: [RandomSource]) {
        self.count = count
        self.streams = streams
        let chunk = (count + streams.count - 1) / Swift.max(streams.count, 1)
        progress = streams.indices.map { stream in
            let start = Swift.min(count, stream * chunk)
            return StreamProgress(range: start..<Swift.min(count, start + chunk))
        }
        values = .allocate(capacity: Swift.max(count, 1))
    }

    deinit { values.deallocate() }

    /// How many pieces the draw has in all.
    var pieceCount: Int { progress.reduce(0) { $0 + $1.pieces } }

    /// How many pieces `complete(inParallel:)` drew (for tests: the rest were drawn ahead).
    var piecesDrawnByCompletion: Int { drawnByCompletion.load(ordering: .relaxed) }

    private func draw(piece: Int, of stream: Int) {
        let share = progress[stream]
        let start = share.range.lowerBound + piece * Self.pieceLength
        let end = Swift.min(share.range.upperBound, start + Self.pieceLength)
        streams[stream].fillGaussian(UnsafeMutableBufferPointer(start: values + start, count: end - start))
        share.drawn.store(piece + 1, ordering: .releasing)
    }

    /// Draws the next piece of a stream no thread is drawing; returns false when there was none
    /// (every stream finished or being drawn). Never waits.
    @discardableResult
    func drawFreePiece() -> Bool {
        for stream in progress.indices {
            let share = progress[stream]
            let ticket = share.next.load(ordering: .relaxed)
            // Acquiring: the generator's state as the drawer of the previous piece left it.
            guard ticket < share.pieces, share.drawn.load(ordering: .acquiring) == ticket else { continue }
            if share.next.compareExchange(expected: ticket, desired: ticket + 1, ordering: .acquiringAndReleasing).exchanged {
                draw(piece: ticket, of: stream)
                return true
            }
        }
        return false
    }

    /// Draws free pieces until none is left; returns how many this call drew.
    @discardableResult
    func drawFreePieces() -> Int {
        var drawn = 0
        while drawFreePiece() { drawn += 1 }
        return drawn
    }

    /// Draws every piece of `stream` not yet taken, each in its turn, then waits for the pieces
    /// other threads are drawing; returns how many this call drew.
    private func finish(stream: Int) -> Int {
        let share = progress[stream]
        var drawn = 0
        while true {
            let ticket = share.next.wrappingAdd(1, ordering: .relaxed).oldValue
            guard ticket < share.pieces else { break }
            Self.wait(until: share.drawn, reaches: ticket)
            draw(piece: ticket, of: stream)
            drawn += 1
        }
        Self.wait(until: share.drawn, reaches: share.pieces)
        return drawn
    }

    /// Spins while a piece of about 7 µs is under way on another thread, then gives the core
    /// away (that thread may be waiting for it on a loaded machine).
    private static func wait(until counter: borrowing Atomic<Int>, reaches value: Int) {
        var spins = 0
        while counter.load(ordering: .acquiring) < value {
            spins += 1
            if spins > 20_000 { sched_yield() }
        }
    }

    /// The streams as background work for the engine's idle workers, one piece at a time. The
    /// task holds the draw, so a worker's piece keeps it alive; the owner withdraws the task once
    /// `complete` has returned.
    func backgroundTask() -> BackgroundTask {
        BackgroundTask { [self] in drawFreePiece() }
    }

    /// Draws every piece not yet taken (the streams spread over the engine's threads when
    /// `inParallel`) and waits for the pieces other threads are still drawing: the values are
    /// complete when it returns.
    func complete(inParallel: Bool = true) {
        if inParallel {
            Kernels.concurrentForEach(count: streams.count) { stream in
                drawnByCompletion.add(finish(stream: stream), ordering: .relaxed)
            }
        } else {
            for stream in streams.indices { drawnByCompletion.add(finish(stream: stream), ordering: .relaxed) }
        }
    }
}
