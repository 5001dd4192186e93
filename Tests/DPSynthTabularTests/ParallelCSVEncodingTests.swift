import DPSynthRandom
import DPSynthTestSupport
import Foundation
import XCTest
@testable import DPSynthTabular

/// `TableEncoder.encodeCSV` and `Table.read` split a file into byte ranges read on separate
/// threads: the table, the matrix, the clip counts and the first error must not depend on where
/// the splits fall, how many there are, or how the chunks cut the records.
final class ParallelCSVEncodingTests: XCTestCase {
    /// Category labels that need quoting: a delimiter, an escaped quote, line ends inside.
    private static let labels = ["plain", "a,b", "say \"hi\"", "two\nlines", "cr\r\nlf", " padded"]

    /// - Parameter unlistedLabels: what to do with a label outside `labels` (`generate`
    ///   writes some when asked to).
    private func schema(trimWhitespace: Bool, unlistedLabels: UnknownCategoryPolicy = .error) -> Schema {
        Schema(name: "split", source: SourceFormat(trimWhitespace: trimWhitespace, unknownCategory: unlistedLabels), columns: [
            ColumnSchema(name: "id", kind: .identifier),
            ColumnSchema(name: "n", kind: .integer, nullable: true, bounds: Bounds(min: 0, max: 100, provenance: .public)),
            ColumnSchema(name: "label", kind: .categorical, nullable: true,
                         categories: CategoryList(values: Self.labels, provenance: .public)),
            ColumnSchema(name: "x", kind: .continuous, nullable: true, bounds: Bounds(min: -5, max: 5, provenance: .public),
                         transform: Transform(method: .modeSpecific, modes: 2), decimals: 3),
            ColumnSchema(name: "day", kind: .datetime, bounds: Bounds(min: 0, max: 2e9, provenance: .public)),
        ])
    }

    /// A generated file: its bytes, and each record's first byte and physical line.
    private struct GeneratedCSV {
        var bytes: [UInt8] = []
        var recordStarts: [Int] = []
        var recordLines: [Int] = []
        /// Offsets where a blank line starts (a range may start there too), with their lines.
        var blankLineStarts: [Int: Int] = [:]
        var unlistedLabelCount = 0
    }

    /// A CSV of `rows` records mixing LF, CRLF and CR line ends, blank lines, quoted fields
    /// holding delimiters, quotes and line ends, missing values, out-of-bound values, and
    /// (when trimming) blanks around fields and between a CR and an LF, and labels outside
    /// the list when `unlistedLabels` (counted in `unlistedLabelCount`).
    private func generate(rows: Int, seed: UInt64, trimWhitespace: Bool, byteOrderMark: Bool,
                          finalLineEnd: Bool, unlistedLabels: Bool = false) -> GeneratedCSV {
        let random = SeededGenerator(seed: seed)
        func chance(_ p: Double) -> Bool { random.nextBernoulli(p) }
        func pick<T>(_ values: [T]) -> T { values[Int(random.next() % UInt64(values.count))] }
        var csv = GeneratedCSV()
        var line = 1
        func append(_ text: String) {
            csv.bytes += Array(text.utf8)
        }
        func blanks() -> String { trimWhitespace && chance(0.3) ? pick([" ", "  ", "\t"]) : "" }
        if byteOrderMark { csv.bytes += [0xEF, 0xBB, 0xBF] }
        append("id,n,label,x,day\n")
        line += 1
        let terminators = trimWhitespace ? ["\n", "\r\n", "\r", "\r \n"] : ["\n", "\r\n", "\r"]
        for row in 0..<rows {
            if chance(0.05) {
                // After a lone CR an LF would complete a CRLF, not make a blank line.
                if csv.bytes.last != 0x0D { csv.blankLineStarts[csv.bytes.count] = line }
                append(csv.bytes.last == 0x0D ? "\r\n" : pick(["\n", "\r\n"]))
                line += 1
            }
            csv.recordStarts.append(csv.bytes.count)
            csv.recordLines.append(line)
            var fields: [String] = []
            fields.append(chance(0.2) ? "\"r\(row)\"" : "r\(row)")
            fields.append(chance(0.1) ? "" : String(chance(0.05) ? 130 : Int(random.next() % 101)))
            if chance(0.1) {
                fields.append("")
            } else if unlistedLabels && chance(0.05) {
                fields.append(pick(["unlisted", "\"not, listed\"", "PLAIN"]))
                csv.unlistedLabelCount += 1
            } else {
                let label = pick(Self.labels)
                let needsQuotes = label.contains(",") || label.contains("\"") || label.contains("\n") || label.contains("\r")
                    || label.hasPrefix(" ")
                if needsQuotes || chance(0.2) {
                    fields.append("\"" + label.replacingOccurrences(of: "\"", with: "\"\"") + "\"")
                    line += label.filter { $0 == "\n" || $0 == "\r\n" }.count
                } else {
                    fields.append(label)
                }
            }
            fields.append(chance(0.1) ? "" : String(format: "%.3f", -7 + 14 * random.nextUnitDouble()))
            fields.append(String(format: "20%02d-%02d-%02d", Int(random.next() % 30), 1 + Int(random.next() % 12), 1 + Int(random.next() % 28)))
            append(fields.map { blanks() + $0 + blanks() }.joined(separator: ","))
            if row < rows - 1 || finalLineEnd {
                append(pick(terminators))
                line += 1
            }
        }
        return csv
    }

