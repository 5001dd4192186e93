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
/// included) and CSV_EMPTY_IS_NULL (an unquoted empty field differs from `""`). A UTF-8 byte
/// order mark is skipped. Lines are counted from 1, newlines inside quoted fields included.
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
    private let state = CSVParseState()
    private var chunk: [UInt8]
    private var atEndOfFile = false
    private var isFirstChunk = true
    private var newlinesBeforeChunk = 0
    /// Records parsed ahead of the caller (while looking for the header and the first record).
    private var pending: CSVRecordBatch?

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
    public init(url: URL, source: String? = nil, delimiter: UInt8 = UInt8(ascii: ","),
                trimWhitespace: Bool = false, chunkSize: Int = 1 << 20,
                onWrongFieldCount: ((TabularError) -> Void)? = nil) throws {
        self.source = source ?? url.path
        self.onWrongFieldCount = onWrongFieldCount
        state.skipsWrongFieldCounts = onWrongFieldCount != nil
        guard FileManager.default.fileExists(atPath: url.path) else { throw TabularError.fileNotFound(path: self.source) }
        let descriptor = open(url.path, O_RDONLY)
        guard descriptor >= 0 else {
            throw TabularError.unreadableFile(path: self.source, reason: String(cString: strerror(errno)))
        }
        self.descriptor = descriptor
        self.chunk = [UInt8](repeating: 0, count: max(chunkSize, 64))
        let options = UInt8(CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL | CSV_EMPTY_IS_NULL)
        guard csv_init(&parser, options) == 0 else {
            close(descriptor)
            throw TabularError.unreadableFile(path: self.source, reason: "libcsv could not allocate its parser")
        }
        csv_set_delim(&parser, delimiter)
        if !trimWhitespace { csv_set_space_func(&parser) { _ in 0 } }
        try readHeader()
    }

    deinit {
        csv_free(&parser)
        close(descriptor)
    }

    /// The next batch of at least `minimumRecords` records (fewer at the end of the file), or
    /// nil once every record has been returned.
    public func nextBatch(minimumRecords: Int = 16_384) throws -> CSVRecordBatch? {
        if let batch = pending {
            pending = nil
            if batch.recordCount > 0 { return batch }
        }
        state.batch.removeCompletedRecords()
        while state.batch.recordCount < minimumRecords && !atEndOfFile {
            try parseNextChunk()
        }
        guard state.batch.recordCount > 0 else { return nil }
        var batch = state.batch
        // Hand out complete records only; the open one stays for the next call.
        batch.discardOpenRecord()
        return batch
    }

    /// Every remaining record, one batch at a time.
    public func forEachBatch(minimumRecords: Int = 16_384, _ body: (CSVRecordBatch) throws -> Void) throws {
        while let batch = try nextBatch(minimumRecords: minimumRecords) { try body(batch) }
    }

    private func readHeader() throws {
        // The header, then at least one record, so a header-only file fails here.
        while state.batch.recordCount < 2 && !atEndOfFile { try parseNextChunk() }
        guard state.batch.recordCount > 0 else { throw TabularError.emptyFile(source: source) }
        var names: [String] = []
        for field in 0..<state.batch.fieldCount(ofRecord: 0) {
            guard let name = state.batch.string(record: 0, field: field) else {
                throw TabularError.invalidUTF8(source: source, location: .line(state.batch.recordLines[0]), column: nil)
            }
            names.append(name)
        }
        var positions: [String: [Int]] = [:]
        for (index, name) in names.enumerated() { positions[name, default: []].append(index + 1) }
        if let duplicate = names.first(where: { positions[$0]!.count > 1 }) {
            throw TabularError.duplicateColumnName(source: source, name: duplicate, positions: positions[duplicate]!)
        }
        header = names
        guard state.batch.recordCount > 1 else { throw TabularError.headerOnly(source: source) }
        // Keep the records after the header for the first `nextBatch`.
        var rest = CSVRecordBatch()
        let batch = state.batch
        for record in 1..<batch.recordCount {
            for field in 0..<batch.fieldCount(ofRecord: record) {
                let index = batch.recordStarts[record] + field
                let length = Int(batch.fieldLengths[index])
                batch.bytes.withUnsafeBytes { all in
                    rest.appendField(length < 0 ? nil : all.baseAddress! + batch.fieldStarts[index], count: max(length, 0))
                }
            }
            rest.endRecord(line: batch.recordLines[record])
        }
        pending = rest
        state.batch.removeCompletedRecords()
    }

    private func parseNextChunk() throws {
        let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        guard count >= 0 else {
            throw TabularError.unreadableFile(path: source, reason: String(cString: strerror(errno)))
        }
        if count == 0 {
            atEndOfFile = true
            let status = withUnsafeMutablePointer(to: &parser) { parser in
                csv_fini(parser, csvFieldCallback, csvRecordCallback, Unmanaged.passUnretained(state).toOpaque())
            }
            if status != 0 {
                let line = state.fieldsInRecord > 0 ? state.recordStartLine : state.line
                state.batch.discardOpenRecord()
                throw TabularError.unterminatedQuote(source: source, location: .line(line))
            }
            reportSkippedRecords()
            try state.throwPendingError(source: source)
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
            let processed = withUnsafeMutablePointer(to: &parser) { parser in
                csv_parse(parser, base, bytes.count, csvFieldCallback, csvRecordCallback,
                          Unmanaged.passUnretained(state).toOpaque())
            }
            if processed < bytes.count {
                let line = newlinesBeforeChunk + countNewlines(base, processed) + 1
                if csv_error(&parser) == CSV_EPARSE {
                    throw TabularError.malformedQuote(source: source, location: .line(line))
                }
                throw TabularError.unreadableFile(path: source, reason: String(cString: csv_strerror(csv_error(&parser))))
            }
            newlinesBeforeChunk += countNewlines(base, bytes.count)
        }
        reportSkippedRecords()
        try state.throwPendingError(source: source)
    }
}

