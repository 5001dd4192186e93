import CKernels

/// The ChaCha20 block function (RFC 8439 §2.3), several consecutive blocks per call.
///
/// The rounds are C kernels (target `CChaCha20`) that keep one block per vector lane: 4 lanes
/// with 128-bit vectors on any CPU, 8 with AVX2, 16 with AVX-512F. The widest one the CPU
/// supports is picked at run time (`__builtin_cpu_supports`); every kernel writes the same
/// keystream, so the choice changes speed only (the tests run the RFC 8439 vectors through
/// each kernel the machine has).
enum ChaCha20 {
    /// One of the C kernels.
    enum Kernel: CaseIterable, CustomStringConvertible {
        case portable, avx2, avx512

        var cValue: DPSynthChaCha20Kernel {
            switch self {
            case .portable: return DPSynthChaCha20KernelPortable
            case .avx2: return DPSynthChaCha20KernelAVX2
            case .avx512: return DPSynthChaCha20KernelAVX512
            }
        }

        /// True when this CPU and operating system can run the kernel.
        var isSupported: Bool { dpsynth_chacha20_kernel_is_supported(cValue) != 0 }

        /// Blocks written by one call.
        var blocksPerCall: Int { Int(dpsynth_chacha20_blocks_per_call(cValue)) }

        /// 32-bit words written by one call.
        var wordsPerCall: Int { blocksPerCall * ChaCha20.wordsPerBlock }

        var description: String {
            switch self {
            case .portable: return "4 blocks, 128-bit vectors"
            case .avx2: return "8 blocks, AVX2"
            case .avx512: return "16 blocks, AVX-512F"
            }
        }

        /// The widest kernel this machine runs.
        static let best: Kernel = {
            switch dpsynth_chacha20_best_kernel() {
            case DPSynthChaCha20KernelAVX512: return .avx512
            case DPSynthChaCha20KernelAVX2: return .avx2
            default: return .portable
            }
        }()
    }

    /// 32-bit words per block.
    static let wordsPerBlock = 16
    /// The most words any kernel writes per call (16 blocks).
    static let maximumWordsPerCall = 16 * wordsPerBlock

    /// Writes `kernel.blocksPerCall` keystream blocks, numbered from `counter`, to `output`.
    /// `keyAndNonce` holds the eight key words then the three nonce words.
    ///
    /// A block whose 32-bit counter wrapped past 2³² − 1 uses nonce word 0 plus one: the stream
    /// moves to the next nonce instead of repeating keystream, exactly as successive
    /// single-block calls with that rule would.
    @inline(__always)
    static func keystream(kernel: Kernel, keyAndNonce: UnsafePointer<UInt32>, counter: UInt32,
                          into output: UnsafeMutablePointer<UInt32>) {
        dpsynth_chacha20_blocks(kernel.cValue, keyAndNonce, keyAndNonce + 8, counter, output)
    }
}
