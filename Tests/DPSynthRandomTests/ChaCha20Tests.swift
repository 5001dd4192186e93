import XCTest
@testable import DPSynthRandom

/// The multi-block ChaCha20 kernels: RFC 8439 vectors, alignment of the block buffer, counter
/// wrap-around and the bulk `fill(_:)` against `next()` — each run through every kernel this
/// CPU supports (portable 4-block, AVX2 8-block, AVX-512 16-block), not only the one picked.
final class ChaCha20Tests: XCTestCase {
    private let rfcKey = (0..<32).map { UInt8($0) }
    private let rfcNonce: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0x4a, 0, 0, 0, 0]
    /// RFC 8439 §2.3.2's nonce.
    private let blockNonce: [UInt8] = [0, 0, 0, 0x09, 0, 0, 0, 0x4a, 0, 0, 0, 0]

    /// The kernels this machine runs; the portable one always.
    private var kernels: [ChaCha20.Kernel] {
        let supported = ChaCha20.Kernel.allCases.filter(\.isSupported)
        XCTAssertTrue(supported.contains(.portable))
        XCTAssertEqual(supported.last, ChaCha20.Kernel.best)
        return supported
    }

    /// RFC 8439 §2.3.2: block 1 under the test key, through each kernel, in lane 0 (start at
    /// counter 1) and lane 1 (start at 0). Other lanes: `testMultiBlockKeystreamIsIndependentOfBufferAlignment`.
    func testEveryKernelMatchesRFC8439Section232() {
        let expected: [UInt32] = [
            0xe4e7_f110, 0x1559_3bd1, 0x1fdd_0f50, 0xc471_20a3, 0xc7f4_d1c7, 0x0368_c033, 0x9aaa_2204, 0x4e6c_d4c3,
            0x4664_82d2, 0x09aa_9f07, 0x05d7_c214, 0xa202_8bd9, 0xd19c_12b5, 0xb94e_16de, 0xe883_d0cb, 0x4e3c_50a2,
        ]
        for kernel in kernels {
            for lane in 0...1 {
                let generator = SecureGenerator(key: rfcKey, nonce: blockNonce, counter: UInt32(1 - lane), kernel: kernel)
                for _ in 0..<lane { _ = generator.keystreamBlock() }
                XCTAssertEqual(generator.keystreamBlock(), expected, "kernel \(kernel), block 1 in lane \(lane)")
            }
        }
    }

    /// Every kernel writes the same 64 KiB of keystream, through `fill` and through `next()`.
    func testKernelsAgreeOnLongKeystream() {
        let count = 8192
        var reference: [UInt64]?
        for kernel in kernels {
            let generator = SecureGenerator(key: rfcKey, nonce: rfcNonce, counter: 7, kernel: kernel)
            var words = [UInt64](repeating: 0, count: count)
            words.withUnsafeMutableBufferPointer { generator.fill($0) }
            if let reference { XCTAssertEqual(words, reference, "kernel \(kernel)") } else { reference = words }
            let stepped = SecureGenerator(key: rfcKey, nonce: rfcNonce, counter: 7, kernel: kernel)
            XCTAssertEqual((0..<count).map { _ in stepped.next() }, reference, "kernel \(kernel) through next()")
        }
    }

    /// Little-endian bytes of `words` 64-bit outputs.
    private func keystreamBytes(_ generator: SecureGenerator, words: Int) -> [UInt8] {
        (0..<words).flatMap { _ -> [UInt8] in
            let word = generator.next()
            return (0..<8).map { UInt8(truncatingIfNeeded: word >> (8 * $0)) }
        }
    }

    /// RFC 8439 §2.4.2: encrypting the "sunscreen" plaintext from counter 1 gives the RFC's
    /// ciphertext, i.e. blocks 1 and 2 of the keystream (114 bytes) read through `next()`.
    func testKeystreamMatchesRFC8439Section242() {
        let plaintext = Array("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.".utf8)
        let ciphertextHex = "6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0b"
            + "f91b65c5524733ab8f593dabcd62b3571639d624e65152ab8f530c359f0861d8"
            + "07ca0dbf500d6a6156a38e088a22b65e52bc514d16ccf806818ce91ab7793736"
            + "5af90bbf74a35be6b40b8eedf2785e42874d"
        var ciphertext: [UInt8] = []
        var index = ciphertextHex.startIndex
        while index < ciphertextHex.endIndex {
            let next = ciphertextHex.index(index, offsetBy: 2)
            ciphertext.append(UInt8(ciphertextHex[index..<next], radix: 16)!)
            index = next
        }
        XCTAssertEqual(plaintext.count, 114)
        for kernel in kernels {
            let keystream = keystreamBytes(SecureGenerator(key: rfcKey, nonce: rfcNonce, counter: 1, kernel: kernel), words: 15)
            XCTAssertEqual(zip(plaintext, keystream).map { $0 ^ $1 }, ciphertext, "kernel \(kernel)")
        }
    }

    /// The same keystream whatever the alignment of the block buffer: starting at counters
    /// 1 through 15 puts each block in a different SIMD lane and crosses group boundaries at
    /// different blocks; all must agree block by block with the portable kernel from counter 0.
    func testMultiBlockKeystreamIsIndependentOfBufferAlignment() {
        let reference = SecureGenerator(key: rfcKey, nonce: blockNonce, counter: 0, kernel: .portable)
        let blocks = (0..<37).map { _ in reference.keystreamBlock() }
        XCTAssertEqual(blocks[1].first, 0xe4e7_f110)
        XCTAssertEqual(blocks[1].last, 0x4e3c_50a2)
        XCTAssertEqual(Set(blocks.map { $0 }).count, blocks.count, "no block repeats")
        for kernel in kernels {
            for start in 1..<16 {
                let generator = SecureGenerator(key: rfcKey, nonce: blockNonce, counter: UInt32(start), kernel: kernel)
                for block in start..<blocks.count {
                    XCTAssertEqual(generator.keystreamBlock(), blocks[block], "kernel \(kernel), block \(block) from counter \(start)")
                }
            }
        }
    }

    /// Past counter 2³² − 1 the stream moves to nonce word 0 + 1 with counter 0, also when the
    /// wrap falls inside a group of blocks (any lane of any kernel).
    func testCounterWrapMovesToNextNonce() {
        var nextNonce = rfcNonce
        nextNonce[0] = 1
        let afterWrap = SecureGenerator(key: rfcKey, nonce: nextNonce, counter: 0, kernel: .portable)
        let expectedAfter = (0..<17).map { _ in afterWrap.keystreamBlock() }
        let lastBefore = SecureGenerator(key: rfcKey, nonce: rfcNonce, counter: .max, kernel: .portable).keystreamBlock()
        for kernel in kernels {
            for blocksBeforeWrap in 1...16 {
                let generator = SecureGenerator(key: rfcKey, nonce: rfcNonce, counter: UInt32.max - UInt32(blocksBeforeWrap - 1),
                                                kernel: kernel)
                let before = (0..<blocksBeforeWrap).map { _ in generator.keystreamBlock() }
                XCTAssertEqual(before.last, lastBefore)
                XCTAssertEqual((0..<17).map { _ in generator.keystreamBlock() }, expectedAfter,
                               "kernel \(kernel), \(blocksBeforeWrap) blocks before the wrap")
            }
        }
    }

    /// `fill(_:)` hands out the words `next()` would, continuing a partly used buffer and
    /// writing whole groups of blocks straight into the output.
    func testBulkFillMatchesNext() {
        for kernel in kernels {
            let a = SecureGenerator(key: rfcKey, nonce: rfcNonce, kernel: kernel)
            let b = SecureGenerator(key: rfcKey, nonce: rfcNonce, kernel: kernel)
            var expected: [UInt64] = []
            var filled: [UInt64] = []
            for count in [32, 3, 1, 0, 40, 7, 100, 64, 128, 300, 5, 256] {
                expected += (0..<count).map { _ in a.next() }
                var words = [UInt64](repeating: 0, count: count)
                words.withUnsafeMutableBufferPointer { b.fill($0) }
                filled += words
            }
            XCTAssertEqual(filled, expected, "kernel \(kernel)")
        }
        let seededA = SeededGenerator(seed: 9), seededB = SeededGenerator(seed: 9)
        var words = [UInt64](repeating: 0, count: 37)
        words.withUnsafeMutableBufferPointer { seededB.fill($0) }
        XCTAssertEqual(words, (0..<37).map { _ in seededA.next() })
        XCTAssertEqual(seededA.next(), seededB.next())
    }
}
