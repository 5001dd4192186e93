import DPSynthAudit
import DPSynthRandom
import Foundation

/// `dpsynth bench --suite audit`: the audit's hot spots on a flchain-sized table (6,299
/// training rows, 1,575 holdout rows, 6,299 synthetic rows; 7 numeric and 3 categorical
/// columns, a few missing values), generated from a seed so that no data file is needed.
struct AuditBench: BenchSuite {
    static let name = "audit"

    static func run(options: BenchOptions) throws -> BenchTable {
        let random = SeededGenerator(seed: 2024)
        let train = try table(rows: 6_299, random: random)
        let holdout = try table(rows: 1_575, random: random)
        let synthetic = try table(rows: 6_299, random: random)
        let repetitions = options.quick ? 1 : 3
        var result = BenchTable(columns: ["operation", "rows", "row_pairs", "seconds_median", "million_pairs_per_second"])

        func measure(_ operation: String, rows: String, pairs: Int, _ body: () throws -> Void) rethrows {
            options.progress("audit: \(operation)")
            var seconds: [Double] = []
            for _ in 0..<repetitions {
                let start = DispatchTime.now().uptimeNanoseconds
                try body()
                seconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            }
            let median = seconds.sorted()[seconds.count / 2]
            result.append([.text(operation), .text(rows), .integer(pairs), .number(median),
                           .number(pairs > 0 ? Double(pairs) / median / 1e6 : .nan)])
        }

        let names = train.columns.map(\.name)
        let distance = DistanceToClosestRecord(reference: train, columns: names)
        measure("DCR synthetic → train", rows: "6299 × 6299", pairs: 6_299 * 6_299) {
            _ = distance.distances(from: synthetic)
        }
        measure("risk section (4 DCR passes)", rows: "6299/1575/6299", pairs: 2 * (6_299 + 1_575) * 6_299) {
            _ = RiskEvaluation.evaluate(train: train, holdout: holdout, synthetic: synthetic)
        }
        measure("utility section (shapes + pairs)", rows: "6299 vs 6299", pairs: 0) {
            _ = UtilityEvaluation.evaluate(real: train, synthetic: synthetic)
        }
        let label = LabelSpecification(columnName: "label", task: .binary(positiveClass: "yes"))
        try measure("TSTR + TRTR (logistic, 100-tree forest)", rows: "6299 + 6299 → 1575", pairs: 0) {
            _ = try TSTREvaluation.evaluate(train: train, synthetic: synthetic, test: holdout, label: label,
                                            options: TSTROptions(randomForestTrees: 100, seed: 0))
        }
        result.notes = ["Threads: all cores (Dispatch concurrentPerform); \(ProcessInfo.processInfo.activeProcessorCount) active. Reps: \(repetitions), median shown."]
        return result
    }

    /// A mixed table whose label depends on two columns, so the learners have something to find.
    private static func table(rows: Int, random: RandomSource) throws -> AuditTable {
        var numeric = [[Double?]](repeating: [], count: 7)
        var groups: [String?] = [], sexes: [String?] = [], labels: [String?] = []
        for _ in 0..<rows {
            let base = random.nextGaussian()
            for column in 0..<7 {
                let value = (base + random.nextGaussian()) * Double(column + 1) + 50
                numeric[column].append(column == 6 && random.nextBernoulli(0.15) ? nil : value.rounded())
            }
            groups.append(["a", "b", "c", "d", "e"][Int(random.next() % 5)])
            sexes.append(random.nextBernoulli(0.5) ? "F" : "M")
            labels.append(random.nextBernoulli(1 / (1 + exp(-2 * base))) ? "yes" : "no")
        }
        var columns = numeric.enumerated().map { AuditColumn(name: "x\($0.offset)", values: .numeric($0.element, kind: .integer)) }
        columns.append(AuditColumn(name: "group", values: .categorical(groups, kind: .categorical)))
        columns.append(AuditColumn(name: "sex", values: .categorical(sexes, kind: .categorical)))
        columns.append(AuditColumn(name: "label", values: .categorical(labels, kind: .boolean)))
        return try AuditTable(columns: columns, label: nil)
    }
}
