/// What to do with the field at one position of a record in typed reading.
enum CSVFieldPlan {
    case skip
    /// Parse as a number into slot `slot` (schema column `column`). The parser is unowned:
    /// `readColumns` keeps it alive, and the callback borrows it without reference counting.
    case number(column: Int, slot: Int, parser: Unmanaged<ColumnParser>)
    /// Parse as a category code into slot `slot` (schema column `column`).
    case category(column: Int, slot: Int, parser: Unmanaged<ColumnParser>)
}

/// A run of records read as typed columns, lent to the consumer for one call: slot `p` holds
/// the values of the `p`-th column `readColumns` was asked for (numbers or category codes,
/// by the column's kind), and each record's line.
struct CSVColumnBatch {
    fileprivate let numberStorage: UnsafePointer<Double>
    fileprivate let codeStorage: UnsafePointer<Int32>
    fileprivate let lineStorage: UnsafePointer<Int>
    fileprivate let capacity: Int
    let recordCount: Int

    /// The values of a numeric slot (NaN for missing).
    func numbers(slot: Int) -> UnsafeBufferPointer<Double> {
        UnsafeBufferPointer(start: numberStorage + slot * capacity, count: recordCount)
    }

    /// The codes of a categorical slot (−1 for missing).
    func codes(slot: Int) -> UnsafeBufferPointer<Int32> {
        UnsafeBufferPointer(start: codeStorage + slot * capacity, count: recordCount)
    }

    /// The physical line on which record `record` of the batch starts.
    func line(ofRecord record: Int) -> Int { lineStorage[record] }
}

/// The typed-reading state the libcsv callbacks write into (behind a raw pointer): one
/// batch of slots, filled in place and handed to `consume` each time it is full.
struct CSVColumnSink {
    /// One plan per field position (raw memory: read per cell without reference counting).
    let plans: UnsafeMutableBufferPointer<CSVFieldPlan>
    let capacity: Int
    let numbers: UnsafeMutablePointer<Double>
    let codes: UnsafeMutablePointer<Int32>
    let lines: UnsafeMutablePointer<Int>
    let consume: (CSVColumnBatch) throws -> Void
    /// Complete records in the batch.
    var recordCount = 0
    /// The first field that could not be read (callbacks cannot throw).
    var failure: (problem: FieldProblem, column: Int, line: Int)?
    /// What `consume` threw.
    var consumerError: Error?
    /// A problem was met (a field, a field count, or the consumer): later records are dropped,
    /// so every record handed out precedes it.
    var stopped = false

    /// Hands the complete records to `consume` and starts an empty batch.
    mutating func deliver() {
        guard recordCount > 0, consumerError == nil else { return }
        let batch = CSVColumnBatch(numberStorage: numbers, codeStorage: codes, lineStorage: lines, capacity: capacity,
                                   recordCount: recordCount)
        recordCount = 0
        do { try consume(batch) } catch {
            consumerError = error
            stopped = true
        }
    }
}

