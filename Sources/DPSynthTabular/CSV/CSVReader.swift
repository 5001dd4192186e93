import CCSV
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams an RFC 4180 file through libcsv (`csv_parse` with callbacks), one chunk of the file
/// at a time, so memory holds one chunk and the records of one batch, never the whole file.
///
/// libcsv runs with CSV_STRICT (a quote inside an unquoted field, or text after a closing
/// quote, is an error), CSV_STRICT_FINI (a file ending inside quotes is an error),
/// CSV_REPALL_NL (every line end is reported, so physical line numbers stay exact, blank lines
/// included), CSV_EMPTY_IS_NULL (an unquoted empty field differs from `""`) and CSV_APPEND_NULL
/// (fields arrive NUL-terminated, so numbers parse in place). A UTF-8 byte
/// order mark is skipped. Lines are counted from 1, newlines inside quoted fields included.
///
/// A reader can also cover one `CSVByteRange` of a file (`init(range:of:context:)`), so
/// that several threads read one file, each from a record boundary with the file's line
/// numbers (`TableEncoder.encodeCSV`).
public final class CSVReader {
    /// The file as the user named it, for messages.
    public let source: String
    /// The header's column names.
    public private(set) var header: [String] = []
    /// When set, a record with the wrong number of fields is skipped and reported here
    /// (schema check) instead of stopping the reader with an error.
    public let onWrongFieldCount: ((TabularError) -> Void)?

    private let descriptor: Int32
    private var parser = csv_parser()
    /// The callbacks' state, behind a raw pointer: libcsv calls back once per field, and a
    /// class property would cost a dynamic exclusivity check and a retain on every call.
    let state: UnsafeMutablePointer<CSVParseState> = {
        let pointer = UnsafeMutablePointer<CSVParseState>.allocate(capacity: 1)
        pointer.initialize(to: CSVParseState())
        return pointer
    }()
    private var chunk: [UInt8]
    private(set) var atEndOfFile = false
    private var isFirstChunk = true
    let delimiter: UInt8
    let trimWhitespace: Bool
    /// Bytes read from the file so far (the file offset of the next read).
    private(set) var bytesRead = 0
    /// The file offset at which reading stops (the end of a `CSVByteRange`), if any.
    private var readLimit: Int?
    /// libcsv's callbacks in force: per-field copies into record batches, or (after
    /// `readColumns`) typed parsing straight into columns.
    private var fieldCallback = csvFieldCallback
    private var recordCallback = csvRecordCallback
    private var newlinesBeforeChunk = 0
    /// Records parsed ahead of the caller (while looking for the header and the first record).
    var pending: CSVRecordBatch?
    /// A parse error met after those records, thrown by the next `parseNextChunk`.
    private var deferredError: Error?

    /// Opens `url` and reads its header and first record.
    ///
    /// - Parameters:
    ///   - delimiter: the field separator (one ASCII byte).
    ///   - trimWhitespace: strip spaces and tabs around unquoted fields (libcsv's default
    ///     space handling); when false every byte of a field is kept.
    ///   - chunkSize: bytes read from the file per `csv_parse` call.
    ///   - onWrongFieldCount: when given, a record with the wrong number of fields is skipped
    ///     and reported to it (schema check) instead of stopping the reader.
    /// - Throws: `TabularError` for a missing, empty, header-only or binary file, invalid
    ///   UTF-8 or duplicate names in the header, and any parse error in the first chunk.
    public convenience init(url: URL, source: String? = nil, delimiter: UInt8 = UInt8(ascii: ","),
                            trimWhitespace: Bool = false, chunkSize: Int = 1 << 20,
                            onWrongFieldCount: ((TabularError) -> Void)? = nil) throws {
        try self.init(opening: url, source: source ?? url.path, delimiter: delimiter, trimWhitespace: trimWhitespace,
                      chunkSize: chunkSize, onWrongFieldCount: onWrongFieldCount)
        try readHeader()
    }

    /// What a reader of one byte range takes from the reader that read the header: taken
    /// once, before other threads start, so they never touch that reader.
    struct RangeContext {
        let source: String
        let header: [String]
        let delimiter: UInt8
        let trimWhitespace: Bool
        let chunkSize: Int
    }

