import DPSynthModels
import DPSynthRandom
import DPSynthTabular
import DPSynthTestSupport
import Foundation

/// The shared clinical datasets with their bundled schemas, the fixed test splits, and the
/// fidelity measure the issue asks for.
enum TestDatasets {
    /// The bundled schema `Schemas/NAME.json` (bounds a clinician knows a priori, declared public;
    /// categories from the data documentation).
    static func schema(_ name: String) throws -> Schema {
        try Schema.load(from: SharedData.repositoryRoot.appendingPathComponent("Schemas/\(name).json"))
    }

    /// The whole CSV typed by `schema`.
    static func table(_ name: String, _ schema: Schema) throws -> Table {
        try Table.read(.csv(SharedData.url("data/\(name).csv")), schema: schema)
    }

    /// The table, its encoder and its encoded matrix.
    static func encoded(_ name: String) throws -> (table: Table, encoder: TableEncoder, matrix: EncodedMatrix) {
        let loaded = try Self.schema(name)
        let real = try Self.table(name, loaded)
        let encoder = try TableEncoder(schema: loaded)
        return (real, encoder, try encoder.encode(real).matrix)
    }

    /// 0-based row indices of the fixed test split.
    static func testRows(_ name: String) throws -> Set<Int> {
        let text = try String(contentsOf: SharedData.url("data/splits/\(name)_test_rows.txt"), encoding: .utf8)
        return Set(text.split(whereSeparator: \.isNewline).compactMap { Int($0.trimmingCharacters(in: .whitespaces)) })
    }

    /// Rows of the encoded matrix (training part of the split when `excluding` is given).
    static func rows(of matrix: EncodedMatrix, excluding excluded: Set<Int>) -> EncodedMatrix {
        let kept = (0..<matrix.rowCount).filter { !excluded.contains($0) }
        var values: [Float] = []
        values.reserveCapacity(kept.count * matrix.width)
        for row in kept { values += matrix.row(row) }
        return EncodedMatrix(values: values, rowCount: kept.count, width: matrix.width)
    }

    /// Mean per-column fidelity over the modelled columns: 1 − KS statistic for numeric columns
    /// (missing values compared as their share, like SDMetrics' column shapes: the KS on the
    /// present values times the present share plus the null-share agreement), 1 − total variation
    /// distance for categorical columns (missing as its own category).
    static func meanFidelity(real: Table, synthetic: Table) -> Double {
        var scores: [Double] = []
        for column in real.schema.columns where column.isModelled {
            if column.kind.isCategorical {
                guard let a = real.categories(column.name), let b = synthetic.categories(column.name) else { continue }
                scores.append(1 - totalVariation(a.map { $0 ?? "\u{0}missing" }, b.map { $0 ?? "\u{0}missing" }))
            } else {
                guard let a = real.numbers(column.name), let b = synthetic.numbers(column.name) else { continue }
                let presentA = a.compactMap { $0 }.filter { !$0.isNaN }, presentB = b.compactMap { $0 }.filter { !$0.isNaN }
                let nullA = 1 - Double(presentA.count) / Double(max(a.count, 1))
                let nullB = 1 - Double(presentB.count) / Double(max(b.count, 1))
                let ks = presentA.isEmpty || presentB.isEmpty ? 1 : kolmogorovSmirnov(presentA, presentB)
                // Mixed measure: the null indicator's TV and the KS on present values, weighted.
                scores.append(1 - (abs(nullA - nullB) + (1 - max(nullA, nullB)) * ks))
            }
        }
        return scores.reduce(0, +) / Double(max(scores.count, 1))
    }

    static func totalVariation(_ a: [String], _ b: [String]) -> Double {
        var counts: [String: (Double, Double)] = [:]
        for x in a { counts[x, default: (0, 0)].0 += 1 / Double(a.count) }
        for x in b { counts[x, default: (0, 0)].1 += 1 / Double(b.count) }
        return counts.values.reduce(0) { $0 + abs($1.0 - $1.1) } / 2
    }

    static func kolmogorovSmirnov(_ a: [Double], _ b: [Double]) -> Double {
        let x = a.sorted(), y = b.sorted()
        var i = 0, j = 0, maximum = 0.0
        while i < x.count && j < y.count {
            let value = min(x[i], y[j])
            while i < x.count && x[i] <= value { i += 1 }
            while j < y.count && y[j] <= value { j += 1 }
            maximum = max(maximum, abs(Double(i) / Double(x.count) - Double(j) / Double(y.count)))
        }
        return maximum
    }

    /// The independent-uniform baseline: every modelled column drawn independently, numbers
    /// uniformly within the schema bounds (rounded for integers), categories uniformly over the
    /// schema's list; no missing values. Dropped columns and identifiers are left empty.
    static func uniformBaseline(schema: Schema, rows: Int, random: RandomSource) throws -> Table {
        let columns: [ColumnValues] = schema.columns.map { column in
            if column.isModelled && column.kind.isCategorical {
                let count = UInt64(max(column.categoryLabels.count, 1))
                return .categories((0..<rows).map { _ in Int32(random.next() % count) })
            }
            if column.isModelled, let bounds = column.bounds {
                return .numbers((0..<rows).map { _ in
                    let x = bounds.min + random.nextUnitDouble() * (bounds.max - bounds.min)
                    return column.kind == .continuous ? x : x.rounded()
                })
            }
            if column.kind == .identifier { return .identifiers([String?](repeating: nil, count: rows)) }
            return column.kind.isCategorical ? .categories([Int32](repeating: -1, count: rows))
                                             : .numbers([Double](repeating: .nan, count: rows))
        }
        return try Table(schema: schema, columns: columns, source: "uniform baseline")
    }

    /// Small, fast settings for tests.
    static func smallConfiguration(_ kind: ModelKind = .acgan) -> TabularGANConfiguration {
        var configuration = TabularGANConfiguration()
        configuration.modelKind = kind
        configuration.noiseDimension = 16
        configuration.generatorWidths = [64, 64]
        configuration.discriminatorWidths = [32, 32]
        configuration.expectedBatchSize = 64
        configuration.epochs = 10
        configuration.generatorNormalization = .layerNorm
        return configuration
    }
}
