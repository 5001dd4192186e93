import Foundation
import XCTest
@testable import DPSynthTabular

/// Exports from a German, French or Italian Excel or EHR: `;`, decimal commas (`37,5`), `.`
/// grouping thousands (`1.234,5`), dotted dates, a BOM and CRLF. Read faithfully, refused
/// loudly when a value does not fit the declared marks, and detected by `schema infer`.
final class DecimalCommaTests: XCTestCase {
    private let comma = NumberFormat(decimalMark: UInt8(ascii: ","), grouping: nil)
    private let commaGrouped = NumberFormat(decimalMark: UInt8(ascii: ","), grouping: ".")

    func testTheParserReadsTheDeclaredDecimalMarkOnly() {
        let read: [(String, Double)] = [("-1,5", -1.5), ("37,5", 37.5), ("1e3", 1000), (",5", 0.5), ("5,", 5),
                                        ("+2,25E-1", 0.225), ("0,1", 0.1), ("58,7652292950034", 58.7652292950034),
                                        ("123456789012345678901234,5", 123456789012345678901234.5)]
        for (text, value) in read {
            XCTAssertEqual(parseDecimal(text, format: comma), value, text)
        }
        for bad in ["1.5", "1.234,5", ",", "-", "1,5,", "1,,5", "1,5e", "abc", "1 5", "", "3,5kg"] {
            XCTAssertNil(parseDecimal(bad, format: comma), bad)
        }
        // The point format is unchanged: a comma is not a number there.
        XCTAssertNil(parseDecimal("1,5"))
        XCTAssertEqual(parseDecimal("1.5"), 1.5)
    }

    /// Grouping reads groups of exactly three digits after a first group of one to three (not
    /// starting with 0), so a misplaced mark is an error, never a number off by a power of ten.
    func testGroupingReadsWholeGroupsOfThreeOnly() {
        let read: [(String, Double)] = [("1.234,5", 1234.5), ("-1.234,5", -1234.5), ("12.345.678", 12_345_678),
                                        ("999", 999), ("1.000", 1000), ("1234,5", 1234.5), ("1.234e2", 123_400),
                                        ("1.234.567.890.123.456.789,25", 1_234_567_890_123_456_789.25)]
        for (text, value) in read {
            XCTAssertEqual(parseDecimal(text, format: commaGrouped), value, text)
        }
        for bad in ["1.5", "1.23", "1.2345", "1234.567", ".123", "0.123", "1..234", "1.234.", "1,234.5", "12.34,5"] {
            XCTAssertNil(parseDecimal(bad, format: commaGrouped), bad)
        }
        let swiss = NumberFormat(decimalMark: UInt8(ascii: "."), grouping: "'")
        XCTAssertEqual(parseDecimal("1'234.5", format: swiss), 1234.5)
        XCTAssertNil(parseDecimal("1'23.5", format: swiss))
    }

    func testTheDelimiterIsSniffedFromConsistentFieldCounts() throws {
        let files: [(String, UInt8)] = [
            ("a,b,c\n1,\"x;y\",3\n4,5,6\n", UInt8(ascii: ",")),
            ("\u{FEFF}a;b;c\r\n37,5;1.234,5;x\r\n36,9;2,0;\"y;z\"\r\n", UInt8(ascii: ";")),
            ("a\tb\n1,5\t2\n3\t4\n", UInt8(ascii: "\t")),
            ("a|b\n1;2|3\n4|5\n", UInt8(ascii: "|")),
            ("only\n1\n2\n", UInt8(ascii: ",")),
            // One column of decimal commas: a delimiter found nowhere keeps "1,5" whole.
            ("only\n1,5\n2\n", UInt8(ascii: ";")),
            ("a,b\n1,2\n3\n", UInt8(ascii: ",")),
        ]
        let directory = try TemporaryDirectory()
        for (index, (text, expected)) in files.enumerated() {
            let url = try directory.file("f\(index).csv", text)
            XCTAssertEqual(try DelimiterSniffing.delimiter(of: url, source: "f.csv"), expected, text)
        }
        let ambiguous = try directory.file("a.csv", "a,b;c\n1,2;3\n")
        XCTAssertThrowsError(try DelimiterSniffing.delimiter(of: ambiguous, source: "a.csv")) { error in
            XCTAssertEqual(error as? TabularError, .ambiguousDelimiter(source: "a.csv", candidates: [",", ";"]))
            XCTAssertEqual("\(error)", "a.csv: the delimiter is ambiguous: ',', ';' each split every sampled line into the same number of fields; pass --delimiter with the one the file uses")
        }
        // A sample cut inside the file leaves its last, possibly cut, record out.
        XCTAssertEqual(DelimiterSniffing.fieldCounts(Array("a;b\n1;2\n3".utf8), delimiter: UInt8(ascii: ";"), isWholeFile: false), [2, 2])
    }

