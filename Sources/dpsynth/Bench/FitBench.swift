import DPSynthEngine
import DPSynthModels
import DPSynthRandom
import DPSynthTabular
import Foundation

/// `bench --suite fit`: a whole DP `fit` of the AC-GAN on flchain at the default settings
/// (ε = 1, δ = 1e-5, secure noise), real rows consumed per second of training, and synthetic
/// rows per second of sampling to CSV.
struct FitBench: BenchSuite {
    static let name = "fit"

    static func run(options: BenchOptions) throws -> BenchTable {
        let data = try sharedDataFile("flchain.csv")
        let schema = try DemoCommand.bundled("Schemas/flchain.json")
        var table = BenchTable(columns: ["phase", "rows", "seconds", "rows_per_s", "threads"])
        let threads = options.threadCounts?.first ?? Engine.threadCount
        Engine.threadCount = threads

        options.progress("fit: DP AC-GAN on \(data), ε = 1, default settings")
        var configuration = TabularGANConfiguration()
        if options.quick { configuration.epochs = 2 }
        let start = Date()
        let fit = try FitRun(data: data, schemaPath: schema, table: nil, query: nil, label: nil, configuration: configuration,
                             epsilon: 1, delta: 1e-5, schemaEpsilon: nil, acceptDataBounds: false, accountant: .rdp,
                             holdoutFraction: nil, seed: nil, ledgerPath: nil, outputLabel: "bench")
        let prepared = Date()
        let reporter = ProgressReporter()
        reporter.quiet = true
        let result = try fit.train(reporter: reporter)
        let trained = Date()
        let record = result.model.privacy
        let consumed = Double(record.steps) * record.samplingProbability * Double(record.datasetSize)
        table.append([.text("read + encode"), .integer(fit.table.rowCount), .number(prepared.timeIntervalSince(start)),
                      .number(Double(fit.table.rowCount) / prepared.timeIntervalSince(start)), .integer(threads)])
        table.append([.text("DP training (\(record.steps) D steps)"), .integer(Int(consumed.rounded())),
                      .number(trained.timeIntervalSince(prepared)), .number(consumed / trained.timeIntervalSince(prepared)),
                      .integer(threads)])
        table.append([.text("whole fit"), .integer(fit.table.rowCount), .number(trained.timeIntervalSince(start)),
                      .number(Double(fit.table.rowCount) / trained.timeIntervalSince(start)), .integer(threads)])

        let rows = options.quick ? 20_000 : 200_000
        options.progress("sample: \(rows) rows to CSV")
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("dpsynth-bench-\(getpid()).csv")
        defer { try? FileManager.default.removeItem(at: output) }
        let sampleStart = Date()
        _ = try SampleCommand.write(result.model, rows: rows, labels: .marginal, random: try SecureGenerator(),
                                    to: .csv(output), overwrite: true)
        let sampleSeconds = Date().timeIntervalSince(sampleStart)
        table.append([.text("sample to CSV"), .integer(rows), .number(sampleSeconds), .number(Double(rows) / sampleSeconds),
                      .integer(threads)])
        table.notes.append(String(format: "privacy of the benchmarked fit: ε = %.4f, δ = %g, σ = %.4f, q = %.5f, %d steps",
                                  record.epsilon, record.delta, record.noiseMultiplier, record.samplingProbability, record.steps))
        return table
    }

    /// A file of `shared/data/` (the project's public datasets): DPSYNTH_SHARED, or `shared/`
    /// beside the repository.
    static func sharedDataFile(_ name: String) throws -> String {
        if let shared = ProcessInfo.processInfo.environment["DPSYNTH_SHARED"], !shared.isEmpty {
            return URL(fileURLWithPath: shared).appendingPathComponent("data/\(name)").path
        }
        let repository = URL(fileURLWithPath: try DemoCommand.bundled("Package.swift")).deletingLastPathComponent()
        let path = repository.deletingLastPathComponent().appendingPathComponent("shared/data/\(name)").path
        guard FileManager.default.fileExists(atPath: path) else {
            throw BenchError.missingData("\(name) not found at \(path); set DPSYNTH_SHARED to the shared/ folder")
        }
        return path
    }
}

enum BenchError: Error, CustomStringConvertible {
    case missingData(String)
    var description: String {
        switch self { case .missingData(let message): return message }
    }
}