extension CSVReader {
    fileprivate func reportSkippedRecords() {
        guard let handler = onWrongFieldCount, !state.skippedRecords.isEmpty else { return }
        for skipped in state.skippedRecords {
            handler(.wrongFieldCount(source: source, location: .line(skipped.line), expected: state.expectedFieldCount ?? 0, found: skipped.found))
        }
        state.skippedRecords.removeAll()
    }
}

/// The number of LF bytes in the first `count` bytes at `start`.
private func countNewlines(_ start: UnsafeRawPointer, _ count: Int) -> Int {
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
final class CSVParseState {
    var batch = CSVRecordBatch()
    /// The physical line the parser is on (1-based).
    var line = 1
    var fieldsInRecord = 0
    var recordStartLine = 1
    /// The last line end was a CR; an LF right after it belongs to the same line end.
    var pendingCarriageReturn = false
    /// The header's field count, once known.
    var expectedFieldCount: Int?
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
}

/// libcsv's per-field callback (`cb1`): copy the field and count the newlines inside it.
private let csvFieldCallback: @convention(c) (UnsafeMutableRawPointer?, Int, UnsafeMutableRawPointer?) -> Void = { pointer, count, context in
    guard let context else { return }
    let state = Unmanaged<CSVParseState>.fromOpaque(context).takeUnretainedValue()
    if state.fieldsInRecord == 0 {
        state.recordStartLine = state.line
        state.pendingCarriageReturn = false
    }
    state.batch.appendField(pointer.map { UnsafeRawPointer($0) }, count: count)
    if let pointer, count > 0 { state.line += countNewlines(pointer, count) }
    state.fieldsInRecord += 1
}

/// libcsv's per-record callback (`cb2`), called with the line-end byte (or −1 at the end of
/// the file): close the record, check its field count, advance the line.
private let csvRecordCallback: @convention(c) (Int32, UnsafeMutableRawPointer?) -> Void = { terminator, context in
    guard let context else { return }
    let state = Unmanaged<CSVParseState>.fromOpaque(context).takeUnretainedValue()
    if state.fieldsInRecord == 0 {
        // A line end outside any record: the LF of a CRLF, or a blank line.
        if terminator == 0x0A && state.pendingCarriageReturn {
            state.pendingCarriageReturn = false
        } else if terminator == 0x0A || terminator == 0x0D {
            if state.expectedFieldCount == 1 {
                // In a one-column file a blank line is a record whose one field is empty
                // (how a missing value is written there); elsewhere blank lines are skipped.
                state.batch.appendField(nil, count: 0)
                state.batch.endRecord(line: state.line)
            }
            state.line += 1
            state.pendingCarriageReturn = terminator == 0x0D
        }
        return
    }
    if let expected = state.expectedFieldCount, state.fieldsInRecord != expected {
        if state.skipsWrongFieldCounts {
            state.skippedRecords.append((state.recordStartLine, state.fieldsInRecord))
            state.batch.discardOpenRecord()
        } else {
            if state.fieldCountError == nil { state.fieldCountError = (state.recordStartLine, state.fieldsInRecord) }
            state.batch.endRecord(line: state.recordStartLine)
        }
    } else {
        if state.expectedFieldCount == nil { state.expectedFieldCount = state.fieldsInRecord }
        state.batch.endRecord(line: state.recordStartLine)
    }
    state.fieldsInRecord = 0
    if terminator == 0x0A || terminator == 0x0D {
        state.line += 1
        state.pendingCarriageReturn = terminator == 0x0D
    }
}
