import DPSynthRandom
import XCTest
@testable import DPSynthTabular

final class EncoderTests: XCTestCase {
    /// One column of every modelled kind and transform, plus an identifier and a dropped column.
    private let schema = Schema(name: "mixed", columns: [
        ColumnSchema(name: "id", kind: .identifier),
        ColumnSchema(name: "age", kind: .integer, bounds: Bounds(min: 18, max: 100, provenance: .public)),
        ColumnSchema(name: "grade", kind: .ordinal, nullable: true,
                     categories: CategoryList(values: ["I", "II", "III"], provenance: .public)),
        ColumnSchema(name: "bili", kind: .continuous, nullable: true,
                     bounds: Bounds(min: 0, max: 50, provenance: .public),
                     transform: Transform(method: .log), decimals: 2),
        ColumnSchema(name: "chol", kind: .continuous,
                     bounds: Bounds(min: 100, max: 1800, provenance: .public),
                     transform: Transform(method: .modeSpecific, modes: 3), decimals: 1),
        ColumnSchema(name: "albumin", kind: .continuous,
                     bounds: Bounds(min: 1, max: 6, provenance: .public),
                     transform: Transform(method: .standardize, parameters: MixtureParameters(
                         means: [3.5], standardDeviations: [0.4], weights: [1], provenance: .public)), decimals: 2),
        ColumnSchema(name: "visit", kind: .datetime, nullable: true,
                     bounds: Bounds(min: 0, max: 2e9, provenance: .public), datetimeFormat: "%Y-%m-%d"),
        ColumnSchema(name: "smoker", kind: .boolean, role: .label, categories: CategoryList(values: ["no", "yes"], provenance: .public)),
        ColumnSchema(name: "notes", kind: .categorical, role: .drop, categories: CategoryList(values: ["x"], provenance: .data)),
    ])

    func testSpansDescribeEveryMatrixColumnInOrder() throws {
        let encoder = try TableEncoder(schema: schema)
        let expected: [(String, SpanKind, Range<Int>)] = [
            ("age", .scaledValue(lowerBound: -1, upperBound: 1), 0..<1),
            ("grade", .oneHot(categoryCount: 3, includesNullCategory: true), 1..<5),
            ("bili", .scaledValue(lowerBound: -1, upperBound: 1), 5..<6),
            ("bili", .nullIndicator, 6..<7),
            ("chol", .modeSpecific(modes: 3), 7..<11),
            ("albumin", .scaledValue(lowerBound: -6.25, upperBound: 6.25), 11..<12),
            ("visit", .scaledValue(lowerBound: -1, upperBound: 1), 12..<13),
            ("visit", .nullIndicator, 13..<14),
            ("smoker", .oneHot(categoryCount: 2, includesNullCategory: false), 14..<16),
        ]
        XCTAssertEqual(encoder.spans.map(\.columnName), expected.map(\.0))
        XCTAssertEqual(encoder.spans.map(\.kind), expected.map(\.1))
        XCTAssertEqual(encoder.spans.map(\.range), expected.map(\.2))
        XCTAssertEqual(encoder.width, 16)
        XCTAssertEqual(encoder.labelSpans.map(\.columnName), ["smoker"])
    }

    private func randomTable(rows: Int, seed: UInt64) throws -> Table {
        let random = SeededGenerator(seed: seed)
        func pick<T>(_ values: [T]) -> T { values[Int(random.next() % UInt64(values.count))] }
        return try Table(schema: schema, columns: [
            .identifiers((0..<rows).map { "patient-\($0)" }),
            .numbers((0..<rows).map { _ in Double(18 + random.next() % 83) }),
            .categories((0..<rows).map { _ in pick([-1, 0, 1, 2]) }),
            .numbers((0..<rows).map { _ in random.nextBernoulli(0.2) ? .nan : Double(random.next() % 5001) / 100 }),
            .numbers((0..<rows).map { _ in Double(1000 + random.next() % 17001) / 10 }),
            .numbers((0..<rows).map { _ in Double(100 + random.next() % 501) / 100 }),
            .numbers((0..<rows).map { _ in random.nextBernoulli(0.3) ? .nan : Double(random.next() % 23_000) * 86_400 }),
            .categories((0..<rows).map { _ in pick([0, 1]) }),
            .categories((0..<rows).map { _ in 0 }),
        ])
    }

