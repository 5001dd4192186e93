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

    /// Reads and encodes a CSV file into a matrix allocated once, on `threadCount` threads.
    ///
    /// The file is split and its ranges scheduled by `CSVRangeReading`. For each range, a
    /// libcsv parser of its own, whose field callback parses each modelled field where it stands
    /// (`CSVReader.readColumns`), and the same thread encodes every batch of 1,024 records into
    /// the range's own region of the matrix: region i starts after the record bounds of ranges
    /// 0..<i, and any gap the bounds leave (blank lines) is closed by one `memmove` per range at
    /// the end. Pages the bounds reserve but no row reaches are never touched, so peak memory is
    /// the matrix plus a chunk and a batch per thread.
    ///
    /// The result does not depend on the thread count or the splits: the same rows, clip
    /// counts and errors (the file's first problem, with its line).
    ///
    /// Only modelled columns are parsed: identifiers and dropped columns never reach the
    /// matrix (`schema check` reads them all).
    ///
    /// - Parameters:
    ///   - threadCount: threads to use; a small file uses fewer.
    ///   - chunkSize: bytes per `csv_parse` call (small in tests, to cross chunks).
    ///   - splitTargets: where to split the file instead of the default (tests).
    func encodeCSV(_ url: URL, strict: Bool, threadCount: Int, chunkSize: Int = 1 << 20,
                   splitTargets: [Int]? = nil) throws -> (matrix: EncodedMatrix, report: EncodingReport) {
        let reading = try CSVRangeReading(url, schema: schema, threadCount: threadCount, chunkSize: chunkSize,
                                          splitTargets: splitTargets)
        let builder = try TableBuilder(schema: schema, header: reading.headerReader.header, source: reading.headerReader.source)
        let recordBounds = reading.ranges.indices.map(reading.recordBound(ofRange:))
        var regionStarts: [Int] = []
        var rowBound = 0
        for bound in recordBounds {
            regionStarts.append(rowBound)
            rowBound += bound
        }
        let modelled = codecs.indices.filter { codecs[$0] != .notModelled }
        var rows = 0
        var report = EncodingReport(columnNames: schema.columns.map(\.name))
        // At least one Float, so the buffer has an address even when no column is modelled.
        let values = try [Float](unsafeUninitializedCapacity: max(1, rowBound * width)) { buffer, initialized in
            initialized = 0
            guard let base = buffer.baseAddress else { return }
            adviseHugePages(buffer)
            let outcomes = try reading.forEachRange(threadCount: threadCount) { index, reader, earlierRangeFailed in
                try encodeRange(reader, builder: builder, columns: modelled, strict: strict,
                                into: base + regionStarts[index] * width, rowBound: recordBounds[index],
                                earlierRangeFailed: earlierRangeFailed)
            }
            for (index, (rangeRows, rangeReport)) in outcomes.enumerated() {
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
                    try encodeCategories(batch.codes(slot: slot), column: column, into: output, report: &report,
                                         source: reader.source, origin: origin)
                } else {
                    try encodeNumbers(batch.numbers(slot: slot), column: column, into: output, report: &report, strict: strict,
                                      source: reader.source, origin: origin)
                }
            }
            rows += records
        }
        return (rows, report)
    }

    /// Asks Linux to back the matrix with transparent huge pages before any row is written:
    /// one page fault per 2 MiB instead of per 4 KiB as the threads first touch their regions
    /// (about 10 % of the CPU time of `bench --suite io` on one thread). NumPy does the same
    /// for large arrays (numpy/_core/src/multiarray/alloc.c). Only advice: the kernel may
    /// decline, and other systems skip it.
    private func adviseHugePages(_ buffer: UnsafeMutableBufferPointer<Float>) {
        #if os(Linux)
        guard let base = buffer.baseAddress else { return }
        let hugePage = 2 << 20
        let start = (Int(bitPattern: base) + hugePage - 1) & ~(hugePage - 1)
        let end = Int(bitPattern: base + buffer.count) & ~(hugePage - 1)
        guard end > start, let pointer = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(pointer, end - start, MADV_HUGEPAGE)
        #endif
    }
}