extension CSVReader {
    /// Reads every remaining record straight into typed columns: libcsv's field callback
    /// parses each field of `columns` where it stands (no copy into record batches) into a
    /// batch of `batchCapacity` records, and `consume` receives each full batch (and the last
    /// one) on this thread, to encode before the reader goes on.
    ///
    /// Fields of other columns are skipped unread. Errors come in file order: at the first
    /// problem (a field that does not parse, a wrong field count, an error thrown by
    /// `consume`, a malformed quote) reading stops, the records before it are still handed
    /// to `consume` (whose own error, being earlier, then wins), and the problem is thrown.
    func readColumns(builder: TableBuilder, columns: [Int], batchCapacity: Int,
                     _ consume: @escaping (CSVColumnBatch) throws -> Void) throws {
        let schema = builder.schema
        let plans = UnsafeMutableBufferPointer<CSVFieldPlan>.allocate(capacity: header.count)
        plans.initialize(repeating: .skip)
        for (slot, column) in columns.enumerated() {
            let parser = Unmanaged.passUnretained(builder.parsers[column])
            plans[builder.fieldPositions[column]] = schema.columns[column].kind.isNumeric
                ? .number(column: column, slot: slot, parser: parser) : .category(column: column, slot: slot, parser: parser)
        }
        let capacity = max(1, batchCapacity)
        let numbers = UnsafeMutablePointer<Double>.allocate(capacity: max(1, columns.count) * capacity)
        let codes = UnsafeMutablePointer<Int32>.allocate(capacity: max(1, columns.count) * capacity)
        let lines = UnsafeMutablePointer<Int>.allocate(capacity: capacity)
        let sink = UnsafeMutablePointer<CSVColumnSink>.allocate(capacity: 1)
        sink.initialize(to: CSVColumnSink(plans: plans, capacity: capacity, numbers: numbers, codes: codes, lines: lines,
                                          consume: consume))
        defer {
            state.pointee.columns = nil
            sink.deinitialize(count: 1)
            sink.deallocate()
            plans.deallocate()
            numbers.deallocate()
            codes.deallocate()
            lines.deallocate()
        }
        try withExtendedLifetime(builder.parsers) {
            state.pointee.columns = sink
            moveRecordBatchesToColumns(sink)
            useColumnCallbacks()
            var readError: Error?
            while !atEndOfFile && !sink.pointee.stopped {
                do { try parseNextChunk() } catch {
                    readError = error
                    break
                }
            }
            sink.pointee.deliver()
            if let error = sink.pointee.consumerError { throw error }
            if let failure = sink.pointee.failure {
                throw builder.error(for: failure.problem, column: failure.column, location: .line(failure.line))
            }
            try state.pointee.throwPendingError(source: source)
            if let readError { throw readError }
        }
    }

    /// Sends the records parsed while looking for the header (still in record batches), and
    /// the fields of a record left open at the end of the last chunk, through the typed path.
    private func moveRecordBatchesToColumns(_ sink: UnsafeMutablePointer<CSVColumnSink>) {
        // A wrong field count met while reading the header's chunks lies after every pending
        // record: hand those out first.
        let fieldCountError = state.pointee.fieldCountError
        state.pointee.fieldCountError = nil
        let open = (fields: state.pointee.fieldsInRecord, line: state.pointee.recordStartLine)
        if let batch = pending {
            pending = nil
            for record in 0..<batch.recordCount {
                state.pointee.recordStartLine = batch.recordLines[record]
                state.pointee.fieldsInRecord = batch.fieldCount(ofRecord: record)
                storeFields(of: batch, from: batch.recordStarts[record], count: batch.fieldCount(ofRecord: record), sink)
                endColumnRecord(state, sink)
            }
        }
        state.pointee.fieldsInRecord = open.fields
        state.pointee.recordStartLine = open.line
        if let fieldCountError, state.pointee.fieldCountError == nil, sink.pointee.failure == nil {
            state.pointee.fieldCountError = fieldCountError
            sink.pointee.stopped = true
        }
        let batch = state.pointee.batch
        let openStart = batch.recordStarts[batch.recordStarts.count - 1]
        storeFields(of: batch, from: openStart, count: batch.fieldStarts.count - openStart, sink)
        state.pointee.batch.removeAll()
    }

    /// Stores `count` fields of `batch` from field index `start` as positions 0, 1, ….
    private func storeFields(of batch: CSVRecordBatch, from start: Int, count: Int, _ sink: UnsafeMutablePointer<CSVColumnSink>) {
        batch.bytes.withUnsafeBytes { bytes in
            for position in 0..<count {
                let length = Int(batch.fieldLengths[start + position])
                storeColumnField(state, sink, position: position,
                                 pointer: length < 0 ? nil : bytes.baseAddress.map { $0 + batch.fieldStarts[start + position] },
                                 count: max(length, 0))
            }
        }
    }
}

