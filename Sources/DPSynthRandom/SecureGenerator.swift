#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Errors raised while reading operating-system entropy.
public enum RandomError: Error, CustomStringConvertible {
    case entropyUnavailable(errno: Int32)

    public var description: String {
        switch self {
        case .entropyUnavailable(let code):
            return "could not read operating-system entropy (errno \(code)); DP noise needs a secure source"
        }
    }
}

/// Fills `bytes` with operating-system entropy.
public func fillWithSystemEntropy(_ bytes: UnsafeMutableRawBufferPointer) throws {
    // getentropy(3) draws from the kernel's CSPRNG (getrandom(2) on Linux) and serves at most
    // 256 bytes a call.
    var offset = 0
    while offset < bytes.count {
        let chunk = min(256, bytes.count - offset)
        if getentropy(bytes.baseAddress! + offset, chunk) != 0 {
            if errno == EINTR { continue }
            throw RandomError.entropyUnavailable(errno: errno)
        }
        offset += chunk
    }
}

/// The ChaCha20 stream cipher (RFC 8439 §2.3) used as a cryptographically secure generator.
///
/// Keyed from operating-system entropy by default, so DP noise and Poisson sampling cannot be
/// predicted or replayed by someone who sees the code and the outputs. A fixed key is accepted
/// for the RFC test vectors and for replaying a run in tests; such a generator reports itself
/// as not secure.
///
/// Output is the keystream in order — block `counter`, then `counter + 1`, … — read as
/// little-endian 64-bit words. Four blocks (256 bytes) are generated at a time into a buffer
/// owned by the generator (`ChaCha20.keystream`); every keystream word is handed out at most
/// once, and the counter never revisits a block under the same nonce.
public final class SecureGenerator: RandomSource {
    private let key: SIMD8<UInt32>
    private var nonce: (UInt32, UInt32, UInt32)
    /// The counter of the next block to generate.
    private var counter: UInt32
    /// `ChaCha20.wordsPerCall` keystream words; `position` is the first one not yet handed out.
    private let buffer = UnsafeMutablePointer<UInt32>.allocate(capacity: ChaCha20.wordsPerCall)
    private var position = ChaCha20.wordsPerCall
    private let keyedFromEntropy: Bool

    /// A generator keyed with 256 bits of operating-system entropy (and a random 96-bit nonce).
    public init() throws {
        var bytes = [UInt8](repeating: 0, count: 44)
        try bytes.withUnsafeMutableBytes { try fillWithSystemEntropy($0) }
        key = SecureGenerator.keyWords(bytes)
        nonce = (SecureGenerator.word(bytes, 32), SecureGenerator.word(bytes, 36), SecureGenerator.word(bytes, 40))
        counter = 0
        keyedFromEntropy = true
    }

    /// A generator with an explicit key, nonce and initial block counter (RFC 8439 layout).
    /// Deterministic, hence reported as not cryptographically secure.
    public init(key: [UInt8], nonce: [UInt8], counter: UInt32 = 0) {
        precondition(key.count == 32 && nonce.count == 12, "ChaCha20 needs a 32-byte key and a 12-byte nonce")
        self.key = SecureGenerator.keyWords(key)
        self.nonce = (SecureGenerator.word(nonce, 0), SecureGenerator.word(nonce, 4), SecureGenerator.word(nonce, 8))
        self.counter = counter
        keyedFromEntropy = false
    }

    deinit {
        // Keystream already produced is as sensitive as the noise drawn from it.
        buffer.update(repeating: 0, count: ChaCha20.wordsPerCall)
        buffer.deallocate()
    }

    public var isCryptographicallySecure: Bool { keyedFromEntropy }
    public var description: String {
        keyedFromEntropy ? "ChaCha20 keyed from operating-system entropy"
                         : "ChaCha20 with a fixed key (not cryptographically secure)"
    }

    private static func word(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8
            | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
    }

    private static func keyWords(_ bytes: [UInt8]) -> SIMD8<UInt32> {
        var words = SIMD8<UInt32>()
        for i in 0..<8 { words[i] = word(bytes, 4 * i) }
        return words
    }

    /// The next whole 16-word keystream block (RFC 8439 §2.3): the rest of a block that
    /// `next()` has started is skipped, never handed out twice.
    public func keystreamBlock() -> [UInt32] {
        let blockWords = ChaCha20.wordsPerBlock
        position = (position + blockWords - 1) / blockWords * blockWords
        if position == ChaCha20.wordsPerCall { refill() }
        let block = [UInt32](UnsafeBufferPointer(start: buffer + position, count: blockWords))
        position += blockWords
        return block
    }

    /// Generates the next four blocks into `buffer`.
    private func refill() {
        ChaCha20.keystream(key: key, nonce: nonce, counter: counter, into: buffer)
        advanceCounter()
        position = 0
    }

    /// Moves past the group of blocks just generated.
    private func advanceCounter() {
        let next = counter &+ UInt32(ChaCha20.blocksPerCall)
        if next < counter {
            // 2^32 blocks (256 GiB) exhausted: move to the next nonce rather than repeat keystream.
            nonce.0 &+= 1
        }
        counter = next
    }

    public func next() -> UInt64 {
        if position == ChaCha20.wordsPerCall { refill() }
        let value = UInt64(buffer[position]) | UInt64(buffer[position + 1]) << 32
        position += 2
        return value
    }

    /// The next `words.count` 64-bit words of keystream, in the order `next()` would give them.
    public func fill(_ words: UnsafeMutableBufferPointer<UInt64>) {
        guard let output = words.baseAddress else { return }
        var filled = 0
        while filled < words.count {
            #if _endian(little)
            // Whole groups of blocks go straight into the output: on a little-endian machine two
            // keystream words in memory are the 64-bit word `next()` would form from them.
            let wordsPerGroup = ChaCha20.wordsPerCall / 2
            if position == ChaCha20.wordsPerCall && words.count - filled >= wordsPerGroup {
                (output + filled).withMemoryRebound(to: UInt32.self, capacity: ChaCha20.wordsPerCall) { target in
                    ChaCha20.keystream(key: key, nonce: nonce, counter: counter, into: target)
                }
                advanceCounter()
                filled += wordsPerGroup
                continue
            }
            #endif
            if position == ChaCha20.wordsPerCall { refill() }
            let take = Swift.min((ChaCha20.wordsPerCall - position) / 2, words.count - filled)
            for k in 0..<take {
                output[filled + k] = UInt64(buffer[position + 2 * k]) | UInt64(buffer[position + 2 * k + 1]) << 32
            }
            position += 2 * take
            filled += take
        }
    }
}
