import XCTest
@testable import DPSynthRandom

final class RandomTests: XCTestCase {
    /// RFC 8439 §2.3.2 test vector for the ChaCha20 block function.
    func testChaCha20BlockMatchesRFC8439() {
        let key = (0..<32).map { UInt8($0) }
        let nonce: [UInt8] = [0, 0, 0, 0x09, 0, 0, 0, 0x4a, 0, 0, 0, 0]
        let generator = SecureGenerator(key: key, nonce: nonce, counter: 1)
        let expected: [UInt32] = [
            0xe4e7_f110, 0x1559_3bd1, 0x1fdd_0f50, 0xc471_20a3, 0xc7f4_d1c7, 0x0368_c033, 0x9aaa_2204, 0x4e6c_d4c3,
            0x4664_82d2, 0x09aa_9f07, 0x05d7_c214, 0xa202_8bd9, 0xd19c_12b5, 0xb94e_16de, 0xe883_d0cb, 0x4e3c_50a2,
        ]
        XCTAssertEqual(generator.keystreamBlock(), expected)
        XCTAssertFalse(generator.isCryptographicallySecure)
    }

    func testEntropyKeyedGeneratorIsSecureAndUnpredictable() throws {
        let a = try SecureGenerator(), b = try SecureGenerator()
        XCTAssertTrue(a.isCryptographicallySecure)
        XCTAssertNotEqual((0..<4).map { _ in a.next() }, (0..<4).map { _ in b.next() })
    }

    func testSeededGeneratorIsDeterministic() {
        let a = SeededGenerator(seed: 42), b = SeededGenerator(seed: 42), c = SeededGenerator(seed: 43)
        let xa = (0..<100).map { _ in a.next() }
        XCTAssertEqual(xa, (0..<100).map { _ in b.next() })
        XCTAssertNotEqual(xa, (0..<100).map { _ in c.next() })
    }

    func testUniformRangeAndLaplaceScale() {
        let generator = SeededGenerator(seed: 3)
        var buffer = [Float](repeating: -1, count: 10_001)
        buffer.withUnsafeMutableBufferPointer { generator.fillUniform($0, in: -2...3) }
        XCTAssertTrue(buffer.allSatisfy { $0 >= -2 && $0 < 3 })
        let n = 100_000
        let meanAbs = (0..<n).reduce(0.0) { acc, _ in acc + abs(generator.nextLaplace(scale: 2)) } / Double(n)
        // E|X| = b for Laplace(0, b); sd of |X| is b.
        XCTAssertEqual(meanAbs, 2, accuracy: 5 * 2 / Double(n).squareRoot())
    }
}
