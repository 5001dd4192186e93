import CSQLite
import DPSynthRandom
import XCTest
@testable import DPSynthTabular

/// Property tests: random schemas and values (quotes, delimiters, newlines, unicode, leading
/// spaces, empty strings, nulls) written and read back through CSV and SQLite come back equal.
final class RoundTripTests: XCTestCase {
    private let alphabet: [String] = ["a", "Z", "7", " ", ",", ";", "\"", "\n", "\r\n", "é", "ß", "漢", "🙂", "\t", "'", "NA"]

    private func randomText(_ random: SeededGenerator, maximumLength: Int = 8) -> String {
        let length = Int(random.next() % UInt64(maximumLength + 1))
        return (0..<length).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }.joined()
    }

    /// A schema of 1–8 random columns and a table of 0–40 rows of values within the schema.
    private func randomTable(seed: UInt64) throws -> Table {
        let random = SeededGenerator(seed: seed)
        let kinds = ColumnKind.allCases
        var columns: [ColumnSchema] = []
        var values: [ColumnValues] = []
        let rows = 1 + Int(random.next() % 40)
        for index in 0..<(1 + Int(random.next() % 8)) {
            let kind = kinds[Int(random.next() % UInt64(kinds.count))]
            let nullable = random.nextBernoulli(0.5)
            let name = "c\(index) " + randomText(random, maximumLength: 3)
            func maybeNull<T>(_ value: T, _ null: T) -> T { nullable && random.nextBernoulli(0.2) ? null : value }
            switch kind {
            case .continuous, .integer, .datetime:
                let bounds = Bounds(min: -1e6, max: 2e9, provenance: .public)
                columns.append(ColumnSchema(name: name, kind: kind, nullable: nullable, bounds: bounds,
                                            datetimeFormat: kind == .datetime ? "%Y-%m-%dT%H:%M:%S" : nil))
                values.append(.numbers((0..<rows).map { _ in
                    let x: Double
                    switch kind {
                    case .continuous: x = (random.nextUnitDouble() - 0.3) * pow(10, Double(random.next() % 12)) 
                    default: x = Double(Int(random.next() % 2_000_000_000) - 1_000_000)
                    }
                    return maybeNull(x, .nan)
                }))
            case .categorical, .ordinal, .boolean:
                var labels: [String] = []
                let count = kind == .boolean ? 2 : 1 + Int(random.next() % 20)
                while labels.count < count {
                    let label = randomText(random)
                    if !labels.contains(label) && label != "NA" { labels.append(label) }
                }
                columns.append(ColumnSchema(name: name, kind: kind, nullable: nullable,
                                            categories: CategoryList(values: labels, provenance: .public)))
                values.append(.categories((0..<rows).map { _ in maybeNull(Int32(random.next() % UInt64(count)), -1) }))
            case .identifier:
                columns.append(ColumnSchema(name: name, kind: kind, nullable: nullable))
                // A value equal to a non-empty missing token ("NA") reads back as missing, by design.
                values.append(.identifiers((0..<rows).map { _ in
                    var text = randomText(random)
                    while text == "NA" { text = randomText(random) }
                    return maybeNull(text, nil)
                }))
            }
        }
        let schema = Schema(name: "random \(seed)", source: SourceFormat(missingTokens: ["", "NA"]), columns: columns)
        try schema.validate(source: "random")
        return try Table(schema: schema, columns: values)
    }

    func testRandomTablesRoundTripThroughCSV() throws {
        let directory = try TemporaryDirectory()
        for seed in 0..<200 as Range<UInt64> {
            let table = try randomTable(seed: seed)
            let url = directory.url.appendingPathComponent("t\(seed).csv")
            try CSVWriter.write(table, to: url, overwrite: false)
            let back = try Table.read(.csv(url), schema: table.schema)
            XCTAssertEqual(back.columns, table.columns, "seed \(seed)")
            XCTAssertEqual(back.rowCount, table.rowCount)
        }
    }

    func testRandomTablesRoundTripThroughSQLite() throws {
        let directory = try TemporaryDirectory()
        let database = directory.url.appendingPathComponent("round.db")
        for seed in 0..<100 as Range<UInt64> {
            let table = try randomTable(seed: seed)
            try SQLiteTableWriter.write(table, to: database, tableName: "t\(seed)", overwrite: false)
            let back = try Table.read(.sqlite(database, .table("t\(seed)")), schema: table.schema)
            XCTAssertEqual(back.columns, table.columns, "seed \(seed)")
            XCTAssertEqual(back.origin(ofRow: 0), .row(1))
        }
        let query = try Table.read(.sqlite(database, .query("SELECT * FROM t0 LIMIT 1")), schema: try randomTable(seed: 0).schema)
        XCTAssertEqual(query.rowCount, 1)
    }

    func testSQLiteWriterRefusesToReplaceATableUnlessForced() throws {
        let directory = try TemporaryDirectory()
        let database = directory.url.appendingPathComponent("h.db")
        let table = try randomTable(seed: 3)
        try SQLiteTableWriter.write(table, to: database, tableName: "t", overwrite: false)
        XCTAssertThrowsError(try SQLiteTableWriter.write(table, to: database, tableName: "t", overwrite: false)) { error in
            XCTAssertEqual(error as? TabularError, .outputExists(path: "\(database.path) table 't'"))
        }
        let other = try randomTable(seed: 4)
        try SQLiteTableWriter.write(other, to: database, tableName: "t", overwrite: true)
        XCTAssertEqual(try Table.read(.sqlite(database, .table("t")), schema: other.schema).columns, other.columns)
    }

    /// Rows streamed in chunks land as one table typed as the schema says (REAL, INTEGER, TEXT,
    /// NULL); a failure part-way leaves no new file, and an existing database as it was.
    func testSQLiteStreamWritesTypedChunksAllOrNothing() throws {
        let directory = try TemporaryDirectory()
        let database = directory.url.appendingPathComponent("stream.db")
        var seed: UInt64 = 0
        var table = try randomTable(seed: seed)
        while !(Set(table.schema.columns.map(\.kind)).isSuperset(of: [.continuous, .integer, .categorical]) && table.rowCount >= 4) {
            seed += 1
            table = try randomTable(seed: seed)
        }
        let cut = table.rowCount / 2
        try SQLiteTableWriter.stream(schema: table.schema, to: database, tableName: "t", overwrite: false) { writer in
            try writer.append(table.rows(Array(0..<cut)))
            try writer.append(table.rows([]))
            try writer.append(table.rows(Array(cut..<table.rowCount)))
        }
        XCTAssertEqual(try Table.read(.sqlite(database, .table("t")), schema: table.schema).columns, table.columns)
        let connection = try SQLiteDatabase(readingFrom: database, name: "stream.db")
        for (index, column) in table.schema.columns.enumerated() {
            let statement = try connection.prepare("SELECT DISTINCT typeof(\(quotedIdentifier(column.name))) FROM t")
            defer { sqlite3_finalize(statement) }
            var types: Set<String> = []
            while sqlite3_step(statement) == SQLITE_ROW { types.insert(String(cString: sqlite3_column_text(statement, 0))) }
            let expected: String
            switch column.kind {
            case .continuous: expected = "real"
            case .integer: expected = "integer"
            default: expected = "text"
            }
            let hasNull = table.texts(column: index).contains { $0 == nil }
            XCTAssertEqual(types, hasNull ? [expected, "null"] : [expected], column.name)
        }

        struct Interrupted: Error {}
        let fresh = directory.url.appendingPathComponent("fresh.db")
        XCTAssertThrowsError(try SQLiteTableWriter.stream(schema: table.schema, to: fresh, tableName: "t", overwrite: false) { writer in
            try writer.append(table)
            throw Interrupted()
        }) { XCTAssertTrue($0 is Interrupted) }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.url.path).sorted(), ["stream.db"],
                       "no output and no temporary file left")
        let before = try Data(contentsOf: database)
        XCTAssertThrowsError(try SQLiteTableWriter.stream(schema: table.schema, to: database, tableName: "t", overwrite: true) { writer in
            try writer.append(table.rows([0]))
            throw Interrupted()
        })
        XCTAssertEqual(try Table.read(.sqlite(database, .table("t")), schema: table.schema).columns, table.columns,
                       "the replaced table is rolled back whole")
        XCTAssertEqual(try Data(contentsOf: database), before)
        let other = try randomTable(seed: 1000)
        XCTAssertThrowsError(try SQLiteTableWriter.stream(schema: table.schema, to: database, tableName: "u", overwrite: false) { writer in
            try writer.append(other)
        }) { error in
            guard case .invalidSchema = error as? TabularError else { return XCTFail("\(error)") }
        }
    }

    func testCSVWriterRefusesToOverwriteUnlessForced() throws {
        let directory = try TemporaryDirectory()
        let url = try directory.file("out.csv", "keep me")
        let table = try randomTable(seed: 5)
        XCTAssertThrowsError(try CSVWriter.write(table, to: url, overwrite: false))
        XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), "keep me")
        try CSVWriter.write(table, to: url, overwrite: true)
        XCTAssertEqual(try Table.read(.csv(url), schema: table.schema).columns, table.columns)
        XCTAssertEqual(try directory.contents(), ["out.csv"])
    }
    /// A release is written as comma-separated CSV with empty missing fields whatever the
    /// input's format; `Schema.released` must read it so. It kept the input's `;` and `NA`, so
    /// `audit` refused every release of a `;` file ("column 'a,b' is not in the schema") and of
    /// a file whose only missing token was `NA` or `?`.
    func testAReleaseReadsBackWhateverTheInputFormat() throws {
        let directory = try TemporaryDirectory()
        let schema = Schema(name: "s", source: SourceFormat(delimiter: ";", missingTokens: ["NA"], trimWhitespace: true), columns: [
            ColumnSchema(name: "age", kind: .integer, nullable: true, bounds: Bounds(min: 0, max: 120, provenance: .public)),
            ColumnSchema(name: "ward", kind: .categorical, nullable: true,
                         categories: CategoryList(values: ["A;1", " B", "?"], provenance: .public), missingTokens: ["-"]),
            ColumnSchema(name: "note", kind: .categorical, role: .drop, categories: CategoryList(values: ["x"], provenance: .public)),
        ])
        let input = try directory.file("in.csv", "age;ward;note\n40;\"A;1\";x\nNA;-;x\n7;?;x\n")
        let real = try Table.read(.csv(input), schema: schema)
        let released = schema.released
        XCTAssertEqual(released.source, SourceFormat())
        XCTAssertEqual(released.columns.map(\.name), ["age", "ward"])
        XCTAssertNil(released.columns[1].missingTokens)
        let releasedTable = try Table(schema: released, columns: Array(real.columns.prefix(2)))
        let output = directory.url.appendingPathComponent("out.csv")
        try CSVWriter.write(releasedTable, to: output, overwrite: false)
        XCTAssertEqual(try String(contentsOf: output, encoding: .utf8), "age,ward\n40,A;1\n,\n7,?\n")
        XCTAssertEqual(try Table.read(.csv(output), schema: released).columns, releasedTable.columns)
    }
}
