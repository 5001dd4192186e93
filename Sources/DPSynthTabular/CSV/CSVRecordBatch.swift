/// A run of parsed CSV records, stored flat: every field's bytes end to end (each followed by
/// a NUL so `strtod` can read it in place), the fields' offsets and lengths, and each
/// record's first field and physical line. One allocation per batch instead of one `String`
/// per cell keeps parsing near memory speed.
public struct CSVRecordBatch {
    /// Field bytes, each field followed by one NUL byte.
    public internal(set) var bytes: [UInt8] = []
    /// Offset of each field's first byte in `bytes`.
    var fieldStarts: [Int] = []
    /// Each field's length; −1 for an unquoted empty field (libcsv's CSV_EMPTY_IS_NULL), 0
    /// for a quoted empty one (`""`).
    var fieldLengths: [Int32] = []
    /// Index in `fieldStarts` of each record's first field; one more entry than records.
    var recordStarts: [Int] = [0]
    /// The physical line (1-based) on which each record starts.
    public internal(set) var recordLines: [Int] = []

    public var recordCount: Int { recordLines.count }

    public func fieldCount(ofRecord record: Int) -> Int {
        recordStarts[record + 1] - recordStarts[record]
    }

    /// True when the field was empty and unquoted.
    @inline(__always)
    func isUnquotedEmpty(record: Int, field: Int) -> Bool {
        fieldLengths[recordStarts[record] + field] < 0
    }

    /// Calls `body` with the field's bytes (empty for an unquoted empty field); the pointer is
    /// followed in memory by a NUL byte.
    @inline(__always)
    func withField<R>(record: Int, field: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let index = recordStarts[record] + field
        let start = fieldStarts[index]
        let length = max(0, Int(fieldLengths[index]))
        return try bytes.withUnsafeBufferPointer { all in
            // An empty field still points at its own NUL, so the base address is never nil.
            try body(UnsafeBufferPointer(rebasing: all[start..<(start + length)]))
        }
    }

    /// Calls `body` with the record index, the bytes and the unquoted-empty flag of field
    /// `position` of every complete record, fetching the batch's buffers once.
    @inline(__always)
    func forEachField(position: Int,
                      _ body: (Int, UnsafeBufferPointer<UInt8>, Bool) throws -> Void) rethrows {
        let records = recordCount
        try bytes.withUnsafeBufferPointer { bytes in
            try fieldStarts.withUnsafeBufferPointer { fieldStarts in
                try fieldLengths.withUnsafeBufferPointer { fieldLengths in
                    try recordStarts.withUnsafeBufferPointer { recordStarts in
                        guard let base = bytes.baseAddress else { return }
                        for record in 0..<records {
                            let index = recordStarts[record] + position
                            let length = Int(fieldLengths[index])
                            try body(record, UnsafeBufferPointer(start: base + fieldStarts[index], count: max(length, 0)), length < 0)
                        }
                    }
                }
            }
        }
    }

    /// The field as a String, or nil when its bytes are not valid UTF-8.
    public func string(record: Int, field: Int) -> String? {
        withField(record: record, field: field) { String(validating: $0, as: UTF8.self) }
    }

    /// Drops the records already handed out, keeping the fields of a record still open at
    /// the end of the last chunk.
    mutating func removeCompletedRecords() {
        // When a consumer still holds the last batch, the removal below copies into fresh
        // buffers; keep their capacity so refilling does not grow them step by step.
        let capacities = (bytes: bytes.capacity, fields: fieldStarts.capacity, records: recordLines.capacity)
        defer {
            bytes.reserveCapacity(capacities.bytes)
            fieldStarts.reserveCapacity(capacities.fields)
            fieldLengths.reserveCapacity(capacities.fields)
            recordStarts.reserveCapacity(capacities.records)
            recordLines.reserveCapacity(capacities.records)
        }
        let openStart = recordStarts[recordStarts.count - 1]
        guard openStart < fieldStarts.count else { removeAll(); return }
        let byteStart = fieldStarts[openStart]
        bytes.removeSubrange(0..<byteStart)
        fieldStarts.removeSubrange(0..<openStart)
        for index in fieldStarts.indices { fieldStarts[index] -= byteStart }
        fieldLengths.removeSubrange(0..<openStart)
        recordStarts.removeAll(keepingCapacity: true)
        recordStarts.append(0)
        recordLines.removeAll(keepingCapacity: true)
    }

    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        fieldStarts.removeAll(keepingCapacity: true)
        fieldLengths.removeAll(keepingCapacity: true)
        recordStarts.removeAll(keepingCapacity: true)
        recordStarts.append(0)
        recordLines.removeAll(keepingCapacity: true)
    }

    /// Appends a field. libcsv runs with CSV_APPEND_NULL, so the byte after the field is
    /// already a NUL and one copy of `count + 1` bytes stores the field and its terminator.
    @inline(__always)
    mutating func appendField(_ pointer: UnsafeRawPointer?, count: Int, nulTerminated: Bool = true) {
        fieldStarts.append(bytes.count)
        if let pointer {
            fieldLengths.append(Int32(clamping: count))
            if nulTerminated {
                bytes.append(contentsOf: UnsafeBufferPointer(start: pointer.assumingMemoryBound(to: UInt8.self), count: count + 1))
            } else {
                bytes.append(contentsOf: UnsafeBufferPointer(start: pointer.assumingMemoryBound(to: UInt8.self), count: count))
                bytes.append(0)
            }
        } else {
            fieldLengths.append(-1)
            bytes.append(0)
        }
    }

    mutating func endRecord(line: Int) {
        recordStarts.append(fieldStarts.count)
        recordLines.append(line)
    }

    /// Drops the fields of a record that was started but not ended.
    mutating func discardOpenRecord() {
        let start = recordStarts[recordStarts.count - 1]
        guard fieldStarts.count > start else { return }
        bytes.removeSubrange(fieldStarts[start]...)
        fieldStarts.removeSubrange(start...)
        fieldLengths.removeSubrange(start...)
    }
}