    /// The same 40 rows as a European export (`;`, `37,5`, `1.234,5`, BOM, CRLF) or as a plain
    /// comma file with `.` decimals.
    private func rows(european: Bool) -> String {
        let separator = european ? ";" : ",", mark = european ? "," : ".", group = european ? "." : ""
        return (european ? "\u{FEFF}" : "") + ["Nr", "Temperatur", "Gewicht", "Aufnahme", "Tod"].joined(separator: separator)
            + (european ? "\r\n" : "\n") + (0..<40).map { row in
                ["\(row + 1)", "\(36 + row % 4)\(mark)\(row % 10)", "\(1 + row % 3)\(group)\(100 + row)\(row % 2 == 0 ? "\(mark)5" : "")",
                 "\(10 + row % 18).0\(1 + row % 9).2025", row % 3 == 0 ? "ja" : "nein"].joined(separator: separator)
                    + (european ? "\r\n" : "\n")
            }.joined()
    }

    private var european: String { rows(european: true) }

    private func europeanTable() -> TextTable {
        let lines = european.dropFirst().split(separator: "\r\n").map { $0.split(separator: ";", omittingEmptySubsequences: false).map(String.init) }
        return TextTable(source: "eu.csv", columnNames: lines[0], columns: lines[0].indices.map { c in lines.dropFirst().map { $0[c] } })
    }

    func testInferChoosesTheCommaAndGroupingAndSaysSo() throws {
        let table = europeanTable()
        let (format, notes) = SchemaInference.choosingNumberFormat(table, format: SourceFormat(delimiter: ";"))
        XCTAssertEqual(format.decimalSeparator, .comma)
        XCTAssertEqual(format.groupingSeparator, .point)
        XCTAssertEqual(notes, [
            "decimal mark ',' chosen (source.decimalSeparator): columns 'Temperatur' ('36,0'), 'Gewicht' ('1.100,5') hold numbers written with a decimal comma, and no column holds '.' decimals. Every continuous and integer column is read that way, so '1,234' is 1.234; the release is written with '.'. Pass --decimal-separator . to read ',' otherwise",
            "'.' read as the thousands separator (source.groupingSeparator): columns 'Gewicht' ('1.100,5') need it",
        ])
        let schema = try SchemaInference.infer(table, name: "eu", format: format)
        let temperature = try XCTUnwrap(schema.columns.first { $0.name == "Temperatur" })
        XCTAssertEqual(temperature.kind, .continuous)
        XCTAssertEqual(temperature.bounds?.min, 36.0)
        XCTAssertEqual(temperature.bounds?.max, 39.9)
        XCTAssertEqual(temperature.decimals, 1)
        let weight = try XCTUnwrap(schema.columns.first { $0.name == "Gewicht" })
        XCTAssertEqual(weight.bounds?.min, 1100.5)
        XCTAssertEqual(weight.bounds?.max, 3138.5)
        XCTAssertEqual(schema.columns.first { $0.name == "Aufnahme" }?.datetimeFormat, "%d.%m.%Y")

        // In a ',' file such values were quoted ("36,0"): read the same way. A declared '.' is kept.
        XCTAssertEqual(SchemaInference.choosingNumberFormat(table, format: SourceFormat(delimiter: ",")).format,
                       SourceFormat(delimiter: ",", decimalSeparator: .comma, groupingSeparator: .point))
        XCTAssertEqual(SchemaInference.choosingNumberFormat(table, format: SourceFormat(delimiter: ";"), declaredDecimal: .point).format,
                       SourceFormat(delimiter: ";"))
    }

