/// xoshiro256** (Blackman & Vigna 2018) seeded through SplitMix64: fast, reproducible,
/// and **not** cryptographically secure. Used for initialisation, tests and `--seed` runs.
public final class SeededGenerator: RandomSource {
    @usableFromInline var state: (UInt64, UInt64, UInt64, UInt64)
    public let seed: UInt64

    public init(seed: UInt64) {
        self.seed = seed
        var splitMix = seed
        func nextSplitMix() -> UInt64 {
            splitMix &+= 0x9E37_79B9_7F4A_7C15
            var z = splitMix
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (nextSplitMix(), nextSplitMix(), nextSplitMix(), nextSplitMix())
    }

    public var isCryptographicallySecure: Bool { false }
    public var description: String { "xoshiro256** (seed \(seed); not cryptographically secure)" }

    @inlinable
    public func next() -> UInt64 { SeededGenerator.step(&state) }

    /// The next `words.count` outputs of `next()`, with the state kept in registers.
    public func fill(_ words: UnsafeMutableBufferPointer<UInt64>) {
        var local = state
        for i in words.indices { words[i] = SeededGenerator.step(&local) }
        state = local
    }

    /// One xoshiro256** output and state transition (Blackman & Vigna 2018, reference code).
    @inlinable
    static func step(_ state: inout (UInt64, UInt64, UInt64, UInt64)) -> UInt64 {
        let result = rotateLeft(state.1 &* 5, by: 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotateLeft(state.3, by: 45)
        return result
    }

    /// An independent child stream (for example one per layer), derived deterministically.
    public func split() -> SeededGenerator {
        SeededGenerator(seed: next())
    }
}

@inlinable
func rotateLeft(_ x: UInt64, by k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
