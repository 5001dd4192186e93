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
public final class SecureGenerator: RandomSource {
    private var key: [UInt32]          // 8 words
    private var nonce: (UInt32, UInt32, UInt32)
    private var counter: UInt32
    private var block = [UInt32](repeating: 0, count: 16)
    private var blockIndex = 16        // in 64-bit words: 0..<8 valid, 8 = exhausted
    private let keyedFromEntropy: Bool

    /// A generator keyed with 256 bits of operating-system entropy.
    public init() throws {
        var bytes = [UInt8](repeating: 0, count: 44)
        try bytes.withUnsafeMutableBytes { try fillWithSystemEntropy($0) }
        key = (0..<8).map { SecureGenerator.word(bytes, $0 * 4) }
        nonce = (SecureGenerator.word(bytes, 32), SecureGenerator.word(bytes, 36), SecureGenerator.word(bytes, 40))
        counter = 0
        keyedFromEntropy = true
        blockIndex = 8
    }

    /// A generator with an explicit key, nonce and initial block counter (RFC 8439 layout).
    /// Deterministic, hence reported as not cryptographically secure.
    public init(key: [UInt8], nonce: [UInt8], counter: UInt32 = 0) {
        precondition(key.count == 32 && nonce.count == 12, "ChaCha20 needs a 32-byte key and a 12-byte nonce")
        self.key = (0..<8).map { SecureGenerator.word(key, $0 * 4) }
        self.nonce = (SecureGenerator.word(nonce, 0), SecureGenerator.word(nonce, 4), SecureGenerator.word(nonce, 8))
        self.counter = counter
        keyedFromEntropy = false
        blockIndex = 8
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

    /// The 16-word keystream block for the current counter (RFC 8439 §2.3).
    public func keystreamBlock() -> [UInt32] {
        refill()
        blockIndex = 8
        return block
    }

    private func refill() {
        var s: [UInt32] = [0x6170_7865, 0x3320_646e, 0x7962_2d32, 0x6b20_6574,
                           key[0], key[1], key[2], key[3], key[4], key[5], key[6], key[7],
                           counter, nonce.0, nonce.1, nonce.2]
        let initial = s
        @inline(__always) func quarter(_ a: Int, _ b: Int, _ c: Int, _ d: Int) {
            s[a] &+= s[b]; s[d] ^= s[a]; s[d] = (s[d] << 16) | (s[d] >> 16)
            s[c] &+= s[d]; s[b] ^= s[c]; s[b] = (s[b] << 12) | (s[b] >> 20)
            s[a] &+= s[b]; s[d] ^= s[a]; s[d] = (s[d] << 8) | (s[d] >> 24)
            s[c] &+= s[d]; s[b] ^= s[c]; s[b] = (s[b] << 7) | (s[b] >> 25)
        }
        for _ in 0..<10 {
            quarter(0, 4, 8, 12); quarter(1, 5, 9, 13); quarter(2, 6, 10, 14); quarter(3, 7, 11, 15)
            quarter(0, 5, 10, 15); quarter(1, 6, 11, 12); quarter(2, 7, 8, 13); quarter(3, 4, 9, 14)
        }
        for i in 0..<16 { block[i] = s[i] &+ initial[i] }
        counter &+= 1
        if counter == 0 {
            // 2^32 blocks (256 GiB) exhausted: move to the next nonce rather than repeat keystream.
            nonce.0 &+= 1
        }
        blockIndex = 0
    }

    public func next() -> UInt64 {
        if blockIndex >= 8 { refill() }
        let value = UInt64(block[2 * blockIndex]) | UInt64(block[2 * blockIndex + 1]) << 32
        blockIndex += 1
        return value
    }
}
