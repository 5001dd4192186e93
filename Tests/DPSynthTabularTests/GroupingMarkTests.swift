import Foundation
import XCTest
@testable import DPSynthTabular

/// French and Swiss exports: thousands grouped by a no-break space (U+00A0), a narrow no-break
/// space (U+202F), an apostrophe or U+2019 (`1 234,5`, `1'234.5`); and `,`-delimited files
/// that quote their decimal commas (`1,"37,5"`). Read faithfully on every path, refused with
/// the mark named, detected by `schema infer`.
final class GroupingMarkTests: XCTestCase {
    private let noBreakSpace = "\u{00A0}", narrowNoBreakSpace = "\u{202F}", rightQuote = "\u{2019}"

    /// A multi-byte mark is matched whole and strictly (groups of three), on the fast path and
    /// on the strtod path (more than 19 significant digits).
    func testMultiByteMarksReadGroupsOfThreeOnly() {
        for mark in [GroupingSeparator.noBreakSpace, .narrowNoBreakSpace, .rightSingleQuotationMark, .apostrophe] {
            let m = mark.rawValue
            let comma = NumberFormat(decimalMark: UInt8(ascii: ","), grouping: mark.scalar)
            let point = NumberFormat(decimalMark: UInt8(ascii: "."), grouping: mark.scalar)
            let read: [(String, NumberFormat, Double)] = [
                ("1\(m)234,5", comma, 1234.5), ("-12\(m)345\(m)678", comma, -12_345_678), ("999,25", comma, 999.25),
                ("1\(m)234.5", point, 1234.5), ("1\(m)000e2", point, 100_000),
                ("1\(m)234\(m)567\(m)890\(m)123\(m)456\(m)789,25", comma, 1_234_567_890_123_456_789.25),
            ]
            for (text, format, value) in read {
                XCTAssertEqual(parseDecimal(text, format: format), value, text)
            }
            let bad = ["1\(m)23,5", "1\(m)2345", "\(m)123", "0\(m)123", "1\(m)\(m)234", "1\(m)234\(m)", "1 234,5", "12\(m)34,5",
                       "1,234\(m)5", "1\(m)234\(m)567\(m)890\(m)123\(m)456\(m)78,25"]
            for text in bad {
                XCTAssertNil(parseDecimal(text, format: comma), text)
            }
        }
        // A mark's first byte alone, or another mark sharing it, is not the mark.
        let french = NumberFormat(decimalMark: UInt8(ascii: ","), grouping: GroupingSeparator.narrowNoBreakSpace.scalar)
        XCTAssertNil(parseDecimal("1\(rightQuote)234,5", format: french))
        let cut: [UInt8] = [0x31, 0xE2, 0x80, 0x32, 0x33, 0x34]
        XCTAssertNil(cut.withUnsafeBufferPointer { parseDecimal($0.baseAddress!, count: $0.count, nulTerminated: false, format: french) })
        XCTAssertEqual(french.description, "',' as decimal mark and '\u{202F}' (U+202F) grouping thousands")
    }

    /// The same 30 rows as a French export (`;`, `1 234,5` with `mark`, CRLF) or as a plain file.
    private func rows(mark: String?) -> String {
        let separator = mark == nil ? "," : ";", decimal = mark == nil ? "." : ","
        return ["Id", "Poids", "Temp"].joined(separator: separator) + "\r\n" + (0..<30).map { row in
            ["\(row + 1)", "\(1 + row % 4)\(mark ?? "")\(100 + row)\(decimal)\(row % 10)", "\(36 + row % 3)\(decimal)5"]
                .joined(separator: separator) + "\r\n"
        }.joined()
    }

    private func table(_ text: String, delimiter: Character) -> TextTable {
        let lines = text.split(separator: "\r\n").map { $0.split(separator: delimiter, omittingEmptySubsequences: false).map(String.init) }
        return TextTable(source: "t.csv", columnNames: lines[0], columns: lines[0].indices.map { c in lines.dropFirst().map { $0[c] } })
    }