    private func write(_ csv: GeneratedCSV, in directory: TemporaryDirectory, name: String = "split.csv") throws -> URL {
        try directory.file(name, bytes: csv.bytes)
    }

    /// Split sets: none, at the start, everywhere, and random ones.
    private func splitTargetSets(size: Int, seed: UInt64) -> [[Int]] {
        let random = SeededGenerator(seed: seed)
        var sets: [[Int]] = [[], [0], [1], Array(stride(from: 0, to: size, by: 37)), [size - 1]]
        for count in 1...4 {
            sets.append((0..<count).map { _ in Int(random.next() % UInt64(size)) })
        }
        return sets
    }

    func testEveryWayOfSplittingGivesTheMatrixAndReportOfTheWholeTable() throws {
        let directory = try TemporaryDirectory()
        for (variant, (trim, mark, finalLineEnd)) in [(false, false, true), (false, true, false), (true, false, true), (true, true, false)].enumerated() {
            // Half the variants hold labels outside the list, read as missing and counted.
            let unlisted = variant % 2 == 1
            let schema = schema(trimWhitespace: trim, unlistedLabels: unlisted ? .mapToNull : .error)
            let encoder = try TableEncoder(schema: schema)
            let csv = generate(rows: 300, seed: UInt64(10 + variant), trimWhitespace: trim, byteOrderMark: mark, finalLineEnd: finalLineEnd,
                               unlistedLabels: unlisted)
            let url = try write(csv, in: directory)
            // Reference: the record-batch reader on one thread (one range) and the whole-table encoder.
            let table = try Table.read(.csv(url), schema: schema, threadCount: 1)
            XCTAssertEqual(table.rowCount, 300)
            XCTAssertEqual(table.rowOrigins, csv.recordLines, "variant \(variant): record lines")
            let whole = try encoder.encode(table)
            XCTAssertGreaterThan(whole.report.totalClipped, 0, "the data holds out-of-bound values")
            XCTAssertEqual(whole.report.unknownCategoriesReadAsMissing, [0, 0, csv.unlistedLabelCount, 0, 0], "variant \(variant)")
            XCTAssertEqual(table.unknownCategoryCounts, whole.report.unknownCategoriesReadAsMissing)
            if unlisted { XCTAssertGreaterThan(csv.unlistedLabelCount, 5) }
            // A selection of rows counts its own: the train part of a split, as `fit --holdout-fraction` encodes it.
            let train = table.split(holdoutFraction: 0.3).train
            XCTAssertEqual(try encoder.encode(train).report.unknownCategoriesReadAsMissing, train.unknownCategoryCounts)
            for chunkSize in [64, 997, 1 << 20] {
                for targets in splitTargetSets(size: csv.bytes.count, seed: UInt64(variant)) {
                    // One thread takes the ranges in turn; two or three take them concurrently.
                    let split = try encoder.encodeCSV(url, strict: false, threadCount: 1 + targets.count % 3, chunkSize: chunkSize,
                                                      splitTargets: targets)
                    XCTAssertEqual(split.matrix, whole.matrix, "variant \(variant), chunk \(chunkSize), splits \(targets.prefix(5))")
                    XCTAssertEqual(split.report, whole.report, "variant \(variant), chunk \(chunkSize), splits \(targets.prefix(5))")
                    let read = try Table.readCSV(url, schema: schema, threadCount: 1 + targets.count % 3, chunkSize: chunkSize,
                                                 splitTargets: targets)
                    XCTAssertEqual(read.columns, table.columns, "variant \(variant), chunk \(chunkSize), splits \(targets.prefix(5))")
                    XCTAssertEqual(read.rowOrigins, table.rowOrigins, "variant \(variant), chunk \(chunkSize), splits \(targets.prefix(5))")
                }
            }
        }
    }

