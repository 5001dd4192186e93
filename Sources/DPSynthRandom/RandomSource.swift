#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A source of random bits that the engine, the privacy code and the schema mechanisms share.
///
/// Generators are reference types so that one stream can be handed to many layers and
/// samplers without `inout` plumbing; the stream advances wherever it is used, and the same
/// seed replays the same sequence of calls byte for byte.
public protocol RandomSource: AnyObject, RandomNumberGenerator {
    /// True only for generators whose output an adversary cannot predict (OS entropy + ChaCha20).
    /// The privacy record copies this flag; DP noise from a seeded generator is not a guarantee.
    var isCryptographicallySecure: Bool { get }
    /// A short human-readable name for records ("xoshiro256** seed 7", "ChaCha20 (OS entropy)").
    var description: String { get }
    /// 64 fresh random bits. Restated here so that class-bound sources advance without `inout`.
    func next() -> UInt64
    /// Fills `words` with the next `words.count` outputs of `next()`, in order. Generators
    /// override it to produce many words per dynamic call (the Gaussian fills read it).
    func fill(_ words: UnsafeMutableBufferPointer<UInt64>)
}

extension RandomSource {
    /// One `next()` per word; fast generators override it.
    public func fill(_ words: UnsafeMutableBufferPointer<UInt64>) {
        for i in words.indices { words[i] = next() }
    }

    /// A uniform Double in the open interval (0, 1), 53 random bits: never 0, so `log` is safe.
    @inlinable
    public func nextOpenUnitDouble() -> Double {
        var bits: UInt64
        repeat { bits = next() >> 11 } while bits == 0
        return Double(bits) * 0x1.0p-53
    }

    /// A uniform Double in [0, 1).
    @inlinable
    public func nextUnitDouble() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// One standard normal draw (256-layer ziggurat in Double from 53-bit uniforms, exact
    /// tails; see `NormalZiggurat`).
    public func nextGaussian() -> Double {
        NormalZiggurat.standard.sample(next(), self)
    }

    /// A Laplace(0, scale) draw by inversion.
    @inlinable
    public func nextLaplace(scale: Double) -> Double {
        let u = nextOpenUnitDouble() - 0.5
        let magnitude = -scale * log(1 - 2 * Swift.abs(u))
        return u < 0 ? -magnitude : magnitude
    }

    /// True with probability `probability`.
    @inlinable
    public func nextBernoulli(_ probability: Double) -> Bool {
        nextUnitDouble() < probability
    }

    /// Fills `buffer` with independent uniform Floats in [0, 1) (24 random bits each).
    public func fillUniform(_ buffer: UnsafeMutableBufferPointer<Float>,
                            in range: ClosedRange<Float> = 0...1) {
        let low = range.lowerBound, width = range.upperBound - range.lowerBound
        var i = 0
        let count = buffer.count
        while i + 1 < count {
            let bits = next()
            buffer[i] = low + width * Float(UInt32(truncatingIfNeeded: bits) >> 8) * 0x1.0p-24
            buffer[i + 1] = low + width * Float(UInt32(truncatingIfNeeded: bits >> 32) >> 8) * 0x1.0p-24
            i += 2
        }
        if i < count { buffer[i] = low + width * Float(next() >> 40) * 0x1.0p-24 }
    }

    /// Fills `buffer` with N(mean, standardDeviation²) Floats. Draws are made in Double (the
    /// ziggurat on 53-bit uniforms, exact tails) and rounded once, so the tails are those of
    /// the Double sampler, not of a 24-bit one.
    public func fillGaussian(_ buffer: UnsafeMutableBufferPointer<Float>,
                             mean: Float = 0, standardDeviation: Float = 1) {
        NormalZiggurat.standard.fill(buffer, mean: Double(mean), standardDeviation: Double(standardDeviation), from: self)
    }

    /// Fills `buffer` with N(mean, standardDeviation²) Doubles (the ziggurat; exact tails).
    public func fillGaussian(_ buffer: UnsafeMutableBufferPointer<Double>,
                             mean: Double = 0, standardDeviation: Double = 1) {
        NormalZiggurat.standard.fill(buffer, mean: mean, standardDeviation: standardDeviation, from: self)
    }

    /// `count` standard normal Floats.
    public func gaussianFloats(count: Int, standardDeviation: Float = 1) -> [Float] {
        [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            fillGaussian(buffer, standardDeviation: standardDeviation)
            initialized = count
        }
    }
}
