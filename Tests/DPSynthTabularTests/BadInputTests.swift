import XCTest
@testable import DPSynthTabular

/// Each kind of bad input gives one exact message (golden text) naming file, line and column.
final class BadInputTests: XCTestCase {
    private var directory: TemporaryDirectory!

    override func setUpWithError() throws { directory = try TemporaryDirectory() }
    override func tearDown() { directory = nil }

    private let schema = Schema(name: "patients", columns: [
        ColumnSchema(name: "id", kind: .identifier),
        ColumnSchema(name: "age", kind: .integer, bounds: Bounds(min: 0, max: 120, provenance: .public)),
        ColumnSchema(name: "sex", kind: .categorical, categories: CategoryList(values: ["F", "M"], provenance: .public)),
        ColumnSchema(name: "weight", kind: .continuous, nullable: true, bounds: Bounds(min: 0, max: 300, provenance: .public)),
    ])

    /// The message of the error thrown by reading `bytes` with `schema`, with the temporary
    /// directory removed from paths.
    private func message(reading bytes: [UInt8], schema: Schema? = nil, strictEncoding: Bool = false) -> String {
        do {
            let url = try directory.file("bad.csv", bytes: bytes)
            let table = try Table.read(.csv(url), schema: schema ?? self.schema)
            if strictEncoding { _ = try TableEncoder(schema: table.schema).encode(table, strict: true) }
            return "no error"
        } catch {
            return String(describing: error).replacingOccurrences(of: directory.url.path + "/", with: "")
        }
    }

    private func message(reading text: String, schema: Schema? = nil, strictEncoding: Bool = false) -> String {
        message(reading: Array(text.utf8), schema: schema, strictEncoding: strictEncoding)
    }

    private let header = "id,age,sex,weight\n1,40,F,70.5\n"

    func testTooManyAndTooFewFields() {
        XCTAssertEqual(message(reading: header + "2,50,M,80,9\n"),
                       "bad.csv line 3: too many fields: expected 4 (as in the header), found 5")
        XCTAssertEqual(message(reading: header + "2,50,M\n"),
                       "bad.csv line 3: too few fields: expected 4 (as in the header), found 3")
    }

    func testUnterminatedAndMalformedQuotes() {
        XCTAssertEqual(message(reading: header + "2,50,\"M,80\n3,60,F,90\n"),
                       "bad.csv line 3: a quoted field is never closed; the file ends inside quotes")
        XCTAssertEqual(message(reading: header + "2,5\"0,M,80\n"),
                       "bad.csv line 3: malformed quoting: a quote inside an unquoted field, or text after a closing quote; double embedded quotes (\"\")")
    }

    func testNonNumericValueInANumericColumn() {
        XCTAssertEqual(message(reading: header + "\"2\nb\",4O,M,80\n"),
                       "bad.csv line 3, column 'age': expected an integer, found \"4O\"")
        XCTAssertEqual(message(reading: header + "2,41.5,M,80\n"),
                       "bad.csv line 3, column 'age': expected an integer, found \"41.5\"")
        XCTAssertEqual(message(reading: header + "2,41,M,nan\n"),
                       "bad.csv line 3, column 'weight': expected a number, found \"nan\"")
    }

    func testUnknownCategoryIsAnErrorOrMapsToNull() throws {
        XCTAssertEqual(message(reading: header + "2,50,X,80\n"),
                       "bad.csv line 3, column 'sex': \"X\" is not one of the schema's categories (\"F\", \"M\"); add it to the schema or read with unknown categories mapped to null")
        var lenient = schema
        lenient.source.unknownCategory = .mapToNull
        lenient.columns[2].nullable = true
        let url = try directory.file("lenient.csv", header + "2,50,X,80\n")
        let table = try Table.read(.csv(url), schema: lenient)
        XCTAssertEqual(table.categories("sex"), ["F", nil])
        XCTAssertEqual(table.unknownCategoryCounts, [0, 0, 1, 0])
        // `schema check` and `fit` (through the encoding report) both tell the user.
        let note = "note: column 'sex': 1 value outside the category list read as missing (unknownCategory: mapToNull)"
        let check = try lenient.check(.csv(url))
        XCTAssertEqual(check.unknownCategoriesReadAsMissing, [0, 0, 1, 0])
        XCTAssertEqual(check.text, "\(url.path): 2 rows match the schema\n" + note)
        let report = try TableEncoder(schema: lenient).encode(table).report
        XCTAssertEqual(unknownCategoryNotes(columnNames: report.columnNames, counts: report.unknownCategoriesReadAsMissing), [note])
    }

    func testMissingValueInANonNullableColumn() {
        XCTAssertEqual(message(reading: header + "2,,M,80\n"),
                       "bad.csv line 3, column 'age': missing value, but the schema says the column is not nullable")
    }

