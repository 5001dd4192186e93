import DPSynthEngine
import DPSynthRandom
import Foundation

/// The noise phase: N(0, (σC)²) added to every coordinate of the clipped sum (the Gaussian
/// mechanism with L2 sensitivity C; Abadi et al. 2016, Algorithm 1, "Add noise").
///
/// Noise generation is the DP step's largest own cost (one 53-bit ziggurat draw per coordinate
/// from ChaCha20, ~8 ns on one core: `dpsynth bench --suite random`), so:
/// - the coordinates are cut into `streamCount` fixed chunks, each drawn from its own generator,
///   in parallel on up to `Engine.threadCount` threads;
/// - with more than one thread and when the caller asks for it, the standard normals of the
///   *next* call are drawn in the background as soon as a call returns, overlapping the next
///   batch's forward and backward passes (noise does not depend on the data). The streams are
///   consumed in the same order either way, so a seeded run gives the same bytes with 1 or 2
///   threads, with or without the prefetch.
public final class GaussianNoise {
    /// The number of independent streams (and chunks).
    public static let streamCount = 8
    private let streams: [RandomSource]
    private let background = DispatchQueue(label: "DPSynthPrivacy.GaussianNoise")
    private let prefetchDone = DispatchGroup()
    /// Standard normals drawn ahead for a call over `prefetched.count` coordinates.
    private var prefetched: [Float]?

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

    deinit { prefetchDone.wait() }

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
        let threads = Engine.threadCount
        prefetchDone.wait()
        let normals: [Float]
        if let ready = prefetched, ready.count == total {
            normals = ready
        } else {
            normals = standardNormals(count: total, workers: threads)
        }
        prefetched = nil
        let deviation = Float(standardDeviation)
        var offset = 0
        for segment in segments {
            normals.withUnsafeBufferPointer { z in
                for i in segment.indices { segment[i] = (segment[i] + deviation * z[offset + i]) * scale }
            }
            offset += segment.count
        }
        if prefetchesNext && threads > 1 && total > 0 {
            // The prefetch holds one core (`Engine.reservingThread`): the next forward and
            // backward passes give their products one thread fewer while it runs, instead of
            // time-slicing both cores with it.
            background.async(group: prefetchDone) { [self] in
                prefetched = Engine.reservingThread { standardNormals(count: total, workers: 1) }
            }
        }
    }

    /// `count` standard normals: stream k fills the k-th of `streamCount` equal chunks.
    private func standardNormals(count: Int, workers: Int) -> [Float] {
        let streamCount = streams.count
        let chunk = (count + streamCount - 1) / streamCount
        // Every element is written by exactly one stream's fill: no zeroing pass first.
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            initialized = count
            guard let base = buffer.baseAddress else { return }
            let fill = { (stream: Int) in
                let start = Swift.min(count, stream * chunk), end = Swift.min(count, start + chunk)
                guard start < end else { return }
                self.streams[stream].fillGaussian(UnsafeMutableBufferPointer(start: base + start, count: end - start))
            }
            let workers = Swift.max(1, Swift.min(workers, streamCount))
            if workers == 1 {
                for stream in 0..<streamCount { fill(stream) }
            } else {
                DispatchQueue.concurrentPerform(iterations: workers) { worker in
                    for stream in stride(from: worker, to: streamCount, by: workers) { fill(stream) }
                }
            }
        }
    }
}
