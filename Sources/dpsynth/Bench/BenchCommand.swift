import ArgumentParser
import Foundation

/// `dpsynth bench`: prints speed figures for one suite. Benchmarks, not tests: nothing here
/// asserts a time; the figures are compared with the references in `shared/reference/`.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure DPSynth's speed (run a release build: swift build -c release).")

    /// Every suite, by name. A suite is one file under `Bench/` conforming to `BenchSuite`.
    static let suites: [any BenchSuite.Type] = [
        DPSGDBench.self,
        AccountantBench.self,
        IOBench.self,
        AuditBench.self,
        FitBench.self,
        RandomBench.self,
    ]

    @Option(help: "Suite to run: \(BenchCommand.suites.map { $0.name }.joined(separator: ", ")).")
    var suite: String

    @Flag(help: "Print a JSON array of objects instead of a table.")
    var json = false

    @Option(help: "Thread counts to measure (comma-separated); default: the machine's setting.")
    var threads: String?

    @Flag(help: "Fewer repetitions: a smoke run, not figures to report.")
    var quick = false

    @Option(help: "Only the configurations whose name contains this text (dpsgd: e.g. 'dp d=32 batch=64', or 'noise' for the noise phase alone).")
    var only: String?

    func validate() throws {
        guard BenchCommand.suites.contains(where: { $0.name == suite }) else {
            throw ValidationError("unknown suite '\(suite)'; choose one of: \(BenchCommand.suites.map { $0.name }.joined(separator: ", "))")
        }
        if only != nil, let suiteType = BenchCommand.suites.first(where: { $0.name == suite }), !suiteType.selectsConfigurations {
            let selecting = BenchCommand.suites.filter { $0.selectsConfigurations }.map { $0.name }
            throw ValidationError("--only applies to the suites \(selecting.joined(separator: ", ")), not to '\(suite)'")
        }
        if let threads {
            let counts = threads.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard !counts.isEmpty, counts.allSatisfy({ ($0 ?? 0) > 0 }) else {
                throw ValidationError("--threads expects positive whole numbers separated by commas, found '\(threads)'")
            }
        }
    }

    func run() throws {
        guard let suiteType = BenchCommand.suites.first(where: { $0.name == suite }) else { return }
        let options = BenchOptions(
            threadCounts: threads?.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) },
            quick: quick,
            only: only,
            progress: { message in
                if !json { FileHandle.standardError.write(Data((message + "\n").utf8)) }
            })
        let table = try suiteType.run(options: options)
        if let only, table.rows.isEmpty, !table.measuredInNotes {
            throw ValidationError("--only '\(only)' matches no configuration of the \(suite) suite (names look like 'dp d=32 batch=64 threads=2')")
        }
        print(json ? table.jsonText() : table.text())
    }
}

/// What every suite receives from the command line.
struct BenchOptions {
    /// Thread counts asked for with `--threads`, or nil for the suite's default.
    var threadCounts: [Int]?
    var quick: Bool
    /// `--only`: run the configurations whose name contains this text (suites that have several).
    var only: String?
    /// Where a suite reports what it is doing (stderr, silent with --json).
    var progress: (String) -> Void
}

extension BenchOptions {
    /// Whether the configuration called `name` is to be run under `--only`: the text must start
    /// at a word of the name, so "dp d=32" picks the dp variant and not gan_dp.
    func includes(_ name: String) -> Bool { only.map { (" " + name).contains(" " + $0) } ?? true }
}

/// One benchmark suite (`dpsgd`, `accountant`, `io`, `fit`).
protocol BenchSuite {
    static var name: String { get }
    /// Whether the suite honours `--only` (it has several named configurations).
    static var selectsConfigurations: Bool { get }
    static func run(options: BenchOptions) throws -> BenchTable
}

extension BenchSuite {
    static var selectsConfigurations: Bool { false }
}

/// A value in a benchmark row: JSON keeps numbers as numbers.
enum BenchValue: CustomStringConvertible {
    case text(String)
    case integer(Int)
    case number(Double)

    var description: String {
        switch self {
        case .text(let s): return s
        case .integer(let i): return String(i)
        case .number(let x):
            if x.isNaN || x.isInfinite { return String(x) }
            if x != 0 && (abs(x) < 0.01 || abs(x) >= 1e7) { return String(format: "%.3e", x) }
            return String(format: abs(x) < 10 ? "%.3f" : "%.1f", x)
        }
    }

    var jsonFragment: String {
        switch self {
        case .text(let s):
            let data = (try? JSONEncoder().encode(s)) ?? Data("\"\"".utf8)
            return String(decoding: data, as: UTF8.self)
        case .integer(let i): return String(i)
        case .number(let x): return x.isFinite ? String(x) : "null"
        }
    }
}

/// Rows of named figures, printed as an aligned table or as a JSON array of objects.
struct BenchTable {
    var columns: [String]
    var rows: [[BenchValue]] = []
    /// Lines printed under the table (environment, reference figures); not part of the JSON.
    var notes: [String] = []
    /// Whether some of the run's measurements are only in the notes (dpsgd's noise phase), so an
    /// `--only` that selected no row still measured something.
    var measuredInNotes = false

    init(columns: [String]) { self.columns = columns }

    mutating func append(_ row: [BenchValue]) {
        precondition(row.count == columns.count, "bench row has \(row.count) values for \(columns.count) columns")
        rows.append(row)
    }

    func text() -> String {
        let cells = rows.map { $0.map(\.description) }
        let widths = columns.indices.map { c in max(columns[c].count, cells.map { $0[c].count }.max() ?? 0) }
        func line(_ values: [String]) -> String {
            zip(values, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
        }
        var out = [line(columns), line(widths.map { String(repeating: "-", count: $0) })]
        out += cells.map(line)
        out += notes
        return out.joined(separator: "\n")
    }

    func jsonText() -> String {
        let objects = rows.map { row in
            "{" + zip(columns, row).map { "\"\($0)\": \($1.jsonFragment)" }.joined(separator: ", ") + "}"
        }
        return "[\n  " + objects.joined(separator: ",\n  ") + "\n]"
    }
}

/// Wall-clock timing of a repeated step: warm-up calls, then at least `minimumIterations`
/// and at least `minimumSeconds` of timed calls. Returns each call's milliseconds.
func timeRepeatedly(warmup: Int = 3, minimumIterations: Int = 10, minimumSeconds: Double = 1.0,
                    maximumIterations: Int = 10_000, _ body: () throws -> Void) rethrows -> [Double] {
    for _ in 0..<warmup { try body() }
    var samples: [Double] = []
    let start = DispatchTime.now().uptimeNanoseconds
    while samples.count < maximumIterations {
        let t0 = DispatchTime.now().uptimeNanoseconds
        try body()
        let t1 = DispatchTime.now().uptimeNanoseconds
        samples.append(Double(t1 - t0) / 1e6)
        if samples.count >= minimumIterations && Double(t1 - start) / 1e9 >= minimumSeconds { break }
    }
    return samples
}

/// The median of a non-empty sample.
func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    let n = sorted.count
    guard n > 0 else { return .nan }
    return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2])
}
