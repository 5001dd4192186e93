import DPSynthAudit
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

    /// A constructed table: x uniform in [−1, 1] (continuous, public bounds), a categorical
    /// column "noise" (a, b, c uniformly, unrelated), and the label y = "yes" when x > `threshold`.
    static func thresholdTable(rows: Int, threshold: Double, random: RandomSource) throws -> (TableEncoder, EncodedMatrix) {
        let schema = Schema(name: "constructed", columns: [
            ColumnSchema(name: "x", kind: .continuous, bounds: Bounds(min: -1, max: 1, provenance: .public)),
            ColumnSchema(name: "noise", kind: .categorical, categories: CategoryList(values: ["a", "b", "c"], provenance: .public)),
            ColumnSchema(name: "y", kind: .categorical, role: .label, categories: CategoryList(values: ["no", "yes"], provenance: .public)),
        ])
        var x: [Double] = [], noise: [Int32] = [], y: [Int32] = []
        for _ in 0..<rows {
            let value = random.nextUnitDouble() * 2 - 1
            x.append(value)
            noise.append(Int32(random.next() % 3))
            y.append(value > threshold ? 1 : 0)
        }
        let table = try Table(schema: schema, columns: [.numbers(x), .categories(noise), .categories(y)])
        let encoder = try TableEncoder(schema: schema)
        return (encoder, try encoder.encode(table).matrix)
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

    /// Mean per-column fidelity over the modelled columns, as the issue defines it and the audit
    /// reports it: SDMetrics' KSComplement for numeric columns and TVComplement for categorical
    /// ones (`DPSynthAudit.ColumnShapes`, checked against sdmetrics in the audit's tests).
    static func meanFidelity(real: Table, synthetic: Table) -> Double {
        var scores: [Double] = []
        for column in real.schema.columns where column.isModelled {
            if column.kind.isCategorical {
                guard let a = real.categories(column.name), let b = synthetic.categories(column.name),
                      let score = ColumnShapes.tvComplement(real: a, synthetic: b) else { continue }
                scores.append(score)
            } else {
                guard let a = real.numbers(column.name), let b = synthetic.numbers(column.name),
                      let score = ColumnShapes.ksComplement(real: a, synthetic: b) else { continue }
                scores.append(score)
            }
        }
        return scores.reduce(0, +) / Double(max(scores.count, 1))
    }

    /// The independent-uniform baseline: every modelled column drawn independently, numbers
    /// uniformly within the schema bounds (rounded for integers), categories uniformly over the
    /// schema's list; no missing values. Dropped columns and identifiers are left empty.
    static func uniformBaseline(schema: Schema, rows: Int, random: RandomSource) throws -> Table {
        let columns: [DPSynthTabular.ColumnValues] = schema.columns.map { column in
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
