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

    /// Byte ranges per thread: threads take ranges in file order as they finish, so one
    /// thread slowed by other work on the machine leaves the rest to the others instead of
    /// holding up a fixed share of the file.
    static let rangesPerThread = 8

    /// Ranges are at least this long (a smaller file gets fewer ranges and threads).
    static let minimumBytesPerRange = 1 << 20

    /// Reads and encodes a CSV file into a matrix allocated once, on `threadCount` threads.
    ///
    /// A first pass (`CSVReader.byteRanges`) splits the file at record boundaries into byte
    /// ranges (`rangesPerThread` per thread, at least 1 MiB each), with each range's first
    /// line and a bound on its records. Threads take ranges in file order; for each, a libcsv
    /// parser of its own, whose field callback parses each modelled field where it stands
    /// (`CSVReader.readColumns`), and the same thread encodes every batch of 1,024 records
    /// into the range's own region of the matrix: region i starts after the record bounds of
    /// ranges 0..<i, and any gap the bounds leave (blank lines) is closed by one `memmove`
    /// per range at the end. Pages the bounds reserve but no row reaches are never touched,
    /// so peak memory is the matrix plus a chunk and a batch per thread.
    ///
    /// The result does not depend on the thread count or the splits: the same rows, clip
    /// counts and errors. Each range's reader numbers lines from the range's first line, so
    /// messages keep the file's line numbers; a range stops at its first problem (in file
    /// order) after encoding the records before it, and the error of the earliest failing
    /// range is thrown, which is the file's first problem: every line of a range lies after
    /// every line of the ranges before it.
    ///
    /// Only modelled columns are parsed: identifiers and dropped columns never reach the
    /// matrix (`schema check` reads them all).
    ///
    /// - Parameters:
    ///   - threadCount: threads to use; a small file uses fewer.
    ///   - chunkSize: bytes per `csv_parse` call (small in tests, to cross chunks).
    ///   - splitTargets: where to split the file (byte offsets; each split falls after the
    ///     next record end) instead of the default: tests force awkward splits.
    func encodeCSV(_ url: URL, strict: Bool, threadCount: Int, chunkSize: Int = 1 << 20,
                   splitTargets: [Int]? = nil) throws -> (matrix: EncodedMatrix, report: EncodingReport) {
        let reader = try Table.csvReader(for: url, schema: schema, chunkSize: chunkSize)
        let builder = try TableBuilder(schema: schema, header: reader.header, source: reader.source)
        let ranges = try CSVReader.byteRanges(of: url, source: reader.source,
                                              splitTargets: (splitTargets ?? defaultSplitTargets(of: url, threadCount: threadCount))
                                                  .map { max($0, reader.bytesRead - 1) },
                                              trimWhitespace: reader.trimWhitespace)
        // The header's reader goes on with the first range; the others start at theirs.
        reader.limitReading(to: ranges[0].bytes.upperBound)
        let context = reader.rangeContext
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
        let queue = RangeQueue(count: ranges.count)
        var outcomes = [Result<(rows: Int, report: EncodingReport), Error>](repeating: .failure(RangeStopped()), count: ranges.count)
        var rows = 0
        var report = EncodingReport(columnNames: schema.columns.map(\.name))
        // At least one Float, so the buffer has an address even when no column is modelled.
        let values = try [Float](unsafeUninitializedCapacity: max(1, rowBound * width)) { buffer, initialized in
            initialized = 0
            guard let base = buffer.baseAddress else { return }
            adviseHugePages(buffer)
            outcomes.withUnsafeMutableBufferPointer { buffer in
                // Each range's entry is written by the one thread that took the range.
                let outcomes = buffer
                let work = { (_: Int) in
                    while let index = queue.next() {
                        outcomes[index] = Result {
                            let rangeReader = index == 0 ? reader : try CSVReader(range: ranges[index], of: url, context: context)
                            return try encodeRange(rangeReader, builder: builder, columns: modelled, strict: strict,
                                                   into: base + regionStarts[index] * width, rowBound: recordBounds[index]) {
                                queue.hasFailure(before: index)
                            }
                        }
                        if case .failure = outcomes[index] { queue.recordFailure(of: index) }
                    }
                }
                let workers = min(max(1, threadCount), ranges.count)
                if workers == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: workers, execute: work) }
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

    /// Offsets splitting the file into `rangesPerThread` equal parts per thread, fewer for a
    /// small file; none for one thread.
    private func defaultSplitTargets(of url: URL, threadCount: Int) -> [Int] {
        guard threadCount > 1 else { return [] }
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.intValue ?? 0
        let parts = max(1, min(threadCount * Self.rangesPerThread, size / Self.minimumBytesPerRange))
        return (1..<parts).map { size / parts * $0 }
    }
}

/// Thrown inside a range once an earlier range has failed (its error is the one reported).
private struct RangeStopped: Error {}

/// Hands out the ranges of `encodeCSV` in file order to its threads, and remembers the
/// earliest range that failed (later ranges then stop: their errors come after it).
private final class RangeQueue: @unchecked Sendable {
    private let lock = NSLock()
    private let count: Int
    private var taken = 0
    private var earliestFailure = Int.max

    init(count: Int) { self.count = count }

    /// The next range not yet taken, or nil when all are, or when one has failed.
    func next() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard taken < count, earliestFailure == .max else { return nil }
        taken += 1
        return taken - 1
    }

    func recordFailure(of index: Int) {
        lock.lock()
        earliestFailure = min(earliestFailure, index)
        lock.unlock()
    }

    func hasFailure(before index: Int) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return earliestFailure < index
    }
}
