import Dispatch
import Foundation

extension TableEncoder {
    /// Reads and encodes a CSV file with the matrix allocated once and the work on two
    /// threads: a reader thread runs libcsv, whose field callback parses each modelled field
    /// where it stands (`CSVReader.readColumns`), while this thread encodes the previous
    /// batch of typed columns in place.
    ///
    /// A first pass bounds the record count (line ends outside quotes), so the matrix is one
    /// allocation; pages past the last row are reserved but never touched. Peak memory is the
    /// matrix plus two batches of typed columns. Only modelled columns are parsed: identifiers
    /// and dropped columns never reach the matrix (`schema check` reads them all).
    ///
    /// - Parameter chunkSize: bytes per `csv_parse` call (small in tests, to cross chunks).
    func encodeCSV(_ url: URL, strict: Bool, batchSize: Int,
                   chunkSize: Int = 1 << 20) throws -> (matrix: EncodedMatrix, report: EncodingReport) {
        var report = EncodingReport(columnNames: schema.columns.map(\.name))
        let capacity = try CSVReader.recordCountUpperBound(of: url) * width
        let reader = try Table.csvReader(for: url, schema: schema, chunkSize: chunkSize)
        let builder = try TableBuilder(schema: schema, header: reader.header, source: reader.source)
        let modelled = codecs.indices.filter { codecs[$0] != .notModelled }
        let channel = BatchChannel<CSVColumnBatch> { push in
            var readerBuilder = builder
            try reader.readColumns(builder: &readerBuilder, columns: modelled, batchSize: batchSize) { batch in
                guard push(batch) else { throw BatchChannelCancelled() }
            }
        }
        defer { channel.finish() }
        var rows = 0
        let values = try [Float](unsafeUninitializedCapacity: capacity) { buffer, initialized in
            initialized = 0
            while let batch = try channel.next() {
                let records = batch.recordCount
                precondition((rows + records) * width <= buffer.count, "more records than line ends: the record bound is wrong")
                guard let base = buffer.baseAddress.map({ $0 + rows * width }) else { break }
                base.initialize(repeating: 0, count: records * width)
                let origin: (Int) -> RecordLocation = { .line(batch.lines[$0]) }
                for index in modelled {
                    if case .categorical = codecs[index] {
                        try batch.codes[index].withUnsafeBufferPointer {
                            try encodeCategories($0, column: index, into: base, source: reader.source, origin: origin)
                        }
                    } else {
                        try batch.numbers[index].withUnsafeBufferPointer {
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

/// Thrown inside the producer when the consumer has stopped.
private struct BatchChannelCancelled: Error {}

/// Hands batches from a producer thread to the consuming thread, at most two in flight.
///
/// The producer's state (the CSV reader) is touched only by the producer thread until
/// `finish()` has joined it; batches are values moved across, never shared for writing.
private final class BatchChannel<Element>: @unchecked Sendable {
    private let lock = NSLock()
    private let filled = DispatchSemaphore(value: 0)
    private let free = DispatchSemaphore(value: 2)
    private let done = DispatchGroup()
    private var queue: [Result<Element?, Error>] = []
    private var cancelled = false
    private var finished = false

    /// Starts `produce` on its own thread; it calls `push` per element, which returns false
    /// once the consumer has stopped.
    init(produce: @escaping (_ push: (Element) -> Bool) throws -> Void) {
        done.enter()
        Thread.detachNewThread { [self] in
            defer { done.leave() }
            do {
                try produce { element in
                    free.wait()
                    if isCancelled { return false }
                    deliver(.success(element))
                    return true
                }
                deliver(.success(nil))
            } catch is BatchChannelCancelled {
                return
            } catch {
                deliver(.failure(error))
            }
        }
    }

    private var isCancelled: Bool {
        lock.lock()
        defer { lock.unlock() }
        return cancelled
    }

    private func deliver(_ item: Result<Element?, Error>) {
        lock.lock()
        queue.append(item)
        lock.unlock()
        filled.signal()
    }

    /// The next element, nil when the producer is done; rethrows the producer's error.
    func next() throws -> Element? {
        if finished { return nil }
        filled.wait()
        lock.lock()
        let item = queue.removeFirst()
        lock.unlock()
        free.signal()
        let element = try item.get()
        if element == nil { finished = true }
        return element
    }

    /// Stops the producer (if it is still running) and waits for it.
    func finish() {
        lock.lock()
        cancelled = true
        lock.unlock()
        free.signal()
        done.wait()
    }
}
