import CKernels
import DPSynthEngine
import DPSynthRandom
import Foundation

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

/// One call's standard normals: stream k fills the k-th of `streams.count` equal chunks, and the
/// streams are claimed one at a time by whichever thread asks first (an idle pool worker drawing
/// ahead, the caller, or the pool's threads helping the caller). Each stream is drawn by exactly one thread, and one
/// draw's streams are all finished before the next draw starts, so the values are the same
/// whoever drew them.
final class NormalsDraw {
    let count: Int
    /// The normals; complete once `complete(inParallel:)` has returned.
    let values: UnsafeMutablePointer<Float>
    private let streams: [RandomSource]
    private let chunk: Int
    private let claims: OpaquePointer
    /// Entered by a thread before it claims a stream and left once that stream is drawn, so that
    /// `complete` can wait for the streams others are drawing.
    private let drawing = DispatchGroup()
    /// How many streams the threads of `complete(inParallel:)` drew (for tests: the rest were
    /// drawn by the background prefetch).
    private(set) var streamsDrawnByCompletion = 0

    init(count: Int, streams: [RandomSource]) {
        self.count = count
        self.streams = streams
        chunk = (count + streams.count - 1) / Swift.max(streams.count, 1)
        values = .allocate(capacity: Swift.max(count, 1))
        guard let counter = dpsynth_claim_counter_create() else { fatalError("out of memory for a claim counter") }
        claims = counter
    }

    deinit {
        values.deallocate()
        dpsynth_claim_counter_destroy(claims)
    }

    /// Draws the next stream nobody has claimed; returns false when none was left.
    @discardableResult
    func drawUnclaimedStream() -> Bool {
        drawing.enter()
        defer { drawing.leave() }
        let stream = dpsynth_claim_next(claims)
        guard stream < streams.count else { return false }
        let start = Swift.min(count, stream * chunk), end = Swift.min(count, start + chunk)
        if start < end {
            streams[stream].fillGaussian(UnsafeMutableBufferPointer(start: values + start, count: end - start))
        }
        return true
    }

    /// Draws streams not yet claimed, one after another, until none is left; returns how many
    /// this call drew.
    @discardableResult
    func drawUnclaimedStreams() -> Int {
        var drawn = 0
        while drawUnclaimedStream() { drawn += 1 }
        return drawn
    }

    /// The streams as background work for the engine's idle workers, one stream a piece. The
    /// task holds the draw, so a worker's piece keeps it alive; the owner withdraws the task once
    /// `complete` has returned.
    func backgroundTask() -> BackgroundTask {
        BackgroundTask { [self] in drawUnclaimedStream() }
    }

    /// Draws the unclaimed streams (on the engine's threads when `inParallel`) and waits for the
    /// streams other threads are still drawing: the values are complete when it returns.
    func complete(inParallel: Bool = true) {
        if inParallel {
            var drawnByIndex = [Bool](repeating: false, count: streams.count)
            drawnByIndex.withUnsafeMutableBufferPointer { drawn in
                let base = drawn.baseAddress
                Kernels.concurrentForEach(count: streams.count) { index in base?[index] = drawUnclaimedStream() }
            }
            streamsDrawnByCompletion += drawnByIndex.filter { $0 }.count
        } else {
            streamsDrawnByCompletion += drawUnclaimedStreams()
        }
        drawing.wait()
    }
}
