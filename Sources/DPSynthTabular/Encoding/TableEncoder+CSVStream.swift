import Dispatch
import Foundation

extension TableEncoder {
    /// Reads and encodes a CSV file with the matrix allocated once and the work on two
    /// threads: a reader thread runs libcsv and fills record batches while this thread parses
    /// the previous batch's fields and encodes them in place.
    ///
    /// A first pass bounds the record count (line ends outside quotes), so the matrix is one
    /// allocation; pages past the last row are reserved but never touched. Peak memory is the
    /// matrix plus two batches of raw fields (a few MB each). Only modelled columns are parsed:
    /// identifiers and dropped columns never reach the matrix (`schema check` reads them all).
    func encodeCSV(_ url: URL, strict: Bool, batchSize: Int) throws -> (matrix: EncodedMatrix, report: EncodingReport) {
        var report = EncodingReport(columnNames: schema.columns.map(\.name))
        let capacity = try CSVReader.recordCountUpperBound(of: url) * width
        let reader = try Table.csvReader(for: url, schema: schema)
        var builder = try TableBuilder(schema: schema, header: reader.header, source: reader.source)
        let channel = BatchChannel(reader: reader, batchSize: batchSize)
        defer { channel.finish() }
        var numbers: [Double] = []
        var codes: [Int32] = []
        var rows = 0
        let values = try [Float](unsafeUninitializedCapacity: capacity) { buffer, initialized in
            initialized = 0
            while let batch = try channel.next() {
                let records = batch.recordCount
                precondition((rows + records) * width <= buffer.count, "more records than line ends: the record bound is wrong")
                guard let base = buffer.baseAddress.map({ $0 + rows * width }) else { break }
                base.initialize(repeating: 0, count: records * width)
                let origin: (Int) -> RecordLocation = { .line(batch.recordLines[$0]) }
                for (index, codec) in codecs.enumerated() {
                    switch codec {
                    case .notModelled:
                        continue
                    case .categorical:
                        codes.removeAll(keepingCapacity: true)
                        try builder.parseCodes(batch, column: index, into: &codes)
                        try codes.withUnsafeBufferPointer {
                            try encodeCategories($0, column: index, into: base, source: reader.source, origin: origin)
                        }
                    case .numeric:
                        numbers.removeAll(keepingCapacity: true)
                        try builder.parseNumbers(batch, column: index, into: &numbers)
                        try numbers.withUnsafeBufferPointer {
                            try encodeNumbers($0, column: index, into: base, report: &report, strict: strict,
                                              source: reader.source, origin: origin)
                        }
                    }
                }
                rows += records
            }
            initialized = rows * width
        }
        return (EncodedMatrix(values: values, rowCount: rows, width: width), report)
    }
}

/// Hands record batches from a reader thread to the encoding thread, at most two in flight.
///
/// The reader is touched only by the reader thread until `finish()` has joined it. A batch
/// handed over shares its buffers until the reader refills, which then starts fresh buffers
/// (copy-on-write), so the two threads never write the same memory.
private final class BatchChannel: @unchecked Sendable {
    private let lock = NSLock()
    private let filled = DispatchSemaphore(value: 0)
    private let free = DispatchSemaphore(value: 2)
    private let done = DispatchGroup()
    private var queue: [Result<CSVRecordBatch?, Error>] = []
    private var cancelled = false
    private var finished = false

    init(reader: CSVReader, batchSize: Int) {
        done.enter()
        Thread.detachNewThread { [self] in
            defer { done.leave() }
            do {
                while true {
                    free.wait()
                    if isCancelled { return }
                    let batch = try reader.nextBatch(minimumRecords: batchSize)
                    push(.success(batch))
                    if batch == nil { return }
                }
            } catch {
                push(.failure(error))
            }
        }
    }

    private var isCancelled: Bool {
        lock.lock()
        defer { lock.unlock() }
        return cancelled
    }

    private func push(_ item: Result<CSVRecordBatch?, Error>) {
        lock.lock()
        queue.append(item)
        lock.unlock()
        filled.signal()
    }

    /// The next batch, nil at the end of the file; rethrows the reader's error.
    func next() throws -> CSVRecordBatch? {
        if finished { return nil }
        filled.wait()
        lock.lock()
        let item = queue.removeFirst()
        lock.unlock()
        free.signal()
        let batch = try item.get()
        if batch == nil { finished = true }
        return batch
    }

    /// Stops the reader thread (if it is still reading) and waits for it.
    func finish() {
        lock.lock()
        cancelled = true
        lock.unlock()
        free.signal()
        done.wait()
    }
}
