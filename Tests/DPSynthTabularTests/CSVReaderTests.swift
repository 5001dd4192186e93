import XCTest
@testable import DPSynthTabular

final class CSVReaderTests: XCTestCase {
    /// Every record's fields as strings ("∅" for an unquoted empty field) and its line.
    private func records(_ text: String, delimiter: UInt8 = UInt8(ascii: ","), trim: Bool = false,
                         chunkSize: Int = 1 << 20) throws -> (header: [String], rows: [[String]], lines: [Int]) {
        let directory = try TemporaryDirectory()
        let url = try directory.file("t.csv", text)
        let reader = try CSVReader(url: url, delimiter: delimiter, trimWhitespace: trim, chunkSize: chunkSize)
        var rows: [[String]] = []
        var lines: [Int] = []
        try reader.forEachBatch(minimumRecords: 2) { batch in
            for record in 0..<batch.recordCount {
                rows.append((0..<batch.fieldCount(ofRecord: record)).map { field in
                    batch.isUnquotedEmpty(record: record, field: field) ? "∅" : batch.string(record: record, field: field)!
                })
                lines.append(batch.recordLines[record])
            }
        }
        return (reader.header, rows, lines)
    }

    func testQuotedFieldsWithDelimitersQuotesAndNewlines() throws {
        let text = "a,b,c\n\"x,y\",\"say \"\"hi\"\"\",\"two\nlines\"\nplain,,\"\"\n"
        let (header, rows, lines) = try records(text)
        XCTAssertEqual(header, ["a", "b", "c"])
        XCTAssertEqual(rows, [["x,y", "say \"hi\"", "two\nlines"], ["plain", "∅", ""]])
        // The second record starts on line 4: the quoted newline counts as a physical line.
        XCTAssertEqual(lines, [2, 4])
    }

    func testCRLFLineEndsBOMAndBlankLinesKeepLineNumbers() throws {
        let text = "\u{FEFF}a,b\r\n1,2\r\n\r\n3,4\r\n\"5\r\n6\",7"
        let (header, rows, lines) = try records(text)
        XCTAssertEqual(header, ["a", "b"])
        XCTAssertEqual(rows, [["1", "2"], ["3", "4"], ["5\r\n6", "7"]])
        XCTAssertEqual(lines, [2, 4, 5])
    }

    func testDelimiterOptionAndWhitespaceTrimming() throws {
        let semicolons = try records("a;b\n x ; y \n", delimiter: UInt8(ascii: ";"))
        XCTAssertEqual(semicolons.rows, [[" x ", " y "]])
        let trimmed = try records("a,b\n x , \" y \"\n", trim: true)
        XCTAssertEqual(trimmed.rows, [["x", " y "]])
    }

    func testTinyChunksGiveTheSameRecordsAsOneChunk() throws {
        let text = "a,b\n\"q\nq\",1\n\"x\"\"y\",2\r\nz,3\n"
        let whole = try records(text)
        let tiny = try records(text, chunkSize: 1)
        XCTAssertEqual(tiny.rows, whole.rows)
        XCTAssertEqual(tiny.lines, whole.lines)
        XCTAssertEqual(whole.lines, [2, 4, 5])
    }

    func testNumberParsingIsCorrectlyRoundedAndStrict() {
        let cases = ["0", "-0", "1.5", "58.7652292950034", "1e-7", "123456789012345678901234", "2.2250738585072014e-308",
                     "0.1", "9007199254740993", "+3.25E+2", ".5", "5."]
        for text in cases {
            XCTAssertEqual(parseDecimal(text), Double(text.hasPrefix("+") ? String(text.dropFirst()) : text), text)
        }
        for bad in ["", "-", "1e", "nan", "inf", "0x10", "1,5", " 1", "1 ", "1e5x", "."] {
            XCTAssertNil(parseDecimal(bad), bad)
        }
    }
}
