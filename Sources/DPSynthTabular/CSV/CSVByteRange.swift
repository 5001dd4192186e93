import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A run of whole records of a CSV file, which one thread parses and encodes on its own
/// (`TableEncoder.encodeCSV`), with what its reader needs to start mid-file as if it had read
/// everything before.
struct CSVByteRange: Equatable {
    /// Byte offsets in the file; the lower bound follows a line end outside quotes (or is 0).
    var bytes: Range<Int>
    /// The reader's physical line (1-based) at the first byte.
    var firstLine: Int
    /// LF bytes before the first byte (the reader places quote errors by counting them).
    var newlinesBefore: Int
    /// At most this many records start in the range: its line ends outside quotes, plus one
    /// for a last record without a line end.
    var recordBound: Int
}

extension CSVReader {
    /// Splits a CSV file into byte ranges at record boundaries: split `i` falls right after
    /// the first LF outside quotes at or after offset `splitTargets[i]` (targets that find
    /// none, or fall in an earlier range, are dropped). One pass in constant memory.
    ///
    /// Quote parity from the start of the file is exact for RFC 4180 (an escaped quote `""`
    /// toggles twice); in a file where it is not (a stray quote), libcsv's strict mode stops
    /// at that quote, which lies in an earlier range than any split it displaced, so the
    /// earliest range's error is still the file's first. Line numbers follow the reader's
    /// rules: outside quotes a CR ends a line, and so does an LF unless it completes a CRLF
    /// (with whitespace trimmed, blanks between the CR and the LF do not count, as libcsv
    /// skips them before a field begins); inside quotes an LF does.
    ///
    /// - Throws: `TabularError.binaryFile` at the first NUL byte (checked here for the whole
    ///   file, so the answer does not depend on where chunks or ranges end).
    static func byteRanges(of url: URL, source: String, splitTargets: [Int], trimWhitespace: Bool) throws -> [CSVByteRange] {
        let descriptor = open(url.path, O_RDONLY)
        guard descriptor >= 0 else { throw TabularError.fileNotFound(path: source) }
        defer { close(descriptor) }
        var scanner = LineEndScanner(splitTargets: splitTargets.sorted(), trimWhitespace: trimWhitespace)
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count >= 0 else {
                throw TabularError.unreadableFile(path: source, reason: String(cString: strerror(errno)))
            }
            guard count > 0 else { break }
            try buffer.withUnsafeBufferPointer { bytes in
                guard let base = bytes.baseAddress else { return }
                if let nul = memchr(base, 0, count) {
                    let offset = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(nul))
                    throw TabularError.binaryFile(source: source, location: .line(scanner.newlines + countNewlines(base, offset) + 1))
                }
                scanner.scan(UnsafeBufferPointer(start: base, count: count))
            }
        }
        return scanner.finish()
    }
}

/// The state of `CSVReader.byteRanges`' pass: quote parity, line ends, and the splits so far.
private struct LineEndScanner {
    var splitTargets: ArraySlice<Int>
    let trimWhitespace: Bool
    /// Bytes scanned so far.
    var offset = 0
    var inQuotes = false
    /// The last line end outside quotes was a CR and no field has begun since.
    var pendingCarriageReturn = false
    /// Line ends counted by the reader's rules, and LF bytes, so far.
    var lineEnds = 0
    var newlines = 0
    /// Line ends outside quotes so far (the records' upper bound).
    var recordEnds = 0
    var ranges: [CSVByteRange] = []
    var rangeStart = CSVByteRange(bytes: 0..<0, firstLine: 1, newlinesBefore: 0, recordBound: 0)
    var recordEndsAtRangeStart = 0

    init(splitTargets: [Int], trimWhitespace: Bool) {
        self.splitTargets = splitTargets[...]
        self.trimWhitespace = trimWhitespace
    }

    mutating func scan(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress else { return }
        if !inQuotes && !pendingCarriageReturn && memchr(base, 0x22, bytes.count) == nil && memchr(base, 0x0D, bytes.count) == nil {
            scanPlain(bytes)
        } else {
            scanQuoted(bytes)
        }
        offset += bytes.count
    }

    /// A chunk without quotes or CRs (and none pending): every LF is a line end.
    private mutating func scanPlain(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress else { return }
        var cursor = 0
        while let target = splitTargets.first, target < offset + bytes.count {
            let from = max(target - offset, cursor)
            countPlain(base + cursor, from - cursor)
            guard let found = memchr(base + from, 0x0A, bytes.count - from) else {
                cursor = from
                break
            }
            let lineFeed = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(found))
            countPlain(base + from, lineFeed + 1 - from)
            cursor = lineFeed + 1
            split(at: offset + cursor)
        }
        countPlain(base + cursor, bytes.count - cursor)
    }

    private mutating func countPlain(_ start: UnsafePointer<UInt8>, _ count: Int) {
        // memchr from line end to line end: lines are long enough for its vector loop.
        let ends = countNewlines(start, count)
        lineEnds += ends
        newlines += ends
        recordEnds += ends
    }

    /// Byte by byte, following quotes and CRs.
    private mutating func scanQuoted(_ bytes: UnsafeBufferPointer<UInt8>) {
        for index in 0..<bytes.count {
            let byte = bytes[index]
            if inQuotes {
                if byte == 0x22 {
                    inQuotes = false
                } else if byte == 0x0A {
                    lineEnds += 1
                    newlines += 1
                }
                continue
            }
            switch byte {
            case 0x22:
                inQuotes = true
                pendingCarriageReturn = false
            case 0x0D:
                lineEnds += 1
                recordEnds += 1
                pendingCarriageReturn = true
            case 0x0A:
                newlines += 1
                if pendingCarriageReturn {
                    pendingCarriageReturn = false
                } else {
                    lineEnds += 1
                    recordEnds += 1
                }
                if let target = splitTargets.first, offset + index >= target { split(at: offset + index + 1) }
            case 0x20, 0x09:
                // Trimmed blanks do not begin a field.
                if !trimWhitespace { pendingCarriageReturn = false }
            default:
                pendingCarriageReturn = false
            }
        }
    }

    /// Ends the current range at `end` (right after an LF outside quotes).
    private mutating func split(at end: Int) {
        while let target = splitTargets.first, target < end { splitTargets.removeFirst() }
        var range = rangeStart
        range.bytes = range.bytes.lowerBound..<end
        range.recordBound = recordEnds - recordEndsAtRangeStart
        ranges.append(range)
        rangeStart = CSVByteRange(bytes: end..<end, firstLine: lineEnds + 1, newlinesBefore: newlines, recordBound: 0)
        recordEndsAtRangeStart = recordEnds
    }

    /// The ranges, the last one ending at the end of the file; empty ranges are dropped.
    mutating func finish() -> [CSVByteRange] {
        var last = rangeStart
        last.bytes = last.bytes.lowerBound..<offset
        last.recordBound = recordEnds - recordEndsAtRangeStart + 1
        if !last.bytes.isEmpty || ranges.isEmpty { ranges.append(last) }
        return ranges
    }
}