    func testOutOfBoundValueIsClippedAndCountedOrAnErrorWhenStrict() throws {
        XCTAssertEqual(message(reading: header + "2,130,M,80\n", strictEncoding: true),
                       "bad.csv line 3, column 'age': 130 lies outside the schema's bounds [0, 120]")
        let url = try directory.file("clip.csv", header + "2,130,M,-5\n")
        let table = try Table.read(.csv(url), schema: schema)
        let (matrix, report) = try TableEncoder(schema: schema).encode(table)
        XCTAssertEqual(report.clippedAbove, [0, 1, 0, 0])
        XCTAssertEqual(report.clippedBelow, [0, 0, 0, 1])
        XCTAssertEqual(matrix.row(1)[0], 1, "age clipped to 120 encodes as +1")
    }

    func testEmptyHeaderOnlyBinaryAndInvalidUTF8Files() {
        XCTAssertEqual(message(reading: ""), "bad.csv: the file is empty; expected a header row and at least one record")
        XCTAssertEqual(message(reading: "\n\n"), "bad.csv: the file is empty; expected a header row and at least one record")
        XCTAssertEqual(message(reading: "id,age,sex,weight\n"), "bad.csv: the file has a header row but no records")
        XCTAssertEqual(message(reading: Array(header.utf8) + [0x89, 0x50, 0x4E, 0x47, 0x00, 0x0A]),
                       "bad.csv line 3: found a NUL byte; this looks like a binary file, not CSV text")
        XCTAssertEqual(message(reading: Array((header + "2,50,").utf8) + [0xC3, 0x28] + Array(",80\n".utf8)),
                       "bad.csv line 3, column 'sex': the bytes are not valid UTF-8; re-encode the file as UTF-8")
        XCTAssertEqual(message(reading: [0x69, 0x64, 0xFF, 0x0A, 0x31, 0x0A]),
                       "bad.csv line 1: the bytes are not valid UTF-8; re-encode the file as UTF-8")
    }

    func testDuplicateAndMismatchedColumnNames() {
        XCTAssertEqual(message(reading: "id,age,sex,age\n1,2,F,3\n"),
                       "bad.csv line 1: column name 'age' appears more than once (columns 2 and 4); rename one of them")
        XCTAssertEqual(message(reading: "id,age,sex,weight,bmi\n1,40,F,70,22\n"),
                       "bad.csv: column 'bmi' is not in the schema; add it (role \"drop\" to ignore it)")
        XCTAssertEqual(message(reading: "id,age,sex\n1,40,F\n"),
                       "bad.csv: the schema's column 'weight' is not in the data")
    }

    func testMissingFileDatabaseAndTable() throws {
        func describe(_ body: () throws -> Void) -> String {
            do { try body(); return "no error" } catch {
                return String(describing: error).replacingOccurrences(of: directory.url.path + "/", with: "")
            }
        }
        XCTAssertEqual(describe { _ = try Table.read(.csv(directory.url.appendingPathComponent("nope.csv")), schema: schema) },
                       "nope.csv: no such file")
        let missingDatabase = directory.url.appendingPathComponent("nope.db")
        XCTAssertEqual(describe { _ = try Table.read(.sqlite(missingDatabase, .table("t")), schema: schema) },
                       "nope.db: no such SQLite database")
        XCTAssertFalse(FileManager.default.fileExists(atPath: missingDatabase.path), "a missing database must not be created")
        let url = try directory.file("ok.csv", header)
        let table = try Table.read(.csv(url), schema: schema)
        let database = directory.url.appendingPathComponent("h.db")
        try SQLiteTableWriter.write(table, to: database, tableName: "patients", overwrite: false)
        XCTAssertEqual(describe { _ = try Table.read(.sqlite(database, .table("visits")), schema: schema) },
                       "h.db: no table named 'visits'")
        // A binary BLOB where text is expected: named by row and column, with database advice.
        try SQLiteDatabase(writingTo: database, name: "h.db").execute("UPDATE patients SET sex = x'FFFE00' WHERE rowid = 1")
        XCTAssertEqual(describe { _ = try Table.read(.sqlite(database, .table("patients")), schema: schema) },
                       "h.db table 'patients' row 1, column 'sex': the value is not UTF-8 text (a BLOB, or text in another encoding); store it as UTF-8 TEXT, or give the column \"role\": \"drop\" in the schema")
    }

    func testFailedReadsLeaveNoOutputFile() throws {
        let output = directory.url.appendingPathComponent("out.csv")
        XCTAssertThrowsError(try AtomicFile.write(to: output, overwrite: false) { output in
            output.write("partial")
            throw TabularError.emptyFile(source: "x")
        })
        XCTAssertFalse(FileManager.default.fileExists(atPath: output.path))
        XCTAssertEqual(try directory.contents(), [], "no temporary file left behind")
    }
}