    /// Columns written both ways are not guessed at; a column readable either way is named.
    func testMixedOrAmbiguousMarksAreNamedNotGuessed() {
        let mixed = TextTable(source: "m.csv", columnNames: ["a", "b"], columns: [["1,5", "2,5"], ["37.5", "38.1"]])
        let (kept, notes) = SchemaInference.choosingNumberFormat(mixed, format: SourceFormat(delimiter: ";"))
        XCTAssertEqual(kept.decimalSeparator, .point)
        XCTAssertEqual(notes, ["decimal mark not chosen: columns 'a' ('1,5') are written with ',' decimals and columns 'b' ('37.5') with '.'; a schema reads one decimal mark, so '.' was kept and the ',' columns are not numbers. Make the file consistent, or pass --decimal-separator"])

        let eitherWay = TextTable(source: "e.csv", columnNames: ["a", "b"], columns: [["1,5", "2,5"], ["1.234", "2.000"]])
        let (format, eitherNotes) = SchemaInference.choosingNumberFormat(eitherWay, format: SourceFormat(delimiter: ";"))
        XCTAssertEqual(format.groupingSeparator, .point)
        // Without any decimal comma, '.' stays the mark, but values that read as thousands are named.
        let grams = TextTable(source: "g.csv", columnNames: ["gramm", "n"], columns: [["1.234", "2.500", "980"], ["1", "2", "3"]])
        let (pointKept, gramNotes) = SchemaInference.choosingNumberFormat(grams, format: SourceFormat(delimiter: ";"))
        XCTAssertEqual(pointKept, SourceFormat(delimiter: ";"))
        XCTAssertEqual(gramNotes, ["columns 'gramm' ('1.234'): every '.' in them has three digits after it, as a thousands separator would; they are read with '.' as the decimal mark (1.234 as 1.234). If '.' groups thousands in this file, infer again with --decimal-separator , --grouping-separator ."])
        XCTAssertEqual(eitherNotes.last, "'.' read as the thousands separator (source.groupingSeparator): columns 'b' ('1.234') are read as whole numbers (1.234 as 1234); if '.' is their decimal point, the file mixes decimal marks: fix it")
    }

    /// The file is read with the schema's marks on every path (one thread, several threads,
    /// the streamed encoder); a value in the other format is an error naming the mark.
    func testAEuropeanFileReadsFaithfullyAndABadValueNamesTheMark() throws {
        let directory = try TemporaryDirectory()
        let url = try directory.file("eu.csv", european)
        let format = SchemaInference.choosingNumberFormat(europeanTable(), format: SourceFormat(delimiter: ";")).format
        let schema = try SchemaInference.infer(europeanTable(), name: "eu", format: format)
        for threads in [1, 2] {
            let table = try Table.read(.csv(url), schema: schema, threadCount: threads)
            XCTAssertEqual(table.numbers("Temperatur")?.prefix(3).map { $0 }, [36.0, 37.1, 38.2])
            XCTAssertEqual(table.numbers("Gewicht")?.prefix(2).map { $0 }, [1100.5, 2101])
        }
        // The streamed encoder (fit's path) gives the matrix of the same rows written with '.'.
        let encoded = try TableEncoder(schema: schema).encode(.csv(url), threadCount: 2).matrix
        let plainURL = try directory.file("plain.csv", rows(european: false))
        var plainSchema = schema
        plainSchema.source = SourceFormat()
        let plain = try TableEncoder(schema: plainSchema).encode(.csv(plainURL), threadCount: 2).matrix
        XCTAssertEqual(encoded.rowCount, 40)
        XCTAssertEqual(encoded.values, plain.values)

        let bad = try directory.file("bad.csv", european.replacingOccurrences(of: "\r\n3;38,2;", with: "\r\n3;38.2;"))
        XCTAssertThrowsError(try Table.read(.csv(bad), schema: schema)) { error in
            XCTAssertEqual("\(error)", "\(bad.path) line 4, column 'Temperatur': expected a number with ',' as decimal mark and '.' grouping thousands (the schema's source.decimalSeparator and source.groupingSeparator), found \"38.2\"")
        }
        var sameMarks = schema
        sameMarks.source.groupingSeparator = .comma
        XCTAssertThrowsError(try sameMarks.validate(source: "s.json")) { error in
            XCTAssertEqual("\(error)", "s.json: invalid schema: source.groupingSeparator and source.decimalSeparator are both \",\"; a number needs two different marks")
        }
    }

    /// The marks survive a JSON round trip; the default writes no new keys, so existing schemas
    /// and model files keep their bytes; the release reads '.'.
    func testTheMarksAreStoredOnlyWhenNotTheDefault() throws {
        let european = SourceFormat(delimiter: ";", decimalSeparator: .comma, groupingSeparator: .point)
        let data = try JSONEncoder().encode(european)
        XCTAssertEqual(try JSONDecoder().decode(SourceFormat.self, from: data), european)
        let plain = String(decoding: try JSONEncoder().encode(SourceFormat()), as: UTF8.self)
        XCTAssertFalse(plain.contains("decimalSeparator") || plain.contains("groupingSeparator"), plain)
        let schema = Schema(name: "t", source: european, columns: [ColumnSchema(name: "x", kind: .continuous,
                                                                                   bounds: Bounds(min: 0, max: 1, provenance: .public))])
        XCTAssertEqual(schema.released.source.decimalSeparator, .point)
        XCTAssertNil(schema.released.source.groupingSeparator)
    }
}