    /// Infer detects the mark and says so; every reader path (one and two threads, the streamed
    /// encoder, `schema check`, SQLite TEXT cells) reads it; a value without it names both marks.
    func testAFrenchExportIsDetectedAndReadOnEveryPath() throws {
        let directory = try TemporaryDirectory()
        let plainURL = try directory.file("plain.csv", rows(mark: nil))
        for mark in [GroupingSeparator.noBreakSpace, .narrowNoBreakSpace] {
            let text = rows(mark: mark.rawValue)
            let (format, notes) = SchemaInference.choosingNumberFormat(table(text, delimiter: ";"), format: SourceFormat(delimiter: ";"))
            XCTAssertEqual(format, SourceFormat(delimiter: ";", decimalSeparator: .comma, groupingSeparator: mark))
            XCTAssertEqual(notes.last, "\(mark.quoted) read as the thousands separator (source.groupingSeparator): columns 'Poids' ('1\(mark.rawValue)100,0') need it")
            let schema = try SchemaInference.infer(table(text, delimiter: ";"), name: "fr", format: format)
            XCTAssertEqual(schema.columns[1].kind, .continuous)
            XCTAssertEqual(schema.columns[1].bounds?.max, 4127.7)

            let url = try directory.file("fr.csv", text)
            for threads in [1, 2] {
                let read = try Table.read(.csv(url), schema: schema, threadCount: threads)
                XCTAssertEqual(read.numbers("Poids")?.prefix(3).map { $0 }, [1100.0, 2101.1, 3102.2])
                XCTAssertTrue(try schema.check(.csv(url), threadCount: threads).isValid)
            }
            var plainSchema = schema
            plainSchema.source = SourceFormat()
            XCTAssertEqual(try TableEncoder(schema: schema).encode(.csv(url), threadCount: 2).matrix.values,
                           try TableEncoder(schema: plainSchema).encode(.csv(plainURL), threadCount: 2).matrix.values)

            let database = directory.url.appendingPathComponent("fr-\(mark.scalar.value).db")
            let connection = try SQLiteDatabase(writingTo: database, name: "fr.db")
            try connection.execute("CREATE TABLE t (Id INTEGER, Poids TEXT, Temp TEXT)")
            try connection.execute("INSERT INTO t VALUES (1, '1\(mark.rawValue)234,5', '37,5'), (2, '2\(mark.rawValue)000', '36')")
            let sqlite = try Table.read(.sqlite(database, .table("t")), schema: schema)
            XCTAssertEqual(sqlite.numbers("Poids"), [1234.5, 2000])

            let bad = try directory.file("bad.csv", text.replacingOccurrences(of: "\r\n3;3\(mark.rawValue)102,2;", with: "\r\n3;3 102,2;"))
            XCTAssertThrowsError(try Table.read(.csv(bad), schema: schema)) { error in
                XCTAssertEqual("\(error)", "\(bad.path) line 4, column 'Poids': expected a number with ',' as decimal mark and \(mark.quoted) grouping thousands (the schema's source.decimalSeparator and source.groupingSeparator), found \"3 102,2\"")
            }
            let report = try schema.check(.csv(bad), threadCount: 2)
            XCTAssertEqual(report.violationCount, 1)
        }
    }