    var rangeContext: RangeContext {
        RangeContext(source: source, header: header, delimiter: delimiter, trimWhitespace: trimWhitespace, chunkSize: chunk.count)
    }

    /// A reader of the records in `range` of `url`, whose header a reader with `context` has
    /// read: it starts in the state that reader would be in at `range.bytes.lowerBound` (a
    /// record boundary), so its line numbers are the file's, and stops at the range's end.
    /// `onWrongFieldCount` as for a reader of the whole file (called on the range's thread).
    convenience init(range: CSVByteRange, of url: URL, context: RangeContext,
                     onWrongFieldCount: ((TabularError) -> Void)? = nil) throws {
        try self.init(opening: url, source: context.source, delimiter: context.delimiter, trimWhitespace: context.trimWhitespace,
                      chunkSize: context.chunkSize, onWrongFieldCount: onWrongFieldCount)
        header = context.header
        state.pointee.expectedFieldCount = header.count
        state.pointee.line = range.firstLine
        newlinesBeforeChunk = range.newlinesBefore
        isFirstChunk = false
        guard lseek(descriptor, off_t(range.bytes.lowerBound), SEEK_SET) >= 0 else {
            throw TabularError.unreadableFile(path: source, reason: String(cString: strerror(errno)))
        }
        bytesRead = range.bytes.lowerBound
        readLimit = range.bytes.upperBound
    }

    /// Opens the file and libcsv's parser; reads nothing.
    private init(opening url: URL, source: String, delimiter: UInt8, trimWhitespace: Bool, chunkSize: Int,
                 onWrongFieldCount: ((TabularError) -> Void)?) throws {
        self.source = source
        self.onWrongFieldCount = onWrongFieldCount
        state.pointee.skipsWrongFieldCounts = onWrongFieldCount != nil
        guard FileManager.default.fileExists(atPath: url.path) else { throw TabularError.fileNotFound(path: source) }
        let descriptor = open(url.path, O_RDONLY)
        guard descriptor >= 0 else {
            throw TabularError.unreadableFile(path: source, reason: String(cString: strerror(errno)))
        }
        self.descriptor = descriptor
        self.chunk = [UInt8](repeating: 0, count: max(chunkSize, 64))
        let options = UInt8(CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL | CSV_EMPTY_IS_NULL | CSV_APPEND_NULL)
        guard csv_init(&parser, options) == 0 else {
            close(descriptor)
            throw TabularError.unreadableFile(path: source, reason: "libcsv could not allocate its parser")
        }
        csv_set_delim(&parser, delimiter)
        self.delimiter = delimiter
        self.trimWhitespace = trimWhitespace
    }

    deinit {
        csv_free(&parser)
        close(descriptor)
        state.deinitialize(count: 1)
        state.deallocate()
    }

    /// The next batch of at least `minimumRecords` records (fewer at the end of the file), or
    /// nil once every record has been returned.
    public func nextBatch(minimumRecords: Int = 16_384) throws -> CSVRecordBatch? {
        if let batch = pending {
            pending = nil
            if batch.recordCount > 0 { return batch }
        }
        state.pointee.batch.removeCompletedRecords()
        try fillBatch(minimumRecords: minimumRecords)
        // Readers of a batch look at its complete records only; the fields of a record still
        // open at the end of the chunk stay for the next call.
        if state.pointee.batch.recordCount > 0 { return state.pointee.batch }
        try state.pointee.throwPendingError(source: source)
        return nil
    }

    /// Every remaining record, one batch at a time. The batch is lent, not copied, so the
    /// reader refills the same buffers: `body` must not keep it.
    public func forEachBatch(minimumRecords: Int = 16_384, _ body: (CSVRecordBatch) throws -> Void) throws {
        if let batch = pending {
            pending = nil
            if batch.recordCount > 0 { try body(batch) }
        }
        while true {
            state.pointee.batch.removeCompletedRecords()
            try fillBatch(minimumRecords: minimumRecords)
            guard state.pointee.batch.recordCount > 0 else {
                try state.pointee.throwPendingError(source: source)
                return
            }
            try body(state.pointee.batch)
        }
    }

