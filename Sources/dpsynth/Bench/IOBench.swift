import DPSynthEngine
import DPSynthRandom
import DPSynthTabular
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `dpsynth bench --suite io`: read and encode a generated 1,000,000-row × 20-column CSV of
/// mixed kinds, beside `pandas.read_csv` on the same file (scripts/bench-io-pandas.py, one
/// read per process). The two take turns, run by run, so that on a shared machine both meet
/// the same load; each figure is the median of its runs.
///
/// Peak memory is the process's maximum resident set (getrusage), which includes the
/// generation of the file (streamed, a few MB) and the runtime; the goal is at most twice the
/// encoded matrix.
enum IOBench: BenchSuite {
    static let name = "io"

    static func run(options: BenchOptions) throws -> BenchTable {
        let rows = options.quick ? 100_000 : 1_000_000
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dpsynth-bench-io-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // DPSYNTH_BENCH_IO_FILE keeps the generated file at that path and reuses it (profiling).
        let kept = ProcessInfo.processInfo.environment["DPSYNTH_BENCH_IO_FILE"].map { URL(fileURLWithPath: $0) }
        let url = kept ?? directory.appendingPathComponent("mixed.csv")
        if kept == nil || !FileManager.default.fileExists(atPath: url.path) {
            options.progress("generating \(rows) rows × \(benchSchema.columns.count) columns in \(url.path)")
            try writeBenchFile(rows: rows, to: url)
        }
        let bytes = Double((try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.intValue ?? 0)
        // The same rows as a European export (`;`, decimal commas): the decimal-mark path.
        let europeanURL = directory.appendingPathComponent("mixed-european.csv")
        try writeEuropeanCopy(of: url, to: europeanURL)
        var europeanSchema = benchSchema
        europeanSchema.source = SourceFormat(delimiter: ";", decimalSeparator: .comma)
        let europeanEncoder = try TableEncoder(schema: europeanSchema)
        var europeanSeconds: [Double] = [], europeanCPUSeconds: [Double] = []

        let encoder = try TableEncoder(schema: benchSchema)
        var table = BenchTable(columns: ["reader", "rows", "MB", "seconds", "CPU seconds", "rows/s", "MB/s", "peak RSS MB", "matrix MB", "peak/matrix"])
        let repetitions = options.quick ? 1 : 3
        // `--threads 1,2`, else the engine's setting (DPSYNTH_THREADS, or every core): the
        // reader splits the file into byte ranges that this many threads take in turn.
        let threadCounts = options.threadCounts ?? [Engine.threadCount]
        var seconds = Array(repeating: [Double](), count: threadCounts.count)
        var cpuSeconds = Array(repeating: [Double](), count: threadCounts.count)
        var matrixBytes = 0.0
        var pandasRuns: [PandasRun] = []
        // dpsynth and pandas take turns, so both meet the same load on a shared machine.
        for repetition in 0..<repetitions {
            for (index, threads) in threadCounts.enumerated() {
                options.progress("dpsynth read + encode on \(threads) thread\(threads == 1 ? "" : "s"), run \(repetition + 1) of \(repetitions)")
                let start = DispatchTime.now().uptimeNanoseconds
                let cpuStart = processCPUSeconds()
                let (matrix, _) = try encoder.encode(.csv(url), threadCount: threads)
                seconds[index].append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
                cpuSeconds[index].append(processCPUSeconds() - cpuStart)
                matrixBytes = Double(matrix.values.count * MemoryLayout<Float>.size)
                precondition(matrix.rowCount == rows, "read \(matrix.rowCount) rows of \(rows)")
            }
            let europeanThreads = threadCounts[threadCounts.count - 1]
            options.progress("dpsynth read + encode of the ';' / decimal-comma copy on \(europeanThreads) threads, run \(repetition + 1) of \(repetitions)")
            let start = DispatchTime.now().uptimeNanoseconds
            let cpuStart = processCPUSeconds()
            let (matrix, _) = try europeanEncoder.encode(.csv(europeanURL), threadCount: europeanThreads)
            europeanSeconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            europeanCPUSeconds.append(processCPUSeconds() - cpuStart)
            precondition(matrix.rowCount == rows, "read \(matrix.rowCount) rows of \(rows)")
            options.progress("pandas.read_csv on the same file, run \(repetition + 1) of \(repetitions)")
            if let run = runPandas(on: url) { pandasRuns.append(run) }
        }
        // The process's maximum: it covers every run.
        let peak = peakResidentBytes()
        for (index, threads) in threadCounts.enumerated() {
            let time = median(seconds[index])
            table.append([.text("dpsynth (libcsv → Float matrix, \(threads) thread\(threads == 1 ? "" : "s"))"), .integer(rows),
                          .number(bytes / 1e6), .number(time), .number(median(cpuSeconds[index])),
                          .number(Double(rows) / time), .number(bytes / 1e6 / time), .number(peak / 1e6),
                          .number(matrixBytes / 1e6), .number(peak / matrixBytes)])
        }
        let europeanTime = median(europeanSeconds)
        table.append([.text("dpsynth, ';' and decimal ',' (\(threadCounts[threadCounts.count - 1]) threads)"), .integer(rows),
                      .number(bytes / 1e6), .number(europeanTime), .number(median(europeanCPUSeconds)),
                      .number(Double(rows) / europeanTime), .number(bytes / 1e6 / europeanTime), .number(peak / 1e6),
                      .number(matrixBytes / 1e6), .number(peak / matrixBytes)])
        if let first = pandasRuns.first {
            let time = median(pandasRuns.map(\.seconds))
            table.append([.text("pandas.read_csv (\(first.version))"), .integer(first.rows), .number(bytes / 1e6),
                          .number(time), .number(median(pandasRuns.map(\.cpuSeconds))), .number(Double(first.rows) / time),
                          .number(bytes / 1e6 / time), .number((pandasRuns.map(\.peakBytes).max() ?? 0) / 1e6), .text("-"), .text("-")])
        } else {
            table.notes.append("pandas: not run (set DPSYNTH_PYTHON to a python with pandas, e.g. /work/.venv-io/bin/python)")
        }
        table.notes.append("median of \(repetitions) runs each, dpsynth and pandas taking turns (wall and CPU seconds); file in the page cache; matrix width \(encoder.width) Floats per row; peak RSS is the whole process's maximum (getrusage)")
        return table
    }

    /// 20 columns: an identifier, integers, continuous values (one mode-specific), categoricals,
    /// booleans, an ordinal, a datetime, some nullable; the label last.
    static let benchSchema = Schema(name: "bench-io", columns: [
        ColumnSchema(name: "id", kind: .identifier),
        ColumnSchema(name: "age", kind: .integer, bounds: Bounds(min: 18, max: 100, provenance: .public)),
        ColumnSchema(name: "sex", kind: .categorical, categories: CategoryList(values: ["F", "M"], provenance: .public)),
        ColumnSchema(name: "bmi", kind: .continuous, bounds: Bounds(min: 10, max: 70, provenance: .public), decimals: 1),
        ColumnSchema(name: "systolic", kind: .integer, bounds: Bounds(min: 60, max: 250, provenance: .public)),
        ColumnSchema(name: "diastolic", kind: .integer, bounds: Bounds(min: 30, max: 150, provenance: .public)),
        ColumnSchema(name: "glucose", kind: .continuous, nullable: true, bounds: Bounds(min: 2, max: 30, provenance: .public), decimals: 2),
        ColumnSchema(name: "cholesterol", kind: .continuous, bounds: Bounds(min: 1, max: 15, provenance: .public), decimals: 2),
        ColumnSchema(name: "creatinine", kind: .continuous, nullable: true, bounds: Bounds(min: 0.1, max: 15, provenance: .public),
                     transform: Transform(method: .log), decimals: 2),
        ColumnSchema(name: "smoker", kind: .boolean, categories: CategoryList(values: ["no", "yes"], provenance: .public)),
        ColumnSchema(name: "diabetic", kind: .boolean, categories: CategoryList(values: ["0", "1"], provenance: .public)),
        ColumnSchema(name: "blood_type", kind: .categorical,
                     categories: CategoryList(values: ["O+", "O-", "A+", "A-", "B+", "B-", "AB+", "AB-"], provenance: .public)),
        ColumnSchema(name: "department", kind: .categorical, nullable: true,
                     categories: CategoryList(values: ["Cardiology", "Oncology", "Neurology", "Orthopaedics", "Paediatrics", "Geriatrics",
                                                       "Emergency", "Surgery", "Psychiatry", "Nephrology", "Pulmonology", "Dermatology"],
                                              provenance: .public)),
        ColumnSchema(name: "grade", kind: .ordinal, categories: CategoryList(values: ["I", "II", "III", "IV"], provenance: .public)),
        ColumnSchema(name: "admission", kind: .datetime, bounds: Bounds(min: 946_684_800, max: 1_767_139_200, provenance: .public)),
        ColumnSchema(name: "length_of_stay", kind: .integer, bounds: Bounds(min: 0, max: 365, provenance: .public)),
        ColumnSchema(name: "heart_rate", kind: .integer, bounds: Bounds(min: 20, max: 250, provenance: .public)),
        ColumnSchema(name: "temperature", kind: .continuous, bounds: Bounds(min: 30, max: 45, provenance: .public), decimals: 1),
        ColumnSchema(name: "weight", kind: .continuous, bounds: Bounds(min: 2, max: 300, provenance: .public),
                     transform: Transform(method: .modeSpecific, modes: 5), decimals: 1),
        ColumnSchema(name: "outcome", kind: .categorical, role: .label,
                     categories: CategoryList(values: ["discharged", "transferred", "died"], provenance: .public)),
    ])

    /// Writes the benchmark file row by row (seeded, so every run reads the same bytes).
    static func writeBenchFile(rows: Int, to url: URL) throws {
        let random = SeededGenerator(seed: 20_261_123)
        let date = try DatetimeFormat(pattern: "%Y-%m-%d")
        let columns = benchSchema.columns
        func label(_ index: Int) -> String {
            let labels = columns[index].categoryLabels
            return labels[Int(random.next() % UInt64(labels.count))]
        }
        func uniform(_ low: Double, _ high: Double) -> Double { low + (high - low) * random.nextUnitDouble() }
        func fixed(_ value: Double, _ decimals: Int) -> String { String(format: "%.\(decimals)f", value) }
        try AtomicFile.write(to: url, overwrite: true) { output in
            output.write(columns.map(\.name).joined(separator: ",") + "\n")
            for row in 0..<rows {
                var fields: [String] = []
                fields.reserveCapacity(20)
                fields.append("P\(1_000_000 + row)")
                fields.append(String(18 + Int(random.next() % 83)))
                fields.append(label(2))
                fields.append(fixed(min(max(26 + 5 * random.nextGaussian(), 10), 70), 1))
                fields.append(String(Int(min(max(125 + 15 * random.nextGaussian(), 60), 250))))
                fields.append(String(Int(min(max(80 + 10 * random.nextGaussian(), 30), 150))))
                fields.append(random.nextBernoulli(0.05) ? "" : fixed(uniform(3, 12), 2))
                fields.append(fixed(uniform(2, 9), 2))
                fields.append(random.nextBernoulli(0.1) ? "" : fixed(uniform(0.4, 3), 2))
                fields.append(label(9))
                fields.append(label(10))
                fields.append(label(11))
                fields.append(random.nextBernoulli(0.02) ? "" : label(12))
                fields.append(label(13))
                fields.append(date.string(fromSeconds: 946_684_800 + Double(random.next() % 9_000) * 86_400))
                fields.append(String(random.next() % 60))
                fields.append(String(50 + random.next() % 80))
                fields.append(fixed(uniform(35.5, 40), 1))
                fields.append(fixed(random.nextBernoulli(0.3) ? uniform(3, 30) : min(max(75 + 15 * random.nextGaussian(), 2), 300), 1))
                fields.append(label(19))
                output.write(fields.joined(separator: ","))
                output.write(byte: 0x0A)
            }
        }
    }

    /// Copies the benchmark file with `;` for `,` and `,` for `.`: its only commas are
    /// delimiters and its only points decimal marks. Streamed, so the copy adds no peak memory.
    static func writeEuropeanCopy(of source: URL, to url: URL) throws {
        guard let input = FileHandle(forReadingAtPath: source.path) else { throw TabularError.fileNotFound(path: source.path) }
        defer { try? input.close() }
        try AtomicFile.write(to: url, overwrite: true) { output in
            while case let chunk = input.readData(ofLength: 1 << 20), !chunk.isEmpty {
                let translated = chunk.map { $0 == UInt8(ascii: ",") ? UInt8(ascii: ";") : $0 == UInt8(ascii: ".") ? UInt8(ascii: ",") : $0 }
                translated.withUnsafeBytes { output.write($0) }
            }
        }
    }

    /// User plus system CPU seconds of this process so far: steadier than wall time on a
    /// shared machine.
    static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    /// The process's peak resident set in bytes (Linux reports ru_maxrss in KiB).
    static func peakResidentBytes() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) * 1024
    }

    /// One `pandas.read_csv` of the file in its own process.
    struct PandasRun {
        var version: String
        var rows: Int
        var seconds: Double
        var cpuSeconds: Double
        var peakBytes: Double
    }

    /// Runs scripts/bench-io-pandas.py for one read; nil when no Python with pandas is found.
    static func runPandas(on url: URL) -> PandasRun? {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let script = repository.appendingPathComponent("scripts/bench-io-pandas.py")
        let environment = ProcessInfo.processInfo.environment
        // A venv with pandas beside the repository (like scripts/bench-jax.sh's), else the system Python.
        let venv = repository.deletingLastPathComponent().appendingPathComponent(".venv-io/bin/python").path
        let candidates = environment["DPSYNTH_PYTHON"].map { [$0] } ?? [venv, "/usr/bin/python3"]
        for python in candidates where FileManager.default.isExecutableFile(atPath: python) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: python)
            process.arguments = [script.path, url.path, "--repetitions", "1"]
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = FileHandle.nullDevice
            do { try process.run() } catch { continue }
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0,
                  let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                  let rows = object["rows"] as? Int, let seconds = object["seconds"] as? Double,
                  let cpu = object["cpu_seconds"] as? Double, let peak = object["peak_rss_bytes"] as? Double else { continue }
            return PandasRun(version: (object["pandas"] as? String) ?? "?", rows: rows, seconds: seconds, cpuSeconds: cpu, peakBytes: peak)
        }
        return nil
    }
}