    /// Swiss `1'234.5` in a `,` file keeps `.` decimals and gets the apostrophe; a file whose
    /// columns need different marks is not guessed at; a declared mark is kept; JSON round trip.
    func testSwissAndConflictingMarks() throws {
        let swiss = TextTable(source: "ch.csv", columnNames: ["Betrag", "n"], columns: [["1'234.5", "980.25", "12'000"], ["1", "2", "3"]])
        let (format, notes) = SchemaInference.choosingNumberFormat(swiss, format: SourceFormat(delimiter: ","))
        XCTAssertEqual(format, SourceFormat(delimiter: ",", groupingSeparator: .apostrophe))
        XCTAssertEqual(notes, ["\"'\" read as the thousands separator (source.groupingSeparator): columns 'Betrag' ('1'234.5') need it"])
        let typographic = TextTable(source: "ch.csv", columnNames: ["Betrag"], columns: [["1\(rightQuote)234.5", "7"]])
        XCTAssertEqual(SchemaInference.choosingNumberFormat(typographic, format: SourceFormat()).format.groupingSeparator, .rightSingleQuotationMark)

        let mixed = TextTable(source: "m.csv", columnNames: ["a", "b"], columns: [["1\(noBreakSpace)234,5", "3,5"], ["2.500,5", "1,5"]])
        let (kept, mixedNotes) = SchemaInference.choosingNumberFormat(mixed, format: SourceFormat(delimiter: ";"))
        XCTAssertEqual(kept, SourceFormat(delimiter: ";", decimalSeparator: .comma))
        XCTAssertEqual(mixedNotes.last, "thousands separator not chosen: columns 'b' ('2.500,5') need '.', columns 'a' ('1\(noBreakSpace)234,5') need '\(noBreakSpace)' (U+00A0); a schema reads one grouping mark, so those columns are not numbers. Make the file consistent, or pass --grouping-separator")
        XCTAssertEqual(SchemaInference.choosingNumberFormat(mixed, format: SourceFormat(delimiter: ";"), declaredGrouping: .point).format.groupingSeparator, .point)

        let french = SourceFormat(delimiter: ";", decimalSeparator: .comma, groupingSeparator: .narrowNoBreakSpace)
        XCTAssertEqual(try JSONDecoder().decode(SourceFormat.self, from: JSONEncoder().encode(french)), french)
        let stored = try JSONDecoder().decode(SourceFormat.self, from: Data(#"{"delimiter": ";", "missingTokens": [""], "trimWhitespace": false, "unknownCategory": "error", "decimalSeparator": ",", "groupingSeparator": "\u00a0"}"#.utf8))
        XCTAssertEqual(stored.groupingSeparator, .noBreakSpace)
    }

    /// `id,temp\n1,"37,5"\n2,38`: the quoted decimal commas of a `,` file are found; the readers
    /// then read both the quoted `37,5` and the unquoted `38`. Quoted `"1,234"` (an English
    /// thousands mark as likely) and a file mixing `.` and quoted `,` decimals are named, not guessed.
    func testQuotedDecimalCommasInACommaDelimitedFile() throws {
        let directory = try TemporaryDirectory()
        let url = try directory.file("q.csv", "id,temp,poids\n1,\"37,5\",\"1.234,5\"\n2,38,980\n3,\"36,25\",\"2.000\"\n")
        let text = try TextTable.read(.csv(url))
        let (format, notes) = SchemaInference.choosingNumberFormat(text, format: SourceFormat())
        XCTAssertEqual(format, SourceFormat(decimalSeparator: .comma, groupingSeparator: .point))
        XCTAssertEqual(notes.first, "decimal mark ',' chosen (source.decimalSeparator): columns 'temp' ('37,5'), 'poids' ('1.234,5') hold numbers written with a decimal comma, and no column holds '.' decimals. Every continuous and integer column is read that way, so '1,234' is 1.234; the release is written with '.'. Pass --decimal-separator . to read ',' otherwise")
        let schema = try SchemaInference.infer(text, name: "q", format: format)
        for threads in [1, 2] {
            let table = try Table.read(.csv(url), schema: schema, threadCount: threads)
            XCTAssertEqual(table.numbers("temp"), [37.5, 38, 36.25])
            XCTAssertEqual(table.numbers("poids"), [1234.5, 980, 2000])
        }
        XCTAssertEqual(try TableEncoder(schema: schema).encode(.csv(url), threadCount: 2).matrix.rowCount, 3)

        let english = TextTable(source: "e.csv", columnNames: ["n", "x"], columns: [["1,234", "2,500"], ["1.5", "2"]])
        let (point, englishNotes) = SchemaInference.choosingNumberFormat(english, format: SourceFormat())
        XCTAssertEqual(point, SourceFormat())
        XCTAssertEqual(englishNotes, ["columns 'n' ('1,234'): every ',' in them has three digits after it, as an English thousands separator would; they are not read as numbers. Infer again with --grouping-separator , if ',' groups thousands, or with --decimal-separator , if it is the decimal mark"])

        let mixed = TextTable(source: "m.csv", columnNames: ["a", "b"], columns: [["37,5", "38"], ["1.5", "2"]])
        let (kept, mixedNotes) = SchemaInference.choosingNumberFormat(mixed, format: SourceFormat())
        XCTAssertEqual(kept, SourceFormat())
        XCTAssertEqual(mixedNotes, ["decimal mark not chosen: columns 'a' ('37,5') are written with ',' decimals and columns 'b' ('1.5') with '.'; a schema reads one decimal mark, so '.' was kept and the ',' columns are not numbers. Make the file consistent, or pass --decimal-separator"])
    }
}
