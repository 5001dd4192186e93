import DPSynthRandom
import DPSynthTabular
import Foundation
import XCTest
@testable import DPSynthModels

/// Not a check: the harness behind the measurements in docs/models.md. Runs only when
/// DPSYNTH_MEASURE_RUNS names a JSON file of runs and DPSYNTH_MEASURE_OUT a directory:
/// `[{"tag": "gbsg2-e1", "dataset": "gbsg2", "epsilon": 1, "seed": 1, "configuration": {…overrides…}}]`
/// (epsilon null = no privacy; an optional "schema" path replaces the bundled schema). Each run trains on the fixed training split, samples as many rows,
/// writes OUT/TAG.csv and appends a line to OUT/runs.jsonl; scripts/models-tstr.py scores them.
final class MeasurementTests: XCTestCase {
    struct Run: Decodable {
        var tag: String
        var dataset: String
        var epsilon: Double?
        var delta: Double?
        var seed: UInt64?
        /// A schema file to use in place of `Schemas/DATASET.json` (a variant under study).
        var schema: String?
        var configuration: [String: JSONValue]?
    }

    enum JSONValue: Codable {
        case number(Double), string(String), bool(Bool), array([JSONValue])
        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let value = try? container.decode(Bool.self) { self = .bool(value) }
            else if let value = try? container.decode(Double.self) { self = .number(value) }
            else if let value = try? container.decode(String.self) { self = .string(value) }
            else { self = .array(try container.decode([JSONValue].self)) }
        }
        func encode(to encoder: Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .number(let value): try container.encode(value)
            case .string(let value): try container.encode(value)
            case .bool(let value): try container.encode(value)
            case .array(let value): try container.encode(value)
            }
        }
    }

    /// Sampling throughput: DPSYNTH_MEASURE_SAMPLING=ROWS trains flchain's default AC-GAN (ε = 1,
    /// seeded) and streams ROWS rows in chunks of 8,192 to nowhere, printing rows per second.
    func testMeasureSampling() throws {
        guard let text = ProcessInfo.processInfo.environment["DPSYNTH_MEASURE_SAMPLING"], let rows = Int(text) else {
            throw XCTSkip("set DPSYNTH_MEASURE_SAMPLING=ROWS to measure")
        }
        let (_, encoder, matrix) = try TestDatasets.encoded("flchain")
        let fitStart = Date()
        let model = try TabularGANTrainer(configuration: TabularGANConfiguration(), encoder: encoder, data: matrix,
                                          privacy: .differentiallyPrivate(PrivacyBudget(epsilon: 1, delta: 1e-5)),
                                          randomness: .seeded(1)).train()
        let fitSeconds = Date().timeIntervalSince(fitStart)
        let start = Date()
        var produced = 0
        try model.sample(count: rows, random: SeededGenerator(seed: 2)) { produced += $0.rowCount }
        let seconds = Date().timeIntervalSince(start)
        print("flchain fit (\(matrix.rowCount) rows, \(model.privacy.steps) steps): \(fitSeconds) s, \(Double(model.privacy.steps * TabularGANConfiguration().expectedBatchSize) / fitSeconds) real rows/s; sampled \(produced) rows in \(seconds) s: \(Double(produced) / seconds) rows/s")
    }

    func testMeasureRuns() throws {
        let environment = ProcessInfo.processInfo.environment
        guard let runsPath = environment["DPSYNTH_MEASURE_RUNS"], let outPath = environment["DPSYNTH_MEASURE_OUT"] else {
            throw XCTSkip("set DPSYNTH_MEASURE_RUNS and DPSYNTH_MEASURE_OUT to measure")
        }
        let out = URL(fileURLWithPath: outPath)
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let runs = try JSONDecoder().decode([Run].self, from: Data(contentsOf: URL(fileURLWithPath: runsPath)))
        for run in runs {
            let schema = try run.schema.map { try Schema.load(from: URL(fileURLWithPath: $0)) } ?? TestDatasets.schema(run.dataset)
            let encoder = try TableEncoder(schema: schema)
            let table = try TestDatasets.table(run.dataset, schema)
            let matrix = TestDatasets.rows(of: try encoder.encode(table).matrix, excluding: try TestDatasets.testRows(run.dataset))
            var merged = try JSONSerialization.jsonObject(with: JSONEncoder().encode(TabularGANConfiguration())) as? [String: Any] ?? [:]
            for (key, value) in run.configuration ?? [:] {
                merged[key] = try JSONSerialization.jsonObject(with: JSONEncoder().encode([value]), options: []) as? [Any] ?? []
                merged[key] = (merged[key] as? [Any])?.first
            }
            let configuration = try JSONDecoder().decode(TabularGANConfiguration.self, from: JSONSerialization.data(withJSONObject: merged))
            let privacy: TrainingPrivacy = run.epsilon.map { .differentiallyPrivate(PrivacyBudget(epsilon: $0, delta: run.delta ?? 1e-5)) } ?? .noPrivacy
            let start = Date()
            let trainer = try TabularGANTrainer(configuration: configuration, encoder: encoder, data: matrix, privacy: privacy,
                                                randomness: .seeded(run.seed ?? 1))
            let model = try trainer.train()
            let fitSeconds = Date().timeIntervalSince(start)
            let synthetic = try model.sampleTable(count: matrix.rowCount, random: SeededGenerator(seed: (run.seed ?? 1) + 1000))
            let file = "\(run.tag).csv"
            try CSVWriter.write(synthetic, to: out.appendingPathComponent(file), overwrite: true)
            let fidelity = TestDatasets.meanFidelity(real: table, synthetic: synthetic)
            let line: [String: Any] = [
                "tag": run.tag, "dataset": run.dataset, "file": file, "epsilon_budget": run.epsilon ?? -1,
                "epsilon_spent": model.privacy.epsilon.isFinite ? model.privacy.epsilon : -1,
                "sigma": model.privacy.noiseMultiplier, "steps": model.privacy.steps, "q": model.privacy.samplingProbability,
                "fidelity": (fidelity * 1e4).rounded() / 1e4, "fit_seconds": (fitSeconds * 100).rounded() / 100,
                "configuration": run.configuration.map { try? JSONSerialization.jsonObject(with: JSONEncoder().encode($0)) } as Any,
            ]
            var text = String(decoding: try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys]), as: UTF8.self)
            text += "\n"
            let log = out.appendingPathComponent("runs.jsonl")
            if let handle = try? FileHandle(forWritingTo: log) {
                handle.seekToEndOfFile()
                handle.write(Data(text.utf8))
                handle.closeFile()
            } else {
                try Data(text.utf8).write(to: log)
            }
            print(text, terminator: "")
        }
    }
}
