/// What to do with the field at one position of a record in typed reading.
enum CSVFieldPlan {
    case skip
    /// Parse as a number into schema column `column`. The parser is unowned: the sink's
    /// `parsers` keeps it alive, and the callback borrows it without reference counting.
    case number(column: Int, parser: Unmanaged<ColumnParser>)
    /// Parse as a category code into schema column `column`.
    case category(column: Int, parser: Unmanaged<ColumnParser>)
}

/// Typed values of a run of records, column by column (schema column index → values; unread
/// columns stay empty), and each record's line.
struct CSVColumnBatch {
    var numbers: [[Double]]
    var codes: [[Int32]]
    var lines: [Int]
    var recordCount: Int { lines.count }
}

/// The typed-reading state the libcsv callbacks write into (behind a raw pointer).
struct CSVColumnSink {
    /// One plan per field position (raw memory: read per cell without reference counting).
    let plans: UnsafeMutableBufferPointer<CSVFieldPlan>
    /// Keeps the parsers the plans point to alive.
    let parsers: [ColumnParser]
    let batchSize: Int
    var numbers: [[Double]]
    var codes: [[Int32]]
    var lines: [Int] = []
    var unknownCategoryCounts: [Int]
    /// The first field that could not be read (callbacks cannot throw).
    var failure: (problem: FieldProblem, column: Int, line: Int)?
    /// Batches completed inside the last `csv_parse` call.
    var ready: [CSVColumnBatch] = []

    /// Hands the values gathered so far to `ready` and starts fresh columns.
    mutating func completeBatch() {
        ready.append(CSVColumnBatch(numbers: numbers, codes: codes, lines: lines))
        for index in numbers.indices {
            numbers[index] = numbers[index].isEmpty && numbers[index].capacity == 0 ? [] : Array(minimumCapacity: batchSize)
            codes[index] = codes[index].isEmpty && codes[index].capacity == 0 ? [] : Array(minimumCapacity: batchSize)
        }
        lines = Array(minimumCapacity: batchSize)
    }
}

private extension Array {
    init(minimumCapacity: Int) {
        self.init()
        reserveCapacity(minimumCapacity)
    }
}

extension CSVReader {
    /// Reads every remaining record straight into typed columns: libcsv's field callback
    /// parses each field of `columns` where it stands (no copy into record batches), and
    /// `body` receives the values in batches of about `batchSize` records.
    ///
    /// Fields of other columns are skipped unread. The first problem in file order (a field
    /// that does not parse, a wrong field count) is thrown once the chunk holding it is done.
    func readColumns(builder: inout TableBuilder, columns: [Int], batchSize: Int,
                     _ body: (CSVColumnBatch) throws -> Void) throws {
        let schema = builder.schema
        // Records parsed while looking for the header are still in record batches.
        if let batch = pending {
            pending = nil
            try body(try columnBatch(from: batch, builder: &builder, columns: columns))
        }
        let plans = UnsafeMutableBufferPointer<CSVFieldPlan>.allocate(capacity: header.count)
        plans.initialize(repeating: .skip)
        for column in columns {
            let parser = Unmanaged.passUnretained(builder.parsers[column])
            plans[builder.fieldPositions[column]] = schema.columns[column].kind.isNumeric
                ? .number(column: column, parser: parser) : .category(column: column, parser: parser)
        }
        let parsers = builder.parsers
        let sink = UnsafeMutablePointer<CSVColumnSink>.allocate(capacity: 1)
        let count = schema.columns.count
        sink.initialize(to: CSVColumnSink(plans: plans, parsers: parsers, batchSize: batchSize,
                                          numbers: columns.reduce(into: Array(repeating: [], count: count)) { $0[$1] = Array(minimumCapacity: batchSize) },
                                          codes: columns.reduce(into: Array(repeating: [], count: count)) { $0[$1] = Array(minimumCapacity: batchSize) },
                                          unknownCategoryCounts: Array(repeating: 0, count: count)))
        defer {
            state.pointee.columns = nil
            sink.deinitialize(count: 1)
            sink.deallocate()
            plans.deallocate()
        }
        state.pointee.columns = sink
        // The fields of a record left open at the end of the last chunk move to the columns.
        let open = state.pointee.batch
        let openStart = open.recordStarts[open.recordStarts.count - 1]
        for (position, index) in (openStart..<open.fieldStarts.count).enumerated() {
            let length = Int(open.fieldLengths[index])
            open.bytes.withUnsafeBytes { bytes in
                storeColumnField(state, sink, position: position,
                                 pointer: length < 0 ? nil : bytes.baseAddress.map { $0 + open.fieldStarts[index] }, count: max(length, 0))
            }
        }
        state.pointee.batch.removeAll()
        useColumnCallbacks()

        func throwFailure(before other: TabularError? = nil) throws {
            if let failure = sink.pointee.failure {
                let error = builder.error(for: failure.problem, column: failure.column, location: .line(failure.line))
                if case .wrongFieldCount(_, .line(let line), _, _)? = other, line < failure.line { throw other! }
                throw error
            }
            if let other { throw other }
        }
        if state.pointee.fieldCountError != nil { try state.pointee.throwPendingError(source: source) }
        while !atEndOfFile {
            do { try parseNextChunk() } catch let error as TabularError { try throwFailure(before: error) }
            do { try state.pointee.throwPendingError(source: source) } catch let error as TabularError {
                try throwFailure(before: error)
            }
            try throwFailure()
            while !sink.pointee.ready.isEmpty { try body(sink.pointee.ready.removeFirst()) }
        }
        if !sink.pointee.lines.isEmpty {
            sink.pointee.completeBatch()
            try body(sink.pointee.ready.removeFirst())
        }
    }

