import DPSynthEngine
import DPSynthRandom
import Foundation

/// The noise phase: N(0, (σC)²) added to every coordinate of the clipped sum (the Gaussian
/// mechanism with L2 sensitivity C; Abadi et al. 2016, Algorithm 1, "Add noise").
///
/// Noise generation dominates the DP step's own cost (one 53-bit Box–Muller draw per
/// coordinate from ChaCha20), so the coordinates are cut into `streamCount` fixed chunks, each
/// with its own generator, filled in parallel on up to `Engine.threadCount` threads. The
/// chunking does not depend on the thread count, so a seeded run gives the same bytes with 1
/// or 2 threads.
public final class GaussianNoise {
    /// The number of independent streams (and chunks).
    public static let streamCount = 8
    private let streams: [RandomSource]

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

    public var isCryptographicallySecure: Bool { streams.allSatisfy(\.isCryptographicallySecure) }

    /// Adds independent N(0, standardDeviation²) noise to every element of `gradients`.
    public func add(to gradients: inout [Tensor], standardDeviation: Double) {
        guard standardDeviation > 0 else { return }
        // Make every tensor uniquely owned, then address all coordinates as one flat range.
        var segments: [UnsafeMutableBufferPointer<Float>] = []
        for index in gradients.indices {
            gradients[index].withUnsafeMutableBufferPointer { segments.append($0) }
        }
        let total = segments.reduce(0) { $0 + $1.count }
        let streamCount = streams.count
        let chunk = (total + streamCount - 1) / streamCount
        let deviation = Float(standardDeviation)
        let workers = Swift.max(1, Swift.min(Engine.threadCount, streamCount))
        let fill = { (stream: Int) in
            let start = stream * chunk, end = Swift.min(total, start + chunk)
            guard start < end else { return }
            var noise = [Float](repeating: 0, count: end - start)
            noise.withUnsafeMutableBufferPointer { self.streams[stream].fillGaussian($0, standardDeviation: deviation) }
            // Add the chunk to the segments it overlaps.
            var offset = 0
            for segment in segments {
                let lower = Swift.max(start, offset), upper = Swift.min(end, offset + segment.count)
                if lower < upper {
                    for i in lower..<upper { segment[i - offset] += noise[i - start] }
                }
                offset += segment.count
                if offset >= end { break }
            }
        }
        if workers == 1 {
            for stream in 0..<streamCount { fill(stream) }
        } else {
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                for stream in stride(from: worker, to: streamCount, by: workers) { fill(stream) }
            }
        }
    }
}
