import XCTest
@testable import DPSynthRandom

/// The multi-block ChaCha20 path: RFC 8439 vectors, alignment of the 4-block buffer,
/// counter wrap-around and the bulk `fill(_:)` against `next()`.
final class ChaCha20Tests: XCTestCase {
    private let rfcKey = (0..<32).map { UInt8($0) }
    private let rfcNonce: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0x4a, 0, 0, 0, 0]

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
        let keystream = keystreamBytes(SecureGenerator(key: rfcKey, nonce: rfcNonce, counter: 1), words: 15)
        XCTAssertEqual(zip(plaintext, keystream).map { $0 ^ $1 }, ciphertext)
    }

    /// The same keystream whatever the alignment of the 4-block buffer: starting at counters
    /// 0, 1, 2 and 3 puts each block in a different SIMD lane and crosses group boundaries at
    /// different blocks; all must agree block by block, and block 1 is the RFC 8439 §2.3.2 block.
    func testMultiBlockKeystreamIsIndependentOfBufferAlignment() {
        let nonce: [UInt8] = [0, 0, 0, 0x09, 0, 0, 0, 0x4a, 0, 0, 0, 0]  // RFC 8439 §2.3.2
        let reference = SecureGenerator(key: rfcKey, nonce: nonce, counter: 0)
        let blocks = (0..<13).map { _ in reference.keystreamBlock() }
        XCTAssertEqual(blocks[1].first, 0xe4e7_f110)
        XCTAssertEqual(blocks[1].last, 0x4e3c_50a2)
        XCTAssertEqual(Set(blocks.map { $0 }).count, blocks.count, "no block repeats")
        for start in 1...3 {
            let generator = SecureGenerator(key: rfcKey, nonce: nonce, counter: UInt32(start))
            for block in start..<blocks.count {
                XCTAssertEqual(generator.keystreamBlock(), blocks[block], "block \(block) from counter \(start)")
            }
        }
    }

    /// Past counter 2³² − 1 the stream moves to nonce word 0 + 1 with counter 0, also when the
    /// wrap falls inside a 4-block group.
    func testCounterWrapMovesToNextNonce() {
        var nextNonce = rfcNonce
        nextNonce[0] = 1
        let afterWrap = SecureGenerator(key: rfcKey, nonce: nextNonce, counter: 0)
        let expectedAfter = (0..<3).map { _ in afterWrap.keystreamBlock() }
        for blocksBeforeWrap in 1...3 {
            let generator = SecureGenerator(key: rfcKey, nonce: rfcNonce, counter: UInt32.max - UInt32(blocksBeforeWrap - 1))
            let before = (0..<blocksBeforeWrap).map { _ in generator.keystreamBlock() }
            let lastBefore = SecureGenerator(key: rfcKey, nonce: rfcNonce, counter: .max).keystreamBlock()
            XCTAssertEqual(before.last, lastBefore)
            XCTAssertEqual((0..<3).map { _ in generator.keystreamBlock() }, expectedAfter,
                           "\(blocksBeforeWrap) blocks before the wrap")
        }
    }

    /// `fill(_:)` hands out the words `next()` would, continuing a partly used buffer and
    /// writing whole groups of blocks straight into the output.
    func testBulkFillMatchesNext() {
        let a = SecureGenerator(key: rfcKey, nonce: rfcNonce), b = SecureGenerator(key: rfcKey, nonce: rfcNonce)
        var expected: [UInt64] = []
        var filled: [UInt64] = []
        for count in [32, 3, 1, 0, 40, 7, 100, 64] {
            expected += (0..<count).map { _ in a.next() }
            var words = [UInt64](repeating: 0, count: count)
            words.withUnsafeMutableBufferPointer { b.fill($0) }
            filled += words
        }
        XCTAssertEqual(filled, expected)
        let seededA = SeededGenerator(seed: 9), seededB = SeededGenerator(seed: 9)
        var words = [UInt64](repeating: 0, count: 37)
        words.withUnsafeMutableBufferPointer { seededB.fill($0) }
        XCTAssertEqual(words, (0..<37).map { _ in seededA.next() })
        XCTAssertEqual(seededA.next(), seededB.next())
    }
}
