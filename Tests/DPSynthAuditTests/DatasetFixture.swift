import DPSynthAudit
import DPSynthTestSupport
import Foundation
import XCTest

/// Test-only access to the shared datasets and the committed SDMetrics golden numbers.
/// The shared CSVs have no quoted fields (checked by `testSharedCSVsHaveNoQuotes`), so a
/// comma split is a faithful parser here; the product reads CSVs through the tabular layer.
enum DatasetFixture {
    /// Column kinds as SDMetrics' sdtypes ("numerical", "categorical", "boolean").
    static func values(of column: [String], sdtype: String) -> ColumnValues {
        switch sdtype {
        case "numerical":
            return .numeric(column.map { $0.isEmpty ? nil : Double($0) }, kind: .continuous)
        case "boolean":
            return .categorical(column.map { $0.isEmpty ? nil : $0 }, kind: .boolean)
        default:
            return .categorical(column.map { $0.isEmpty ? nil : $0 }, kind: .categorical)
        }
    }

    /// The header and the rows of `shared/data/<name>.csv`, as text fields.
    static func csv(_ name: String) throws -> (header: [String], rows: [[String]]) {
        let text = try String(contentsOf: SharedData.url("data/\(name).csv"), encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        let header = lines.removeFirst().split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let rows = lines.map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        return (header, rows)
    }

    /// 0-based test rows of the fixed 80/20 split.
    static func testRows(_ name: String) throws -> [Int] {
        let text = try String(contentsOf: SharedData.url("data/splits/\(name)_test_rows.txt"), encoding: .utf8)
        return text.split(whereSeparator: \.isNewline).compactMap { Int($0) }
    }

    /// The dataset's columns listed in `sdtypes` (in that order), as an `AuditTable`.
    static func table(_ name: String, sdtypes: [(String, String)], label: LabelSpecification? = nil) throws -> AuditTable {
        let (header, rows) = try csv(name)
        let columns = try sdtypes.map { (column, sdtype) -> AuditColumn in
            guard let index = header.firstIndex(of: column) else {
                throw AuditError.missingColumn(name: column, table: .real)
            }
            return AuditColumn(name: column, values: values(of: rows.map { $0[index] }, sdtype: sdtype))
        }
        return try AuditTable(columns: columns, label: label)
    }

    /// (train, test) parts of a table by the fixed split, each in CSV order.
    static func split(_ table: AuditTable, dataset: String) throws -> (train: AuditTable, test: AuditTable) {
        let test = try testRows(dataset)
        let testSet = Set(test)
        let train = (0..<table.rowCount).filter { !testSet.contains($0) }
        return (table.rows(train), table.rows(test.sorted()))
    }

    /// The committed SDMetrics golden file written by `scripts/sdmetrics_reference.py`.
    static func sdmetricsReference() throws -> SDMetricsReference {
        guard let url = Bundle.module.url(forResource: "sdmetrics_reference", withExtension: "json",
                                          subdirectory: "Resources") else {
            throw CocoaError(.fileNoSuchFile)
        }
        return try JSONDecoder().decode(SDMetricsReference.self, from: Data(contentsOf: url))
    }
}

/// The layout of `Resources/sdmetrics_reference.json`.
struct SDMetricsReference: Decodable {
    struct ColumnScore: Decodable { let column: String; let metric: String; let score: Double? }
    struct PairScore: Decodable {
        let column_1: String, column_2: String, metric: String, score: Double?
        let real_correlation: Double?, real_association: Double?, meets_threshold: Bool
    }
    struct Case: Decodable {
        let name: String, dataset: String, real_split: String, synthetic_split: String
        let columns: [String: String]
        let column_scores: [ColumnScore]
        let pair_scores: [PairScore]
        let column_shapes: Double?, column_pair_trends: Double?, quality: Double?
        let column_pair_trends_all_pairs: Double?, quality_all_pairs: Double?
        let dcr_synthetic_to_real: [Double?]?
    }
    let sdmetrics_version: String
    let cases: [Case]
}