    /// Parses chunks until the batch holds `minimumRecords` complete records or the input ends.
    /// A parse error met after complete records waits for the next call, so those records are
    /// handed out first and a problem among them is reported before it: the file's first
    /// problem comes first, whatever the chunk size.
    private func fillBatch(minimumRecords: Int) throws {
        while state.pointee.batch.recordCount < minimumRecords && canParseMore {
            do {
                try parseNextChunk()
            } catch {
                guard state.pointee.batch.recordCount > 0 else { throw error }
                deferredError = error
                return
            }
        }
    }

    private func readHeader() throws {
        // The header, then at least one record, so a header-only file fails here. A parse
        // error after them waits until the records before it have been handed out, so the
        // first problem in the file is reported whatever the chunk size.
        do {
            while state.pointee.batch.recordCount < 2 && canParseMore { try parseNextChunk() }
        } catch {
            guard state.pointee.batch.recordCount >= 2 else { throw error }
            deferredError = error
        }
        guard state.pointee.batch.recordCount > 0 else { throw TabularError.emptyFile(source: source) }
        var names: [String] = []
        for field in 0..<state.pointee.batch.fieldCount(ofRecord: 0) {
            guard let name = state.pointee.batch.string(record: 0, field: field) else {
                throw TabularError.invalidUTF8(source: source, location: .line(state.pointee.batch.recordLines[0]), column: nil)
            }
            names.append(name)
        }
        var positions: [String: [Int]] = [:]
        for (index, name) in names.enumerated() { positions[name, default: []].append(index + 1) }
        if let duplicate = names.first(where: { positions[$0]!.count > 1 }) {
            throw TabularError.duplicateColumnName(source: source, name: duplicate, positions: positions[duplicate]!)
        }
        header = names
        guard state.pointee.batch.recordCount > 1 else {
            try state.pointee.throwPendingError(source: source)
            throw TabularError.headerOnly(source: source)
        }
        // Keep the records after the header for the first `nextBatch`.
        var rest = CSVRecordBatch()
        let batch = state.pointee.batch
        for record in 1..<batch.recordCount {
            for field in 0..<batch.fieldCount(ofRecord: record) {
                let index = batch.recordStarts[record] + field
                let length = Int(batch.fieldLengths[index])
                batch.bytes.withUnsafeBytes { all in
                    rest.appendField(length < 0 ? nil : all.baseAddress! + batch.fieldStarts[index], count: max(length, 0),
                                     nulTerminated: true)
                }
            }
            rest.endRecord(line: batch.recordLines[record])
        }
        pending = rest
        state.pointee.batch.removeCompletedRecords()
    }