/// Parses one field into its slot of the open record, or remembers why it could not.
@inline(__always)
private func storeColumnField(_ state: UnsafeMutablePointer<CSVParseState>, _ sink: UnsafeMutablePointer<CSVColumnSink>,
                              position: Int, pointer: UnsafeRawPointer?, count: Int) {
    guard !sink.pointee.stopped, position < sink.pointee.plans.count else { return }
    let text = UnsafeBufferPointer(start: pointer?.assumingMemoryBound(to: UInt8.self), count: pointer == nil ? 0 : count)
    let record = sink.pointee.recordCount
    switch sink.pointee.plans[position] {
    case .skip:
        return
    case .number(let column, let slot, let parser):
        do {
            let value = try parser._withUnsafeGuaranteedRef {
                try $0.parseNumber(text, unquotedEmpty: pointer == nil, nulTerminated: true)
            }
            sink.pointee.numbers[slot * sink.pointee.capacity + record] = value
        } catch {
            sink.pointee.failure = ((error as? FieldProblem) ?? .invalidUTF8, column, state.pointee.recordStartLine)
            sink.pointee.stopped = true
        }
    case .category(let column, let slot, let parser):
        do {
            // An unknown label read as missing (`mapToNull`) keeps its own code: the encoder
            // encodes it as missing and counts it in its report.
            sink.pointee.codes[slot * sink.pointee.capacity + record] =
                try parser._withUnsafeGuaranteedRef { try $0.parseCategory(text, unquotedEmpty: pointer == nil) }
        } catch {
            sink.pointee.failure = ((error as? FieldProblem) ?? .invalidUTF8, column, state.pointee.recordStartLine)
            sink.pointee.stopped = true
        }
    }
}

/// Closes the open record (`state.fieldsInRecord` fields from `state.recordStartLine`):
/// checks its field count and keeps it, handing the batch out when full; drops it after a
/// problem.
@inline(__always)
private func endColumnRecord(_ state: UnsafeMutablePointer<CSVParseState>, _ sink: UnsafeMutablePointer<CSVColumnSink>) {
    defer { state.pointee.fieldsInRecord = 0 }
    guard !sink.pointee.stopped else { return }
    if let expected = state.pointee.expectedFieldCount, state.pointee.fieldsInRecord != expected {
        state.pointee.fieldCountError = (state.pointee.recordStartLine, state.pointee.fieldsInRecord)
        sink.pointee.stopped = true
        return
    }
    sink.pointee.lines[sink.pointee.recordCount] = state.pointee.recordStartLine
    sink.pointee.recordCount += 1
    if sink.pointee.recordCount == sink.pointee.capacity { sink.pointee.deliver() }
}

/// libcsv's per-field callback in typed reading: count embedded newlines, parse in place.
let csvColumnFieldCallback: @convention(c) (UnsafeMutableRawPointer?, Int, UnsafeMutableRawPointer?) -> Void = { pointer, count, context in
    guard let context else { return }
    let state = context.assumingMemoryBound(to: CSVParseState.self)
    let position = state.pointee.beginField(pointer, count: count)
    guard let sink = state.pointee.columns else { return }
    storeColumnField(state, sink, position: position, pointer: pointer.map { UnsafeRawPointer($0) }, count: count)
}

/// libcsv's per-record callback in typed reading: the same line bookkeeping as
/// `csvRecordCallback`, then the record closed by `endColumnRecord`.
let csvColumnRecordCallback: @convention(c) (Int32, UnsafeMutableRawPointer?) -> Void = { terminator, context in
    guard let context else { return }
    let state = context.assumingMemoryBound(to: CSVParseState.self)
    guard let sink = state.pointee.columns else { return }
    let isLineEnd = terminator == 0x0A || terminator == 0x0D
    if state.pointee.fieldsInRecord == 0 {
        if terminator == 0x0A && state.pointee.pendingCarriageReturn {
            state.pointee.pendingCarriageReturn = false
            return
        }
        guard isLineEnd else { return }
        if state.pointee.expectedFieldCount == 1 {
            // A blank line in a one-column file is a record holding one missing value.
            state.pointee.recordStartLine = state.pointee.line
            storeColumnField(state, sink, position: 0, pointer: nil, count: 0)
            state.pointee.fieldsInRecord = 1
            endColumnRecord(state, sink)
        }
        state.pointee.line += 1
        state.pointee.pendingCarriageReturn = terminator == 0x0D
        return
    }
    endColumnRecord(state, sink)
    if isLineEnd {
        state.pointee.line += 1
        state.pointee.pendingCarriageReturn = terminator == 0x0D
    }
}