    func testInBoundDataRoundTripsExactly() throws {
        let encoder = try TableEncoder(schema: schema)
        let table = try randomTable(rows: 2_000, seed: 11)
        let (matrix, report) = try encoder.encode(table)
        XCTAssertEqual(report.totalClipped, 0)
        XCTAssertEqual(report.saturatedModeValues.reduce(0, +), 0)
        let decoded = encoder.decode(matrix)
        XCTAssertEqual(decoded.schema.columns.map(\.name), ["id", "age", "grade", "bili", "chol", "albumin", "visit", "smoker"])
        for name in ["age", "bili", "chol", "albumin", "visit"] {
            let original = table.numbers(name)!, back = decoded.numbers(name)!
            for row in 0..<table.rowCount where original[row] != back[row] {
                XCTFail("\(name) row \(row): \(String(describing: original[row])) decoded as \(String(describing: back[row]))")
                break
            }
        }
        XCTAssertEqual(decoded.categories("grade"), table.categories("grade"))
        XCTAssertEqual(decoded.categories("smoker"), table.categories("smoker"))
        XCTAssertEqual(decoded.labels(), table.labels())
    }

    func testIdentifiersAreRegeneratedNeverCopied() throws {
        let encoder = try TableEncoder(schema: schema)
        let table = try randomTable(rows: 5, seed: 2)
        let (matrix, _) = try encoder.encode(table)
        let sequential = encoder.decode(matrix)
        XCTAssertEqual(sequential.texts(column: 0), ["1", "2", "3", "4", "5"])
        let random = encoder.decode(matrix, identifiers: .randomUUID(SeededGenerator(seed: 9)))
        let uuids = random.texts(column: 0).compactMap { $0 }
        XCTAssertEqual(Set(uuids).count, 5)
        XCTAssertTrue(uuids.allSatisfy { UUID(uuidString: $0) != nil && !$0.hasPrefix("patient") })
    }

    func testEncodedValuesMatchTheFormulas() throws {
        let encoder = try TableEncoder(schema: schema)
        let table = try Table(schema: schema, columns: [
            .identifiers(["a"]), .numbers([59]), .categories([-1]), .numbers([.nan]), .numbers([100]),
            .numbers([3.9]), .numbers([1e9]), .categories([1]), .categories([0]),
        ])
        let row = try encoder.encode(table).matrix.row(0)
        XCTAssertEqual(row[0], Float(2 * (59.0 - 18) / 82 - 1), accuracy: 1e-6)
        XCTAssertEqual(Array(row[1..<5]), [0, 0, 0, 1], "missing grade → the null category")
        XCTAssertEqual(Array(row[5..<7]), [0, 1], "missing bili → value 0, indicator 1")
        XCTAssertEqual(row[11], Float((3.9 - 3.5) / 0.4), accuracy: 1e-6)
        XCTAssertEqual(row[12], 0, accuracy: 1e-6)
        XCTAssertEqual(Array(row[14..<16]), [0, 1])
        // Mode-specific: chol = 100 falls in the first of 3 evenly spaced modes over [100, 1800]
        // (means 383.3, 950, 1516.7; deviations 283.3).
        let modes = ModeSpecificNormalization.evenlySpaced(bounds: schema.columns[4].bounds!, modes: 3)
        XCTAssertEqual(Array(row[8..<11]), [1, 0, 0])
        XCTAssertEqual(row[7], Float((100 - modes.means[0]) / (4 * modes.standardDeviations[0])), accuracy: 1e-6)
    }

    func testSampledDecodingIsSeededAndFollowsTheScores() throws {
        let encoder = try TableEncoder(schema: schema)
        var values = [Float](repeating: 0, count: 4_000 * encoder.width)
        for row in 0..<4_000 {
            values[row * encoder.width + 1] = 0.25  // grade I
            values[row * encoder.width + 2] = 0.75  // grade II
            values[row * encoder.width + 14] = 1    // smoker no
        }
        let matrix = EncodedMatrix(values: values, rowCount: 4_000, width: encoder.width)
        let first = encoder.decode(matrix, selection: .sample(SeededGenerator(seed: 4)))
        let again = encoder.decode(matrix, selection: .sample(SeededGenerator(seed: 4)))
        let other = encoder.decode(matrix, selection: .sample(SeededGenerator(seed: 5)))
        XCTAssertEqual(first, again)
        XCTAssertNotEqual(first.columns, other.columns)
        let grades = first.categories("grade")!
        let share = Double(grades.filter { $0 == "II" }.count) / 4_000
        XCTAssertEqual(share, 0.75, accuracy: 0.03, "about 3 in 4 draws pick the 0.75 entry")
        XCTAssertFalse(grades.contains("III"))
        XCTAssertEqual(encoder.decode(matrix).categories("grade")!.first!, "II", "argmax")
    }

