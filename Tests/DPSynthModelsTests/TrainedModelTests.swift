import DPSynthRandom
import DPSynthTabular
import Foundation
import XCTest
@testable import DPSynthModels

/// Sampling, determinism and the model file, on a short run.
final class TrainedModelTests: XCTestCase {
    private func quickModel(_ kind: ModelKind = .acgan, seed: UInt64 = 1, privacy: TrainingPrivacy = .noPrivacy) throws -> TrainedModel {
        var configuration = TestDatasets.smallConfiguration(kind)
        configuration.epochs = 1
        let (_, encoder, matrix) = try TestDatasets.encoded("gbsg2")
        return try TabularGANTrainer(configuration: configuration, encoder: encoder, data: matrix, privacy: privacy,
                                     randomness: .seeded(seed)).train()
    }

    private func labelCounts(_ table: Table) -> [String: Int] {
        (table.categories("cens") ?? []).reduce(into: [:]) { $0[$1 ?? "missing", default: 0] += 1 }
    }

    func testACGANGivesExactLabelCounts() throws {
        let model = try quickModel()
        var seen: [String: Int] = [:]
        var rows = 0
        try model.sample(count: 1000, labels: .counts(["0": 900, "1": 100]), random: SeededGenerator(seed: 2), chunkSize: 128) { chunk in
            rows += chunk.rowCount
            seen.merge(labelCounts(chunk), uniquingKeysWith: +)
        }
        XCTAssertEqual(rows, 1000)
        XCTAssertEqual(seen, ["0": 900, "1": 100])
        let proportional = try model.sampleTable(count: 7, labels: .proportions(["0": 1, "1": 2]), random: SeededGenerator(seed: 3))
        XCTAssertEqual(labelCounts(proportional), ["0": 2, "1": 5])
        XCTAssertThrowsError(try model.sampleTable(count: 10, labels: .counts(["0": 5]), random: SeededGenerator(seed: 4))) { error in
            XCTAssertEqual(error as? SamplingError, .countMismatch(requested: 10, labelTotal: 5))
        }
        XCTAssertThrowsError(try model.sampleTable(count: 1, labels: .counts(["2": 1]), random: SeededGenerator(seed: 4))) { error in
            XCTAssertEqual("\(error)", "label class '2' is not one of the model's classes: 0, 1")
        }
    }

    func testPlainGANRefusesLabelCounts() throws {
        let model = try quickModel(.gan)
        XCTAssertNil(model.labelMarginal)
        XCTAssertThrowsError(try model.sampleTable(count: 10, labels: .counts(["0": 10]), random: SeededGenerator(seed: 1))) { error in
            XCTAssertEqual(error as? SamplingError, .labelsNeedACGAN)
        }
        XCTAssertEqual(try model.sampleTable(count: 10, random: SeededGenerator(seed: 1)).rowCount, 10)
    }

    func testSameSeedGivesIdenticalModelBytesAndSample() throws {
        let budget = PrivacyBudget(epsilon: 3, delta: 1e-5)
        let first = try quickModel(seed: 5, privacy: .differentiallyPrivate(budget))
        let second = try quickModel(seed: 5, privacy: .differentiallyPrivate(budget))
        let other = try quickModel(seed: 6, privacy: .differentiallyPrivate(budget))
        XCTAssertEqual(try first.serialized(toolVersion: "test"), try second.serialized(toolVersion: "test"))
        XCTAssertNotEqual(first.parameterBytes, other.parameterBytes)
        let a = try first.sampleTable(count: 300, random: SeededGenerator(seed: 9))
        let b = try second.sampleTable(count: 300, random: SeededGenerator(seed: 9))
        let c = try first.sampleTable(count: 300, random: SeededGenerator(seed: 10))
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a, c)
        // Chunking does not change the rows.
        var chunks: [Table] = []
        try first.sample(count: 300, random: SeededGenerator(seed: 9), chunkSize: 300) { chunks.append($0) }
        XCTAssertEqual(chunks, [a])
    }

    func testModelFileRoundTripKeepsEverythingIncludingInfiniteEpsilon() throws {
        let model = try quickModel()
        XCTAssertEqual(model.privacy.epsilon, Double.infinity)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dpsynth-models-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("gbsg2.dpsynth")
        try model.write(to: url, toolVersion: "test")
        let loaded = try TrainedModel(contentsOf: url)
        XCTAssertEqual(loaded.configuration, model.configuration)
        XCTAssertEqual(loaded.schema, model.schema)
        XCTAssertEqual(loaded.privacy, model.privacy)
        XCTAssertEqual(loaded.history, model.history)
        XCTAssertEqual(loaded.labelMarginal, model.labelMarginal)
        XCTAssertEqual(loaded.parameterBytes, model.parameterBytes)
        XCTAssertEqual(try loaded.sampleTable(count: 50, random: SeededGenerator(seed: 1)),
                       try model.sampleTable(count: 50, random: SeededGenerator(seed: 1)))
        // Only the model file is left in the directory: the write went through a renamed temporary.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["gbsg2.dpsynth"])
    }

    func testCorruptTruncatedAndMismatchedFilesAreRefused() throws {
        let model = try quickModel()
        let bytes = try model.serialized(toolVersion: "test")
        XCTAssertThrowsError(try TrainedModel(bytes: Array(bytes.dropLast(10)), source: "m.dpsynth"))
        var flipped = bytes
        flipped[bytes.count / 2] ^= 1
        XCTAssertThrowsError(try TrainedModel(bytes: flipped, source: "m.dpsynth")) { error in
            XCTAssertEqual(error as? ModelFileError, .checksumMismatch(path: "m.dpsynth"))
        }
        // A well-formed container whose header disagrees with its weights.
        let container = try model.container(toolVersion: "test")
        var header = try JSONSerialization.jsonObject(with: Data(container.header)) as? [String: Any] ?? [:]
        var configuration = header["configuration"] as? [String: Any] ?? [:]
        configuration["generatorWidths"] = [8]
        header["configuration"] = configuration
        let edited = ModelContainer(header: Array(try JSONSerialization.data(withJSONObject: header)), payload: container.payload)
        XCTAssertThrowsError(try TrainedModel(container: edited, source: "edited.dpsynth")) { error in
            guard case .corrupt(let path, _)? = error as? ModelFileError else { return XCTFail("\(error)") }
            XCTAssertEqual(path, "edited.dpsynth")
        }
        let garbage = ModelContainer(header: Array("{}".utf8), payload: container.payload)
        XCTAssertThrowsError(try TrainedModel(container: garbage, source: "g")) { error in
            XCTAssertTrue("\(error)".hasPrefix("g: model file is corrupt: the header does not decode"), "\(error)")
        }
    }
}