    /// Reads the next chunk (stopping at `readLimit`) and runs libcsv over it; at the end,
    /// finishes the parser. A chunk holding a NUL byte is a binary file, reported before the
    /// chunk is parsed.
    func parseNextChunk() throws {
        if let error = deferredError {
            deferredError = nil
            atEndOfFile = true
            throw error
        }
        let wanted = readLimit.map { min(chunk.count, $0 - bytesRead) } ?? chunk.count
        let count = wanted <= 0 ? 0 : chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, wanted) }
        guard count >= 0 else {
            throw TabularError.unreadableFile(path: source, reason: String(cString: strerror(errno)))
        }
        bytesRead += count
        if count == 0 {
            atEndOfFile = true
            state.pointee.chunkHasQuotes = true
            let status = withUnsafeMutablePointer(to: &parser) { parser in
                csv_fini(parser, fieldCallback, recordCallback, UnsafeMutableRawPointer(state))
            }
            if status != 0 {
                let line = state.pointee.fieldsInRecord > 0 ? state.pointee.recordStartLine : state.pointee.line
                state.pointee.batch.discardOpenRecord()
                throw TabularError.unterminatedQuote(source: source, location: .line(line))
            }
            reportSkippedRecords()
            return
        }
        try chunk.withUnsafeBytes { all in
            var bytes = UnsafeRawBufferPointer(rebasing: all[0..<count])
            if isFirstChunk {
                isFirstChunk = false
                if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = UnsafeRawBufferPointer(rebasing: bytes[3...]) }
            }
            guard let base = bytes.baseAddress else { return }
            if let nul = memchr(base, 0, bytes.count) {
                let offset = base.distance(to: UnsafeRawPointer(nul))
                throw TabularError.binaryFile(source: source, location: .line(newlinesBeforeChunk + countNewlines(base, offset) + 1))
            }
            let parsedCount = bytes.count
            if !trimWhitespace {
                // Keeping spaces needs a space function that answers "no", which libcsv calls
                // for every byte; a chunk without spaces or tabs has nothing to trim, so its
                // bytes take libcsv's inline test instead.
                let hasBlanks = memchr(base, 0x20, parsedCount) != nil || memchr(base, 0x09, parsedCount) != nil
                csv_set_space_func(&parser, hasBlanks ? neverSpace : nil)
            }
            // A field holds a line end only when quoted: without a quote in the chunk and no
            // quoted field open from the last one, the field callbacks skip counting them.
            state.pointee.chunkHasQuotes = parser.quoted != 0 || memchr(base, 0x22, parsedCount) != nil
            let processed = withUnsafeMutablePointer(to: &parser) { parser in
                csv_parse(parser, base, parsedCount, fieldCallback, recordCallback,
                          UnsafeMutableRawPointer(state))
            }
            if processed < parsedCount {
                let line = newlinesBeforeChunk + countNewlines(base, processed) + 1
                if csv_error(&parser) == CSV_EPARSE {
                    throw TabularError.malformedQuote(source: source, location: .line(line))
                }
                throw TabularError.unreadableFile(path: source, reason: String(cString: csv_strerror(csv_error(&parser))))
            }
            newlinesBeforeChunk += countNewlines(base, bytes.count)
        }
        reportSkippedRecords()
    }

    /// Stops reading at file offset `end` (a record boundary at or after `bytesRead`), so
    /// this reader covers the first `CSVByteRange` and other readers the rest.
    func limitReading(to end: Int) {
        precondition(end >= bytesRead, "the reader is already past offset \(end)")
        readLimit = end
    }

    /// True while there is more to parse: not at the end, no record with a wrong field count.
    var canParseMore: Bool { !atEndOfFile && state.pointee.fieldCountError == nil }
}

extension CSVReader {
    /// Switches libcsv to typed callbacks from the next chunk on (see `readColumns`).
    func useColumnCallbacks() {
        fieldCallback = csvColumnFieldCallback
        recordCallback = csvColumnRecordCallback
    }

    fileprivate func reportSkippedRecords() {
        guard let handler = onWrongFieldCount, !state.pointee.skippedRecords.isEmpty else { return }
        for skipped in state.pointee.skippedRecords {
            handler(.wrongFieldCount(source: source, location: .line(skipped.line), expected: state.pointee.expectedFieldCount ?? 0, found: skipped.found))
        }
        state.pointee.skippedRecords.removeAll()
    }
}

/// libcsv's space test when whitespace is kept: nothing is a space.
private let neverSpace: @convention(c) (UInt8) -> Int32 = { _ in 0 }

/// The number of LF bytes in the first `count` bytes at `start`.
@inline(__always)
func countNewlines(_ start: UnsafeRawPointer, _ count: Int) -> Int {
    if count < 32 {
        // Most fields are short: a plain loop beats a call to memchr.
        let bytes = start.assumingMemoryBound(to: UInt8.self)
        var newlines = 0
        for index in 0..<count where bytes[index] == 0x0A { newlines += 1 }
        return newlines
    }
    var newlines = 0
    var cursor = start
    var remaining = count
    while remaining > 0, let found = memchr(cursor, 0x0A, remaining) {
        newlines += 1
        let advance = cursor.distance(to: UnsafeRawPointer(found)) + 1
        cursor += advance
        remaining -= advance
    }
    return newlines
}