    /// The shared datasets with their schemas (pbc has missing values): `fit`'s reader (the
    /// table read on several threads, then encoded), the streamed encoder and the one-thread
    /// reader give the same table, matrix and report; a bad row late in the file gives the same
    /// message on every path.
    func testSharedDatasetsGiveTheSameMatrixOnEveryPath() throws {
        let directory = try TemporaryDirectory()
        for name in ["gbsg2", "pbc", "flchain"] {
            let url = SharedData.url("data/\(name).csv")
            let schema = try Schema.load(from: SharedData.repositoryRoot.appendingPathComponent("Schemas/\(name).json"))
            let encoder = try TableEncoder(schema: schema)
            let size = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber).intValue
            let splits = [size / 5, size / 2, size / 2 + 3, 4 * size / 5]
            let table = try Table.read(.csv(url), schema: schema, threadCount: 1)
            if name == "pbc" {
                XCTAssertTrue(table.columns.contains { if case .numbers(let values) = $0 { return values.contains { $0.isNaN } } else { return false } },
                              "pbc holds missing values")
            }
            let whole = try encoder.encode(table)
            let read = try Table.readCSV(url, schema: schema, threadCount: 2, chunkSize: 4_096, splitTargets: splits)
            XCTAssertEqual(read.columns, table.columns, name)
            XCTAssertEqual(read.rowOrigins, table.rowOrigins, name)
            let readEncoded = try encoder.encode(read)
            XCTAssertEqual(readEncoded.matrix, whole.matrix, name)
            XCTAssertEqual(readEncoded.report, whole.report, name)
            let streamed = try encoder.encodeCSV(url, strict: false, threadCount: 2, chunkSize: 4_096, splitTargets: splits)
            XCTAssertEqual(streamed.matrix, whole.matrix, name)
            XCTAssertEqual(streamed.report, whole.report, name)

            // Break a numeric field of a row three quarters down the file.
            var lines = try String(contentsOf: url, encoding: .utf8).components(separatedBy: "\n")
            let row = 3 * (lines.count - 1) / 4
            let column = try XCTUnwrap(schema.columns.firstIndex { $0.isModelled && ($0.kind == .continuous || $0.kind == .integer) })
            let position = try XCTUnwrap(lines[0].components(separatedBy: ",").firstIndex { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) == schema.columns[column].name })
            var fields = lines[row].components(separatedBy: ",")
            fields[position] = "4O"
            lines[row] = fields.joined(separator: ",")
            let bad = try directory.file("\(name).csv", lines.joined(separator: "\n"))
            var expected = ""
            XCTAssertThrowsError(try Table.read(.csv(bad), schema: schema, threadCount: 1)) { expected = "\($0)" }
            XCTAssertTrue(expected.hasPrefix("\(bad.path) line \(row + 1), column '\(schema.columns[column].name)': expected "), expected)
            XCTAssertThrowsError(try Table.readCSV(bad, schema: schema, threadCount: 2, chunkSize: 4_096, splitTargets: splits)) {
                XCTAssertEqual("\($0)", expected, name)
            }
            XCTAssertThrowsError(try encoder.encodeCSV(bad, strict: false, threadCount: 2, chunkSize: 4_096, splitTargets: splits)) {
                XCTAssertEqual("\($0)", expected, name)
            }
        }
    }

    func testByteRangesStartAtRecordsWithTheirLines() throws {
        let directory = try TemporaryDirectory()
        for trim in [false, true] {
            let csv = generate(rows: 200, seed: trim ? 21 : 20, trimWhitespace: trim, byteOrderMark: true, finalLineEnd: false)
            let url = try write(csv, in: directory)
            let starts = Dictionary(uniqueKeysWithValues: zip(csv.recordStarts, csv.recordLines)).merging(csv.blankLineStarts) { $1 }
            let ranges = try CSVReader.byteRanges(of: url, source: "split.csv", splitTargets: Array(0..<csv.bytes.count),
                                                  trimWhitespace: trim)
            XCTAssertGreaterThan(ranges.count, 150, "a split after nearly every record")
            XCTAssertEqual(ranges.first?.bytes.lowerBound, 0)
            XCTAssertEqual(ranges.last?.bytes.upperBound, csv.bytes.count)
            for (previous, range) in zip(ranges, ranges.dropFirst()) {
                XCTAssertEqual(previous.bytes.upperBound, range.bytes.lowerBound, "ranges are contiguous")
                XCTAssertEqual(csv.bytes[range.bytes.lowerBound - 1], 0x0A, "a range starts after an LF")
                XCTAssertEqual(range.newlinesBefore, csv.bytes[..<range.bytes.lowerBound].filter { $0 == 0x0A }.count)
                guard let line = starts[range.bytes.lowerBound] else {
                    XCTFail("range at \(range.bytes.lowerBound) does not start a record or a blank line")
                    continue
                }
                XCTAssertEqual(range.firstLine, line, "range at \(range.bytes.lowerBound)")
            }
            // Each range's bound covers the records starting in it (the header in the first).
            for range in ranges {
                let records = csv.recordStarts.filter { range.bytes.contains($0) }.count + (range.bytes.lowerBound == 0 ? 1 : 0)
                XCTAssertGreaterThanOrEqual(range.recordBound, records)
            }
            let whole = try CSVReader.byteRanges(of: url, source: "split.csv", splitTargets: [], trimWhitespace: trim)
            XCTAssertEqual(whole.count, 1)
            XCTAssertEqual(whole[0].recordBound, ranges.reduce(0) { $0 + $1.recordBound })
        }
    }

    func testBlankLinesOfAOneColumnFileAreMissingValuesInEveryRange() throws {
        let directory = try TemporaryDirectory()
        let schema = Schema(name: "one", columns: [
            ColumnSchema(name: "v", kind: .integer, nullable: true, bounds: Bounds(min: 0, max: 9, provenance: .public)),
        ])
        let encoder = try TableEncoder(schema: schema)
        let random = SeededGenerator(seed: 50)
        var text = "v\n"
        for _ in 0..<400 {
            text += ["", "\(random.next() % 10)", "\"\(random.next() % 10)\""][Int(random.next() % 3)]
            text += ["\n", "\r\n", "\r"][Int(random.next() % 3)]
        }
        let url = try directory.file("one.csv", text)
        let whole = try encoder.encode(try Table.read(.csv(url), schema: schema))
        XCTAssertGreaterThan(whole.matrix.rowCount, 350, "blank lines are records")
        for targets in splitTargetSets(size: text.utf8.count, seed: 5) {
            let split = try encoder.encodeCSV(url, strict: false, threadCount: 2, chunkSize: 64, splitTargets: targets)
            XCTAssertEqual(split.matrix, whole.matrix, "splits \(targets.prefix(5))")
        }
    }

    /// One way a record can be wrong, and the change to the record's text that makes it so.
    private enum Problem: CaseIterable {
        case malformedNumber, tooFewFields, strayQuote, outOfBounds, unknownCategory

        func apply(to record: String) -> String {
            var fields = record.components(separatedBy: ",")
            switch self {
            case .malformedNumber: fields[1] = "4O"
            case .tooFewFields: fields.removeLast()
            case .strayQuote: fields[0] = "r\"x"
            case .outOfBounds: fields[1] = "250"
            case .unknownCategory: fields[2] = "nope"
            }
            return fields.joined(separator: ",")
        }
    }

    /// A file of simple LF records (no quoted line ends, so records are lines) with
    /// `problems` applied at the given records.
    private func simpleFile(rows: Int, problems: [(record: Int, problem: Problem)]) -> String {
        var lines = ["id,n,label,x,day"]
        for row in 0..<rows {
            var record = "r\(row),\(row % 90),plain,\(Double(row % 9) - 4),2020-01-0\(1 + row % 9)"
            for (index, problem) in problems where index == row { record = problem.apply(to: record) }
            lines.append(record)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func testTheFirstProblemInTheFileIsReportedWhateverTheSplit() throws {
        let directory = try TemporaryDirectory()
        let schema = schema(trimWhitespace: false)
        let encoder = try TableEncoder(schema: schema)
        for first in Problem.allCases {
            for second in Problem.allCases {
                let reference = try directory.file("first.csv", simpleFile(rows: 400, problems: [(120, first)]))
                let expected: String
                do {
                    _ = try encoder.encodeCSV(reference, strict: true, threadCount: 1)
                    XCTFail("\(first) is an error")
                    continue
                } catch {
                    expected = "\(error)".replacingOccurrences(of: "first.csv", with: "both.csv")
                }
                if first != .outOfBounds {
                    // The record-batch reader agrees on the message.
                    XCTAssertThrowsError(try Table.read(.csv(reference), schema: schema, threadCount: 1)) { error in
                        XCTAssertEqual("\(error)".replacingOccurrences(of: "first.csv", with: "both.csv"), expected)
                    }
                }
                let text = simpleFile(rows: 400, problems: [(120, first), (300, second)])
                let url = try directory.file("both.csv", text)
                let size = text.utf8.count
                for chunkSize in [100, 4_096, 1 << 20] {
                    for targets in [[], [size / 2], [size / 4, size / 2, 3 * size / 4], [size / 3 + 7, size / 3 + 40]] {
                        XCTAssertThrowsError(try encoder.encodeCSV(url, strict: true, threadCount: 1 + targets.count % 3, chunkSize: chunkSize,
                                                                   splitTargets: targets)) { error in
                            XCTAssertEqual("\(error)", expected, "\(first) then \(second), chunk \(chunkSize), splits \(targets)")
                        }
                        // Reading into a table leaves bounds to the encoder: an out-of-bound value is not its error.
                        guard first != .outOfBounds && second != .outOfBounds else { continue }
                        XCTAssertThrowsError(try Table.readCSV(url, schema: schema, threadCount: 1 + targets.count % 3, chunkSize: chunkSize,
                                                               splitTargets: targets)) { error in
                            XCTAssertEqual("\(error)", expected, "read: \(first) then \(second), chunk \(chunkSize), splits \(targets)")
                        }
                    }
                }
            }
        }
    }

    /// `schema check` reads the ranges on their own threads and keeps each range's first
    /// violations: the report (first violations, counts, rows) is the one-thread report.
    func testSchemaCheckReportsTheSameWhateverTheSplit() throws {
        let directory = try TemporaryDirectory()
        let schema = schema(trimWhitespace: false, unlistedLabels: .mapToNull)
        let problems: [(record: Int, problem: Problem)] = [(3, .malformedNumber), (40, .tooFewFields), (41, .outOfBounds),
                                                          (150, .malformedNumber), (151, .tooFewFields), (152, .outOfBounds),
                                                          (153, .unknownCategory), (390, .outOfBounds), (399, .tooFewFields)]
        let text = simpleFile(rows: 400, problems: problems)
        let url = try directory.file("check.csv", text)
        let size = text.utf8.count
        for limit in [2, 5, 20] {
            let reference = try schema.check(.csv(url), limit: limit, threadCount: 1, splitTargets: [])
            XCTAssertEqual(reference.violationCount, 8, "the unknown label is read as missing, not a violation")
            XCTAssertEqual(reference.unknownCategoriesReadAsMissing, [0, 0, 1, 0, 0])
            XCTAssertEqual(reference.rowCount, 397, "records with the wrong field count are not rows")
            for targets in [[size / 2], [size / 4, size / 2, 3 * size / 4], Array(stride(from: 0, to: size, by: 700))] {
                let split = try schema.check(.csv(url), limit: limit, threadCount: 2, splitTargets: targets)
                XCTAssertEqual(split.text, reference.text, "limit \(limit), splits \(targets)")
                XCTAssertEqual(split.violationCount, reference.violationCount)
                XCTAssertEqual(split.rowCount, reference.rowCount)
                XCTAssertEqual(split.unknownCategoriesReadAsMissing, reference.unknownCategoriesReadAsMissing)
            }
        }
    }

    func testProblemsAfterQuotedLineEndsKeepTheirLines() throws {
        let directory = try TemporaryDirectory()
        let schema = schema(trimWhitespace: false)
        let encoder = try TableEncoder(schema: schema)
        var csv = generate(rows: 250, seed: 30, trimWhitespace: false, byteOrderMark: true, finalLineEnd: true)
        // Break the number of record 200: its second field follows the first comma.
        let start = csv.recordStarts[200]
        guard let comma = csv.bytes[start...].firstIndex(of: UInt8(ascii: ",")) else { return XCTFail("no comma") }
        csv.bytes.insert(contentsOf: Array("x".utf8), at: comma + 1)
        let url = try write(csv, in: directory)
        var expected = ""
        XCTAssertThrowsError(try Table.read(.csv(url), schema: schema)) { expected = "\($0)" }
        XCTAssertTrue(expected.contains("line \(csv.recordLines[200]),"), expected)
        for targets in splitTargetSets(size: csv.bytes.count, seed: 3) {
            for chunkSize in [64, 1 << 20] {
                XCTAssertThrowsError(try encoder.encodeCSV(url, strict: false, threadCount: 2, chunkSize: chunkSize,
                                                           splitTargets: targets)) { error in
                    XCTAssertEqual("\(error)", expected, "chunk \(chunkSize), splits \(targets.prefix(5))")
                }
            }
        }
    }

    func testAnUnterminatedQuoteOrABinaryByteIsReportedWhateverTheSplit() throws {
        let directory = try TemporaryDirectory()
        let encoder = try TableEncoder(schema: schema(trimWhitespace: false))
        let text = simpleFile(rows: 300, problems: [(250, .malformedNumber)])
        let openRecords = "r300,1,\"plain,0,2020-01-01\nr301,2,plain,0,2020-01-01\n"
        let unterminated = try directory.file("open.csv", text + openRecords)
        // A NUL near the end, after the bad number of record 250, is still reported: a file
        // holding one is binary.
        var binary = Array(text.utf8)
        let offset = binary.count - 500
        binary[offset] = 0
        let nul = try directory.file("nul.csv", bytes: binary)
        let nulLine = binary[..<offset].filter { $0 == 0x0A }.count + 1
        let size = binary.count
        for targets in [[], [size / 2], [size / 4, size / 2, 3 * size / 4], Array(stride(from: 0, to: size, by: 500))] {
            for chunkSize in [100, 1 << 20] {
                XCTAssertThrowsError(try encoder.encodeCSV(unterminated, strict: false, threadCount: 2, chunkSize: chunkSize,
                                                           splitTargets: targets)) { error in
                    XCTAssertEqual("\(error)", "\(unterminated.path) line 252, column 'n': expected an integer, found \"4O\"")
                }
                XCTAssertThrowsError(try encoder.encodeCSV(nul, strict: false, threadCount: 1, chunkSize: chunkSize,
                                                           splitTargets: targets)) { error in
                    XCTAssertEqual("\(error)", "\(nul.path) line \(nulLine): found a NUL byte; this looks like a binary file, not CSV text")
                }
            }
        }
        let open = try directory.file("open-only.csv", simpleFile(rows: 300, problems: []) + openRecords)
        for targets in [[], [100], [1_000, 5_000]] {
            XCTAssertThrowsError(try encoder.encodeCSV(open, strict: false, threadCount: 2, chunkSize: 256, splitTargets: targets)) { error in
                XCTAssertEqual("\(error)", "\(open.path) line 302: a quoted field is never closed; the file ends inside quotes")
            }
        }
    }

    func testThreadCountsGiveTheSameResultOnAFileLargeEnoughToSplit() throws {
        let directory = try TemporaryDirectory()
        let encoder = try TableEncoder(schema: schema(trimWhitespace: false))
        let csv = generate(rows: 60_000, seed: 40, trimWhitespace: false, byteOrderMark: false, finalLineEnd: true)
        XCTAssertGreaterThan(csv.bytes.count, 2 * CSVRangeReading.minimumBytesPerRange)
        let url = try write(csv, in: directory)
        let one = try encoder.encode(.csv(url), threadCount: 1)
        XCTAssertEqual(one.matrix.rowCount, 60_000)
        for threads in [2, 3] {
            let many = try encoder.encode(.csv(url), threadCount: threads)
            XCTAssertEqual(many.matrix, one.matrix, "\(threads) threads")
            XCTAssertEqual(many.report, one.report, "\(threads) threads")
        }
    }
}
