import XCTest
@testable import DPSynthModels

final class ModelContainerTests: XCTestCase {
    private let container = ModelContainer(header: Array(#"{"model":"acgan"}"#.utf8), payload: (0..<1000).map { UInt8($0 % 251) })

    func testRoundTrip() throws {
        let bytes = container.serialized()
        XCTAssertEqual(try ModelContainer(bytes: bytes, source: "m.dpsynth"), container)
    }

    func testEveryTruncationIsRefused() {
        let bytes = container.serialized()
        for length in stride(from: 0, to: bytes.count, by: 37) {
            XCTAssertThrowsError(try ModelContainer(bytes: Array(bytes[0..<length]), source: "m.dpsynth"), "length \(length)")
        }
    }

    func testFlippedBitIsRefusedByChecksum() {
        var bytes = container.serialized()
        bytes[100] ^= 0x04  // inside the payload
        XCTAssertThrowsError(try ModelContainer(bytes: bytes, source: "m.dpsynth")) { error in
            XCTAssertEqual(error as? ModelFileError, .checksumMismatch(path: "m.dpsynth"))
            XCTAssertEqual("\(error)", "m.dpsynth: model file is corrupt (SHA-256 checksum mismatch); refusing to load weights whose privacy record cannot be trusted")
        }
    }

    func testNewerFormatAndForeignFilesAreRefused() {
        let newer = ModelContainer(header: [1], payload: [2], formatVersion: ModelContainer.currentFormatVersion + 1)
        XCTAssertThrowsError(try ModelContainer(bytes: newer.serialized(), source: "n")) { error in
            XCTAssertEqual(error as? ModelFileError, .newerFormat(path: "n", found: 2, supported: 1))
        }
        XCTAssertThrowsError(try ModelContainer(bytes: Array("age,sex\n1,2\n".utf8), source: "data.csv")) { error in
            XCTAssertEqual(error as? ModelFileError, .notAModelFile(path: "data.csv"))
        }
        var trailing = container.serialized()
        trailing.append(0)
        XCTAssertThrowsError(try ModelContainer(bytes: trailing, source: "t"))
    }
}