    /// Typed columns from a record batch (the records read before typed reading began).
    private func columnBatch(from batch: CSVRecordBatch, builder: inout TableBuilder, columns: [Int]) throws -> CSVColumnBatch {
        let count = builder.schema.columns.count
        var result = CSVColumnBatch(numbers: Array(repeating: [], count: count), codes: Array(repeating: [], count: count),
                                    lines: Array(batch.recordLines))
        for column in columns {
            if builder.schema.columns[column].kind.isNumeric {
                try builder.parseNumbers(batch, column: column, into: &result.numbers[column])
            } else {
                try builder.parseCodes(batch, column: column, into: &result.codes[column])
            }
        }
        return result
    }
}

/// Parses one field into its column, or remembers why it could not.
@inline(__always)
private func storeColumnField(_ state: UnsafeMutablePointer<CSVParseState>, _ sink: UnsafeMutablePointer<CSVColumnSink>,
                              position: Int, pointer: UnsafeRawPointer?, count: Int) {
    guard sink.pointee.failure == nil, position < sink.pointee.plans.count else { return }
    let text = UnsafeBufferPointer(start: pointer?.assumingMemoryBound(to: UInt8.self), count: pointer == nil ? 0 : count)
    switch sink.pointee.plans[position] {
    case .skip:
        return
    case .number(let column, let parser):
        do {
            let value = try parser._withUnsafeGuaranteedRef {
                try $0.parseNumber(text, unquotedEmpty: pointer == nil, nulTerminated: true)
            }
            sink.pointee.numbers[column].append(value)
        } catch {
            sink.pointee.failure = ((error as? FieldProblem) ?? .invalidUTF8, column, state.pointee.recordStartLine)
        }
    case .category(let column, let parser):
        do {
            var code = try parser._withUnsafeGuaranteedRef { try $0.parseCategory(text, unquotedEmpty: pointer == nil) }
            if code == ColumnParser.unknownAsMissing {
                sink.pointee.unknownCategoryCounts[column] += 1
                code = -1
            }
            sink.pointee.codes[column].append(code)
        } catch {
            sink.pointee.failure = ((error as? FieldProblem) ?? .invalidUTF8, column, state.pointee.recordStartLine)
        }
    }
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
/// `csvRecordCallback`, then the record's line, and a completed batch every `batchSize`.
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
            sink.pointee.lines.append(state.pointee.line)
            if sink.pointee.lines.count >= sink.pointee.batchSize { sink.pointee.completeBatch() }
        }
        state.pointee.line += 1
        state.pointee.pendingCarriageReturn = terminator == 0x0D
        return
    }
    if let expected = state.pointee.expectedFieldCount, state.pointee.fieldsInRecord != expected,
       state.pointee.fieldCountError == nil {
        state.pointee.fieldCountError = (state.pointee.recordStartLine, state.pointee.fieldsInRecord)
    }
    sink.pointee.lines.append(state.pointee.recordStartLine)
    if sink.pointee.lines.count >= sink.pointee.batchSize { sink.pointee.completeBatch() }
    state.pointee.fieldsInRecord = 0
    if isLineEnd {
        state.pointee.line += 1
        state.pointee.pendingCarriageReturn = terminator == 0x0D
    }
}
