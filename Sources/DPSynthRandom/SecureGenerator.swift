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
/// little-endian 64-bit words. Up to sixteen blocks (1 KiB) are generated at a time into a
/// buffer owned by the generator (`ChaCha20.keystream`, the widest kernel the CPU runs); every
/// keystream word is handed out at most once, and the counter never revisits a block under
/// the same nonce. The bytes do not depend on the kernel.
public final class SecureGenerator: RandomSource {
    /// Eight key words then three nonce words, in a buffer the C kernel reads directly.
    private let keyAndNonce = UnsafeMutablePointer<UInt32>.allocate(capacity: 11)
    /// The counter of the next block to generate.
    private var counter: UInt32
    /// The block function used; all produce the same keystream.
    let kernel: ChaCha20.Kernel
    /// Words produced per kernel call.
    private let wordsPerCall: Int
    /// `wordsPerCall` keystream words; `position` is the first one not yet handed out.
    private let buffer = UnsafeMutablePointer<UInt32>.allocate(capacity: ChaCha20.maximumWordsPerCall)
    private var position: Int
    private let keyedFromEntropy: Bool

    /// A generator keyed with 256 bits of operating-system entropy (and a random 96-bit nonce).
    public init() throws {
        var bytes = [UInt8](repeating: 0, count: 44)
        try bytes.withUnsafeMutableBytes { try fillWithSystemEntropy($0) }
        kernel = .best
        wordsPerCall = kernel.wordsPerCall
        position = wordsPerCall
        counter = 0
        keyedFromEntropy = true
        for i in 0..<11 { keyAndNonce[i] = SecureGenerator.word(bytes, 4 * i) }
        for i in bytes.indices { bytes[i] = 0 }
    }

    /// A generator with an explicit key, nonce and initial block counter (RFC 8439 layout).
    /// Deterministic, hence reported as not cryptographically secure.
    public convenience init(key: [UInt8], nonce: [UInt8], counter: UInt32 = 0) {
        self.init(key: key, nonce: nonce, counter: counter, kernel: .best)
    }

    /// The same with a chosen block-function kernel (tests run every kernel the CPU supports).
    init(key: [UInt8], nonce: [UInt8], counter: UInt32 = 0, kernel: ChaCha20.Kernel) {
        precondition(key.count == 32 && nonce.count == 12, "ChaCha20 needs a 32-byte key and a 12-byte nonce")
        precondition(kernel.isSupported, "the ChaCha20 kernel \(kernel) does not run on this CPU")
        self.kernel = kernel
        wordsPerCall = kernel.wordsPerCall
        position = wordsPerCall
        self.counter = counter
        keyedFromEntropy = false
        for i in 0..<8 { keyAndNonce[i] = SecureGenerator.word(key, 4 * i) }
        for i in 0..<3 { keyAndNonce[8 + i] = SecureGenerator.word(nonce, 4 * i) }
    }

    deinit {
        // The key, and keystream already produced, are as sensitive as the noise drawn from them.
        keyAndNonce.update(repeating: 0, count: 11)
        keyAndNonce.deallocate()
        buffer.update(repeating: 0, count: ChaCha20.maximumWordsPerCall)
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

    /// The next whole 16-word keystream block (RFC 8439 §2.3): the rest of a block that
    /// `next()` has started is skipped, never handed out twice.
    public func keystreamBlock() -> [UInt32] {
        let blockWords = ChaCha20.wordsPerBlock
        position = (position + blockWords - 1) / blockWords * blockWords
        if position == wordsPerCall { refill() }
        let block = [UInt32](UnsafeBufferPointer(start: buffer + position, count: blockWords))
        position += blockWords
        return block
    }

    /// Generates the next group of blocks into `buffer`.
    private func refill() {
        generate(into: buffer)
        position = 0
    }

    /// Writes the next group of blocks to `output` and moves past them.
    @inline(__always)
    private func generate(into output: UnsafeMutablePointer<UInt32>) {
        ChaCha20.keystream(kernel: kernel, keyAndNonce: keyAndNonce, counter: counter, into: output)
        let next = counter &+ UInt32(kernel.blocksPerCall)
        if next < counter {
            // 2^32 blocks (256 GiB) exhausted: move to the next nonce rather than repeat keystream.
            keyAndNonce[8] &+= 1
        }
        counter = next
    }

    public func next() -> UInt64 {
        if position == wordsPerCall { refill() }
        let value = UInt64(buffer[position]) | UInt64(buffer[position + 1]) << 32
        position += 2
        return value
    }

    /// The next `words.count` 64-bit words of keystream, in the order `next()` would give them.
    public func fill(_ words: UnsafeMutableBufferPointer<UInt64>) {
        guard let output = words.baseAddress else { return }
        var filled = 0
        let wordsPerGroup = wordsPerCall / 2
        while filled < words.count {
            #if _endian(little)
            // Whole groups of blocks go straight into the output: on a little-endian machine two
            // keystream words in memory are the 64-bit word `next()` would form from them.
            if position == wordsPerCall && words.count - filled >= wordsPerGroup {
                (output + filled).withMemoryRebound(to: UInt32.self, capacity: wordsPerCall) { generate(into: $0) }
                filled += wordsPerGroup
                continue
            }
            #endif
            if position == wordsPerCall { refill() }
            let take = Swift.min((wordsPerCall - position) / 2, words.count - filled)
            for k in 0..<take {
                output[filled + k] = UInt64(buffer[position + 2 * k]) | UInt64(buffer[position + 2 * k + 1]) << 32
            }
            position += 2 * take
            filled += take
        }
    }
}
