import Dispatch
import Foundation

/// One CSV file read as byte ranges on several threads: the splitter and the scheduling that
/// `TableEncoder.encodeCSV` (straight into the matrix) and `Table.read` (into typed columns)
/// share, so both read a file the same way and report the same first error.
///
/// A first pass (`CSVReader.byteRanges`) splits the file at record boundaries into byte ranges
/// (`rangesPerThread` per thread, at least `minimumBytesPerRange` each), with each range's first
/// line and a bound on its records. Threads take ranges in file order as they finish, so one
/// thread slowed by other work on the machine leaves the rest to the others instead of holding
/// up a fixed share of the file. Each range's reader numbers lines from the range's first line,
/// so messages keep the file's line numbers; a range stops at its first problem, and the error
/// of the earliest failing range is thrown, which is the file's first problem: every line of a
/// range lies after every line of the ranges before it.
struct CSVRangeReading {
    /// Byte ranges per thread.
    static let rangesPerThread = 8
    /// Ranges are at least this long (a smaller file gets fewer ranges and threads).
    static let minimumBytesPerRange = 1 << 20

    /// The reader that read the header; it goes on with the first range.
    let headerReader: CSVReader
    let ranges: [CSVByteRange]
    private let url: URL
    private let context: CSVReader.RangeContext
    private let onWrongFieldCount: ((_ range: Int) -> (TabularError) -> Void)?

    /// Reads the header and splits the rest of the file.
    /// - Parameters:
    ///   - chunkSize: bytes per `csv_parse` call (small in tests, to cross chunks).
    ///   - splitTargets: where to split the file (byte offsets; each split falls after the next
    ///     record end) instead of the default: tests force awkward splits.
    ///   - onWrongFieldCount: when given, each range's reader skips a record with the wrong
    ///     number of fields and reports it to the handler made for that range (schema check),
    ///     instead of stopping.
    init(_ url: URL, schema: Schema, threadCount: Int, chunkSize: Int = 1 << 20, splitTargets: [Int]? = nil,
         onWrongFieldCount: ((_ range: Int) -> (TabularError) -> Void)? = nil) throws {
        let reader = try Table.csvReader(for: url, schema: schema, chunkSize: chunkSize, onWrongFieldCount: onWrongFieldCount?(0))
        ranges = try CSVReader.byteRanges(of: url, source: reader.source,
                                          splitTargets: (splitTargets ?? Self.defaultSplitTargets(of: url, threadCount: threadCount))
                                              .map { max($0, reader.bytesRead - 1) },
                                          trimWhitespace: reader.trimWhitespace)
        reader.limitReading(to: ranges[0].bytes.upperBound)
        headerReader = reader
        context = reader.rangeContext
        self.url = url
        self.onWrongFieldCount = onWrongFieldCount
    }

    /// At most this many records start in range `index`. The first range's bound counts the
    /// header's line end too; without it the bounds are exact for a file with no blank lines.
    func recordBound(ofRange index: Int) -> Int {
        index == 0 ? max(0, ranges[0].recordBound - 1) : ranges[index].recordBound
    }

    /// Runs `body` once per range, with a reader of that range, on up to `threadCount` threads
    /// taking ranges in file order; returns the results in file order, or throws the error of
    /// the earliest range that failed. `earlierRangeFailed` lets a range stop early once an
    /// earlier one has failed (its error is the one reported).
    func forEachRange<Result>(threadCount: Int,
                              _ body: (_ index: Int, _ reader: CSVReader, _ earlierRangeFailed: @escaping () -> Bool) throws -> Result)
    throws -> [Result] {
        let queue = RangeQueue(count: ranges.count)
        var outcomes = [Swift.Result<Result, Error>](repeating: .failure(RangeStopped()), count: ranges.count)
        // Each range's entry is written by the one thread that took the range.
        withoutActuallyEscaping(body) { body in
            outcomes.withUnsafeMutableBufferPointer { buffer in
                let outcomes = buffer
                let work = { (_: Int) in
                    while let index = queue.next() {
                        outcomes[index] = Swift.Result {
                            let reader = index == 0 ? headerReader
                                : try CSVReader(range: ranges[index], of: url, context: context,
                                                onWrongFieldCount: onWrongFieldCount?(index))
                            return try body(index, reader) { queue.hasFailure(before: index) }
                        }
                        if case .failure = outcomes[index] { queue.recordFailure(of: index) }
                    }
                }
                let workers = min(max(1, threadCount), ranges.count)
                if workers == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: workers, execute: work) }
            }
        }
        // In file order, the first failure is the earliest range's real error: ranges after it
        // either failed later in the file or stopped.
        return try outcomes.map { try $0.get() }
    }

    /// Offsets splitting the file into `rangesPerThread` equal parts per thread, fewer for a
    /// small file; none for one thread.
    private static func defaultSplitTargets(of url: URL, threadCount: Int) -> [Int] {
        guard threadCount > 1 else { return [] }
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.intValue ?? 0
        let parts = max(1, min(threadCount * rangesPerThread, size / minimumBytesPerRange))
        return (1..<parts).map { size / parts * $0 }
    }
}

/// Thrown inside a range once an earlier range has failed (its error is the one reported).
struct RangeStopped: Error {}

/// Hands out the ranges in file order to the threads, and remembers the earliest range that
/// failed (later ranges then stop: their errors come after it).
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
