import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension TableEncoder {
    /// Records per typed batch in `encodeCSV`: a batch of slots stays in the core's cache
    /// between parsing and encoding.
    static let csvBatchCapacity = 1_024

    /// Files below this many bytes per thread are read by fewer threads.
    static let minimumBytesPerThread = 1 << 20

    /// Reads and encodes a CSV file into a matrix allocated once, on `threadCount` threads.
    ///
    /// A first pass (`CSVReader.byteRanges`) splits the file at record boundaries into one
    /// byte range per thread, with each range's first line and a bound on its records. Each
    /// thread runs its own libcsv parser over its range, whose field callback parses each
    /// modelled field where it stands (`CSVReader.readColumns`), and encodes every batch of
    /// 1,024 records into the range's own region of the matrix: region i starts after the
    /// record bounds of ranges 0..<i, and the gaps the bounds leave are closed by one
    /// `memmove` per range at the end. Pages the bounds reserve but no row reaches are never
    /// touched, so peak memory is the matrix plus a few batches.
    ///
    /// The result does not depend on the thread count: the same rows, clip counts and errors.
    /// Each range's reader numbers lines from the range's first line, so messages keep the
    /// file's line numbers; a range stops at its first problem (in file order), and the
    /// error of the earliest failing range is thrown, which is the file's first problem:
    /// every line of a range lies after every line of the ranges before it.
    ///
    /// Only modelled columns are parsed: identifiers and dropped columns never reach the
    /// matrix (`schema check` reads them all).
    ///
    /// - Parameters:
    ///   - threadCount: threads (and byte ranges) to use; files under 1 MiB per thread use fewer.
    ///   - chunkSize: bytes per `csv_parse` call (small in tests, to cross chunks).
    ///   - splitTargets: where to split the file (byte offsets; each split falls after the
    ///     next record end), instead of `threadCount` even parts: tests force awkward splits.
    func encodeCSV(_ url: URL, strict: Bool, threadCount: Int, chunkSize: Int = 1 << 20,
                   splitTargets: [Int]? = nil) throws -> (matrix: EncodedMatrix, report: EncodingReport) {
        let reader = try Table.csvReader(for: url, schema: schema, chunkSize: chunkSize)
        let builder = try TableBuilder(schema: schema, header: reader.header, source: reader.source)
        let ranges = try CSVReader.byteRanges(of: url, source: reader.source,
                                              splitTargets: (splitTargets ?? evenSplitTargets(of: url, threadCount: threadCount))
                                                  .map { max($0, reader.bytesRead - 1) },
                                              trimWhitespace: reader.trimWhitespace)
        // The header's reader goes on with the first range; the others start at theirs.
        reader.limitReading(to: ranges[0].bytes.upperBound)
        let readers = try [reader] + ranges.dropFirst().map { try CSVReader(continuing: reader, url: url, range: $0) }
        // The first range's bound counts the header's line end too; without it the bounds
        // are exact for a file with no blank lines, and no region needs moving at the end.
        let recordBounds = ranges.enumerated().map { $0.offset == 0 ? max(0, $0.element.recordBound - 1) : $0.element.recordBound }
        var regionStarts: [Int] = []
        var rowBound = 0
        for bound in recordBounds {
            regionStarts.append(rowBound)
            rowBound += bound
        }
        let modelled = codecs.indices.filter { codecs[$0] != .notModelled }
        let failures = RangeFailures()
        var outcomes = [Result<(rows: Int, report: EncodingReport), Error>](repeating: .failure(RangeStopped()), count: ranges.count)
        var rows = 0
        var report = EncodingReport(columnNames: schema.columns.map(\.name))
        let values = try [Float](unsafeUninitializedCapacity: rowBound * width) { buffer, initialized in
            initialized = 0
            guard let base = buffer.baseAddress else { return }
            outcomes.withUnsafeMutableBufferPointer { buffer in
                // Each thread writes only its own entry.
                let outcomes = buffer
                let work = { (index: Int) in
                    outcomes[index] = Result {
                        try encodeRange(readers[index], builder: builder, columns: modelled, strict: strict,
                                        into: base + regionStarts[index] * width, rowBound: recordBounds[index]) {
                            failures.hasFailure(before: index)
                        }
                    }
                    if case .failure = outcomes[index] { failures.record(index) }
                }
                if ranges.count == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: ranges.count, execute: work) }
            }
            for (index, outcome) in outcomes.enumerated() {
                let (rangeRows, rangeReport) = try outcome.get()
                if regionStarts[index] != rows && rangeRows > 0 {
                    memmove(base + rows * width, base + regionStarts[index] * width, rangeRows * width * MemoryLayout<Float>.stride)
                }
                rows += rangeRows
                report.add(rangeReport)
            }
            initialized = rows * width
        }
        return (EncodedMatrix(values: values, rowCount: rows, width: width), report)
    }

    /// Reads one byte range and encodes its records into `base` (room for `rowBound` rows).
    private func encodeRange(_ reader: CSVReader, builder: TableBuilder, columns: [Int], strict: Bool,
                             into base: UnsafeMutablePointer<Float>, rowBound: Int,
                             earlierRangeFailed: @escaping () -> Bool) throws -> (rows: Int, report: EncodingReport) {
        var report = EncodingReport(columnNames: schema.columns.map(\.name))
        var rows = 0
        let width = self.width
        try reader.readColumns(builder: builder, columns: columns, batchCapacity: Self.csvBatchCapacity) { batch in
            // An earlier range has failed: its error is the one to report.
            if earlierRangeFailed() { throw RangeStopped() }
            let records = batch.recordCount
            precondition(rows + records <= rowBound, "more records than line ends: the record bound is wrong")
            let output = base + rows * width
            output.initialize(repeating: 0, count: records * width)
            let origin: (Int) -> RecordLocation = { .line(batch.line(ofRecord: $0)) }
            for (slot, column) in columns.enumerated() {
                if case .categorical = codecs[column] {
                    try encodeCategories(batch.codes(slot: slot), column: column, into: output, source: reader.source, origin: origin)
                } else {
                    try encodeNumbers(batch.numbers(slot: slot), column: column, into: output, report: &report, strict: strict,
                                      source: reader.source, origin: origin)
                }
            }
            rows += records
        }
        return (rows, report)
    }

    /// `threadCount − 1` offsets splitting the file evenly, fewer for a small file.
    private func evenSplitTargets(of url: URL, threadCount: Int) -> [Int] {
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.intValue ?? 0
        let parts = max(1, min(threadCount, size / Self.minimumBytesPerThread))
        return (1..<parts).map { size / parts * $0 }
    }
}

/// Thrown inside a range once an earlier range has failed (its error is the one reported).
private struct RangeStopped: Error {}

/// The ranges that have failed so far, shared by the threads of `encodeCSV`.
private final class RangeFailures: @unchecked Sendable {
    private let lock = NSLock()
    private var earliest = Int.max

    func record(_ index: Int) {
        lock.lock()
        earliest = min(earliest, index)
        lock.unlock()
    }

    func hasFailure(before index: Int) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return earliest < index
    }
}
