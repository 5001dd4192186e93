import ArgumentParser
import DPSynthModels
import DPSynthRandom
import DPSynthTabular
import Foundation

/// `dpsynth sample`: draws synthetic rows from a model file. Sampling reads no private data, so
/// it spends no privacy: it is post-processing of the released generator.
struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Draw synthetic rows from a trained model (no privacy cost: post-processing).")

    @Argument(help: "Model file written by `dpsynth fit`.")
    var model: String

    @Option(name: [.customShort("n"), .customLong("count")], help: "Number of rows (default: the sum of --label-counts).")
    var count: Int?

    @Option(help: "Exact rows per label class, e.g. \"1=100,0=50\" (AC-GAN only).")
    var labelCounts: String?

    @Option(help: "Label proportions, e.g. \"1=0.5,0=0.5\", turned into exact counts (AC-GAN only).")
    var labelProportions: String?

    @Option(help: "Seed for a reproducible sample (default: operating-system entropy).")
    var seed: UInt64?

    @Option(help: "Table name when the output is sqlite:PATH.")
    var table: String?

    @Flag(help: "Replace an existing output file or table.")
    var force = false

    @Option(name: .shortAndLong, help: "Output: a CSV path, or sqlite:PATH with --table.")
    var output: String

    func validate() throws {
        if labelCounts != nil && labelProportions != nil {
            throw ValidationError("give --label-counts or --label-proportions, not both")
        }
        if count == nil && labelCounts == nil { throw ValidationError("give the number of rows with -n (or --label-counts)") }
        if let count, count < 0 { throw ValidationError("-n must be ≥ 0, found \(count)") }
        if labelProportions != nil && count == nil { throw ValidationError("--label-proportions needs -n") }
        _ = try OutputDestination(output, table: table)
    }

    func run() throws {
        let trained = try TrainedModel(contentsOf: URL(fileURLWithPath: model))
        let labels = try labelRequest()
        let rows: Int
        if let count { rows = count } else if case .counts(let counts) = labels { rows = counts.values.reduce(0, +) } else { rows = 0 }
        let random: RandomSource = try seed.map { SeededGenerator(seed: $0) } ?? SecureGenerator()
        let written = try SampleCommand.write(trained, rows: rows, labels: labels, random: random,
                                              to: try OutputDestination(output, table: table), overwrite: force)
        print("wrote \(written) synthetic rows to \(output)")
    }

    private func labelRequest() throws -> LabelRequest {
        if let labelCounts {
            return .counts(try parsePairs(labelCounts, option: "--label-counts").mapValues { value -> Int in
                guard let n = Int(value), n >= 0 else { throw ValidationError("--label-counts: '\(value)' is not a whole number ≥ 0") }
                return n
            })
        }
        if let labelProportions {
            return .proportions(try parsePairs(labelProportions, option: "--label-proportions").mapValues { value -> Double in
                guard let p = Double(value), p.isFinite, p >= 0 else { throw ValidationError("--label-proportions: '\(value)' is not a number ≥ 0") }
                return p
            })
        }
        return .marginal
    }

    /// "A=1,B=2" → ["A": "1", "B": "2"]; the class name is everything before the last '='.
    private func parsePairs(_ text: String, option: String) throws -> [String: String] {
        var pairs: [String: String] = [:]
        for item in text.split(separator: ",") {
            guard let equals = item.lastIndex(of: "=") else {
                throw ValidationError("\(option): expected CLASS=VALUE pairs separated by commas, found '\(item)'")
            }
            let name = String(item[..<equals]).trimmingCharacters(in: .whitespaces)
            guard pairs.updateValue(String(item[item.index(after: equals)...]).trimmingCharacters(in: .whitespaces), forKey: name) == nil else {
                throw ValidationError("\(option): class '\(name)' is given twice")
            }
        }
        return pairs
    }

    /// Streams `rows` rows to the destination in chunks, CSV or SQLite alike: the file (or the
    /// table) appears only complete. Returns the number written.
    static func write(_ model: TrainedModel, rows: Int, labels: LabelRequest, random: RandomSource,
                      to destination: OutputDestination, overwrite: Bool) throws -> Int {
        var written = 0
        let schema = model.schema.released
        func sample(into append: (Table) throws -> Void) throws {
            try model.sample(count: rows, labels: labels, random: random) { chunk in
                try append(chunk)
                written += chunk.rowCount
            }
        }
        switch destination {
        case .csv(let url):
            try CSVWriter.stream(schema: schema, to: url, overwrite: overwrite) { writer in
                try sample { try writer.append($0) }
            }
        case .sqlite(let url, let table):
            try SQLiteTableWriter.stream(schema: schema, to: url, tableName: table, overwrite: overwrite) { writer in
                try sample { try writer.append($0) }
            }
        }
        return written
    }
}