    func testStreamingEncodingEqualsWholeTableEncoding() throws {
        let directory = try TemporaryDirectory()
        let table = try randomTable(rows: 1_000, seed: 3)
        let url = directory.url.appendingPathComponent("mixed.csv")
        try CSVWriter.write(table, to: url, overwrite: false)
        let encoder = try TableEncoder(schema: schema)
        let whole = try encoder.encode(try Table.read(.csv(url), schema: schema))
        let streamed = try encoder.encode(.csv(url), batchSize: 97)
        XCTAssertEqual(streamed.matrix, whole.matrix)
        XCTAssertEqual(streamed.report, whole.report)
        // Small chunks: records cross chunk ends, and most are parsed by the typed callbacks.
        for chunkSize in [64, 1_000, 7_777] {
            let typed = try encoder.encodeCSV(url, strict: false, threadCount: 1, chunkSize: chunkSize)
            XCTAssertEqual(typed.matrix, whole.matrix, "chunk size \(chunkSize)")
        }
    }

    func testSQLiteEncodingEqualsWholeTableEncoding() throws {
        let directory = try TemporaryDirectory()
        let table = try randomTable(rows: 500, seed: 8)
        let database = directory.url.appendingPathComponent("h.db")
        try SQLiteTableWriter.write(table, to: database, tableName: "visits", overwrite: false)
        let encoder = try TableEncoder(schema: schema)
        let whole = try encoder.encode(table)
        let streamed = try encoder.encode(.sqlite(database, .table("visits")), batchSize: 64)
        XCTAssertEqual(streamed.matrix, whole.matrix)
        let query = try encoder.encode(.sqlite(database, .query("SELECT * FROM visits WHERE age >= 60")))
        XCTAssertEqual(query.matrix.rowCount, table.numbers("age")!.filter { $0! >= 60 }.count)
    }

    func testStreamingStrictEncodingStopsAtAnOutOfBoundValue() throws {
        let directory = try TemporaryDirectory()
        var table = try randomTable(rows: 2_000, seed: 6)
        guard case .numbers(var ages) = table.columns[1] else { return XCTFail("age is numeric") }
        ages[1_500] = 130
        table.columns[1] = .numbers(ages)
        let url = directory.url.appendingPathComponent("mixed.csv")
        try CSVWriter.write(table, to: url, overwrite: false)
        let encoder = try TableEncoder(schema: schema)
        XCTAssertThrowsError(try encoder.encodeCSV(url, strict: true, threadCount: 2, chunkSize: 4_096)) { error in
            XCTAssertEqual("\(error)", "\(url.path) line 1502, column 'age': 130 lies outside the schema's bounds [18, 100]")
        }
        let (_, report) = try encoder.encodeCSV(url, strict: false, threadCount: 2, chunkSize: 4_096)
        XCTAssertEqual(report.clippedAbove[1], 1)
    }

    func testStreamingEncodingReportsTheFirstBadFieldWithItsLine() throws {
        let directory = try TemporaryDirectory()
        let table = try randomTable(rows: 300, seed: 4)
        let url = directory.url.appendingPathComponent("mixed.csv")
        try CSVWriter.write(table, to: url, overwrite: false)
        var text = try String(contentsOf: url, encoding: .utf8)
        var lines = text.components(separatedBy: "\n")
        var fields = lines[250].components(separatedBy: ",")
        fields[1] = "4O"
        lines[250] = fields.joined(separator: ",")
        var short = lines[270].components(separatedBy: ",")
        short.removeLast()
        lines[270] = short.joined(separator: ",")
        text = lines.joined(separator: "\n")
        try Data(text.utf8).write(to: url)
        let encoder = try TableEncoder(schema: schema)
        for chunkSize in [100, 1 << 20] {
            XCTAssertThrowsError(try encoder.encodeCSV(url, strict: false, threadCount: 1, chunkSize: chunkSize)) { error in
                XCTAssertEqual("\(error)", "\(url.path) line 251, column 'age': expected an integer, found \"4O\"", "chunk size \(chunkSize)")
            }
        }
        lines[250] = fields.enumerated().map { $0.offset == 1 ? "40" : $0.element }.joined(separator: ",")
        try Data(lines.joined(separator: "\n").utf8).write(to: url)
        XCTAssertThrowsError(try encoder.encodeCSV(url, strict: false, threadCount: 1, chunkSize: 100)) { error in
            XCTAssertEqual("\(error)", "\(url.path) line 271: too few fields: expected 9 (as in the header), found 8")
        }
    }
}