/// What the libcsv callbacks write into: the batch being filled and the line bookkeeping.
struct CSVParseState {
    var batch = CSVRecordBatch()
    /// The physical line the parser is on (1-based).
    var line = 1
    var fieldsInRecord = 0
    var recordStartLine = 1
    /// The chunk being parsed holds a quote, so a field may hold line ends.
    var chunkHasQuotes = true
    /// The last line end was a CR; an LF right after it belongs to the same line end.
    var pendingCarriageReturn = false
    /// The header's field count, once known.
    var expectedFieldCount: Int?
    /// Typed parsing straight into columns (`CSVReader.readColumns`), when in use.
    var columns: UnsafeMutablePointer<CSVColumnSink>?
    /// The first record with the wrong number of fields (thrown after `csv_parse` returns,
    /// because a callback cannot stop libcsv).
    var fieldCountError: (line: Int, found: Int)?

    /// Skip records with the wrong field count and list them in `skippedRecords`.
    var skipsWrongFieldCounts = false
    var skippedRecords: [(line: Int, found: Int)] = []

    func throwPendingError(source: String) throws {
        if let error = fieldCountError, let expected = expectedFieldCount {
            throw TabularError.wrongFieldCount(source: source, location: .line(error.line), expected: expected, found: error.found)
        }
    }

    /// The line bookkeeping every field callback does: note where a record starts, count
    /// the newlines inside the field. Returns the field's position in its record.
    @inline(__always)
    mutating func beginField(_ pointer: UnsafeMutableRawPointer?, count: Int) -> Int {
        if fieldsInRecord == 0 {
            recordStartLine = line
            pendingCarriageReturn = false
        }
        if chunkHasQuotes, let pointer, count > 0 { line += countNewlines(pointer, count) }
        fieldsInRecord += 1
        return fieldsInRecord - 1
    }
}

/// libcsv's per-field callback (`cb1`): copy the field and count the newlines inside it.
let csvFieldCallback: @convention(c) (UnsafeMutableRawPointer?, Int, UnsafeMutableRawPointer?) -> Void = { pointer, count, context in
    guard let context else { return }
    let state = context.assumingMemoryBound(to: CSVParseState.self)
    _ = state.pointee.beginField(pointer, count: count)
    state.pointee.batch.appendField(pointer.map { UnsafeRawPointer($0) }, count: count)
}

/// libcsv's per-record callback (`cb2`), called with the line-end byte (or −1 at the end of
/// the file): close the record, check its field count, advance the line.
let csvRecordCallback: @convention(c) (Int32, UnsafeMutableRawPointer?) -> Void = { terminator, context in
    guard let context else { return }
    let state = context.assumingMemoryBound(to: CSVParseState.self)
    if state.pointee.fieldsInRecord == 0 {
        // A line end outside any record: the LF of a CRLF, or a blank line.
        if terminator == 0x0A && state.pointee.pendingCarriageReturn {
            state.pointee.pendingCarriageReturn = false
        } else if terminator == 0x0A || terminator == 0x0D {
            if state.pointee.expectedFieldCount == 1 {
                // In a one-column file a blank line is a record whose one field is empty
                // (how a missing value is written there); elsewhere blank lines are skipped.
                state.pointee.batch.appendField(nil, count: 0)
                state.pointee.batch.endRecord(line: state.pointee.line)
            }
            state.pointee.line += 1
            state.pointee.pendingCarriageReturn = terminator == 0x0D
        }
        return
    }
    if state.pointee.fieldCountError != nil {
        // Past a record with the wrong field count nothing more is handed out: the records
        // before it are read (their own errors come first), then the reader throws.
        state.pointee.batch.discardOpenRecord()
    } else if let expected = state.pointee.expectedFieldCount, state.pointee.fieldsInRecord != expected {
        if state.pointee.skipsWrongFieldCounts {
            state.pointee.skippedRecords.append((state.pointee.recordStartLine, state.pointee.fieldsInRecord))
        } else {
            state.pointee.fieldCountError = (state.pointee.recordStartLine, state.pointee.fieldsInRecord)
        }
        state.pointee.batch.discardOpenRecord()
    } else {
        if state.pointee.expectedFieldCount == nil { state.pointee.expectedFieldCount = state.pointee.fieldsInRecord }
        state.pointee.batch.endRecord(line: state.pointee.recordStartLine)
    }
    state.pointee.fieldsInRecord = 0
    if terminator == 0x0A || terminator == 0x0D {
        state.pointee.line += 1
        state.pointee.pendingCarriageReturn = terminator == 0x0D
    }
}
