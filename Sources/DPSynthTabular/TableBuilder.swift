/// How a reader reacts to a field that breaks the schema.
public enum ViolationHandling: Equatable, Sendable {
    /// Throw the first violation (reading for training or encoding).
    case stopAtFirst
    /// Record violations and keep reading (`dpsynth schema check`): the first `limit` are
    /// kept in full, the rest only counted. The offending cells are read as missing.
    case collect(limit: Int)
}

/// A field as a source delivers it: text (CSV, or SQLite TEXT) or a number (SQLite INTEGER
/// and REAL), or SQL NULL.
enum SourceField {
    case text(UnsafeBufferPointer<UInt8>, unquotedEmpty: Bool, nulTerminated: Bool)
    case number(Double)
    case null
}

/// Fills typed columns from records, by schema, keeping each row's origin.
struct TableBuilder {
    let schema: Schema
    let source: String
    let parsers: [ColumnParser]
    /// For schema column i, the position of its field in each source record.
    let fieldPositions: [Int]
    let handling: ViolationHandling
    /// Report values outside their bounds as violations (schema check); reading leaves
    /// bounds to the encoder, which clips and counts or, when strict, stops.
    let checkBounds: Bool

    private(set) var numbers: [[Double]] = []
    private(set) var codes: [[Int32]] = []
    private(set) var identifiers: [[String?]] = []
    private(set) var origins: [Int] = []
    private(set) var rowCount = 0
    private(set) var violations: [TabularError] = []
    private(set) var violationCount = 0
    private var pending: [(line: Int, column: Int, error: TabularError)] = []
    /// Under `.stopAtFirst`, the first problem of the batch (or row) being appended, by line and
    /// then field position. Columns are parsed one after another, so it is thrown once all are:
    /// the file's first problem, as the streamed encoder (`TableEncoder.encodeCSV`) reports it.
    private var firstProblem: (line: Int, position: Int, error: TabularError)?
    private var pendingPerColumn: [Int] = []

    /// Matches the source's column names to the schema's: every schema column must be in the
    /// data and every data column in the schema.
    init(schema: Schema, header: [String], source: String, handling: ViolationHandling = .stopAtFirst,
         checkBounds: Bool = false) throws {
        var positions: [String: Int] = [:]
        for (index, name) in header.enumerated() { positions[name] = index }
        for name in header where schema.columnIndex(named: name) == nil {
            throw TabularError.columnNotInSchema(source: source, column: name)
        }
        fieldPositions = try schema.columns.map { column in
            guard let position = positions[column.name] else {
                throw TabularError.columnNotInData(source: source, column: column.name)
            }
            return position
        }
        parsers = try schema.columns.map { try ColumnParser(column: $0, source: schema.source) }
        self.schema = schema
        self.source = source
        self.handling = handling
        self.checkBounds = checkBounds
        pendingPerColumn = Array(repeating: 0, count: schema.columns.count)
        startNewTable()
    }

    /// Empties the column storage and the origins.
    private mutating func startNewTable() {
        let count = schema.columns.count
        numbers = Array(repeating: [], count: count)
        codes = Array(repeating: [], count: count)
        identifiers = Array(repeating: [], count: count)
        origins = []
        rowCount = 0
    }

    /// Appends every record of a CSV batch, column by column: each column's parser and
    /// output array are fetched once per batch, not once per cell.
    mutating func append(_ batch: CSVRecordBatch) throws {
        for column in schema.columns.indices {
            switch schema.columns[column].kind {
            case .continuous, .integer, .datetime:
                var output = numbers[column]
                numbers[column] = []
                try parseNumbers(batch, column: column, into: &output)
                numbers[column] = output
            case .categorical, .ordinal, .boolean:
                var output = codes[column]
                codes[column] = []
                try parseCodes(batch, column: column, into: &output)
                codes[column] = output
            case .identifier:
                for record in 0..<batch.recordCount {
                    let unquotedEmpty = batch.isUnquotedEmpty(record: record, field: fieldPositions[column])
                    try batch.withField(record: record, field: fieldPositions[column]) { text in
                        try store(.text(text, unquotedEmpty: unquotedEmpty, nulTerminated: true), column: column,
                                  location: .line(batch.recordLines[record]))
                    }
                }
            }
        }
        try throwFirstProblem()
        origins.append(contentsOf: batch.recordLines)
        rowCount += batch.recordCount
        flushViolations()
    }

    /// Parses numeric column `column` of every record of `batch`, appending to `output`
    /// (NaN for missing, and for a violation when violations are collected).
    mutating func parseNumbers(_ batch: CSVRecordBatch, column: Int, into output: inout [Double]) throws {
        let parser = parsers[column]
        let bounds = checkBounds ? parser.column.bounds : nil
        output.reserveCapacity(output.count + batch.recordCount)
        try batch.forEachField(position: fieldPositions[column]) { record, text, unquotedEmpty in
            var value = Double.nan
            do {
                value = try parser.parseNumber(text, unquotedEmpty: unquotedEmpty, nulTerminated: true)
            } catch let problem as FieldProblem {
                try report(problem, column: column, location: .line(batch.recordLines[record]))
            }
            if let bounds, !value.isNaN, !bounds.contains(value) {
                try reportOutOfBounds(value, column: column, location: .line(batch.recordLines[record]))
            }
            output.append(value)
        }
    }

    /// Parses categorical column `column` of every record of `batch`, appending codes to
    /// `output` (−1 for missing, `ColumnValues.unknownCategoryCode` for an unknown label read as
    /// missing).
    mutating func parseCodes(_ batch: CSVRecordBatch, column: Int, into output: inout [Int32]) throws {
        let parser = parsers[column]
        output.reserveCapacity(output.count + batch.recordCount)
        try batch.forEachField(position: fieldPositions[column]) { record, text, unquotedEmpty in
            var code: Int32 = -1
            do {
                code = try parser.parseCategory(text, unquotedEmpty: unquotedEmpty)
            } catch let problem as FieldProblem {
                try report(problem, column: column, location: .line(batch.recordLines[record]))
            }
            output.append(code)
        }
    }

    /// Appends one record given field by field in schema order (SQLite).
    mutating func append(fields: [SourceField], origin: Int) throws {
        for column in schema.columns.indices {
            try store(fields[fieldPositions[column]], column: column, location: .row(origin))
        }
        try throwFirstProblem()
        origins.append(origin)
        rowCount += 1
        flushViolations()
    }

    @inline(__always)
    private mutating func store(_ field: SourceField, column: Int, location: RecordLocation) throws {
        var parsed: ParsedField
        do {
            switch field {
            case .text(let text, let unquotedEmpty, let nulTerminated):
                parsed = try parsers[column].parse(text, unquotedEmpty: unquotedEmpty, nulTerminated: nulTerminated)
            case .number(let value):
                parsed = try parsers[column].parse(number: value)
            case .null:
                parsed = try parsers[column].missing()
            }
        } catch let problem as FieldProblem {
            try report(problem, column: column, location: location)
            parsed = .missing
        }
        switch parsed {
        case .number(let value):
            if checkBounds, let bounds = schema.columns[column].bounds, !bounds.contains(value) {
                try reportOutOfBounds(value, column: column, location: location)
            }
            numbers[column].append(value)
        case .category(let code): codes[column].append(code)
        case .identifier(let text): identifiers[column].append(text)
        case .unknownCategoryAsMissing: codes[column].append(ColumnValues.unknownCategoryCode)
        case .missing:
            switch schema.columns[column].kind {
            case .continuous, .integer, .datetime: numbers[column].append(.nan)
            case .categorical, .ordinal, .boolean: codes[column].append(-1)
            case .identifier: identifiers[column].append(nil)
            }
        }
    }

    private mutating func reportOutOfBounds(_ value: Double, column: Int, location: RecordLocation) throws {
        let (lower, upper, shown) = boundTexts(column: column, value: value)
        try record(column: column, location: location, .outOfBounds(source: source, location: location, column: schema.columns[column].name,
                                value: shown, lower: lower, upper: upper))
    }

    private func boundTexts(column: Int, value: Double) -> (String, String, String) {
        let schemaColumn = schema.columns[column]
        guard let bounds = schemaColumn.bounds else { return ("", "", decimalText(value)) }
        if schemaColumn.kind == .datetime, let format = try? DatetimeFormat(pattern: schemaColumn.effectiveDatetimeFormat) {
            return (format.string(fromSeconds: bounds.min), format.string(fromSeconds: bounds.max), format.string(fromSeconds: value))
        }
        return (decimalText(bounds.min), decimalText(bounds.max), decimalText(value))
    }

    private mutating func report(_ problem: FieldProblem, column: Int, location: RecordLocation) throws {
        try record(column: column, location: location, error(for: problem, column: column, location: location))
    }

    /// The user-facing error for a field that could not be read.
    func error(for problem: FieldProblem, column: Int, location: RecordLocation) -> TabularError {
        let name = schema.columns[column].name
        switch problem {
        case .malformed(let value, let expected):
            return .malformedValue(source: source, location: location, column: name, value: value, expected: expected)
        case .unknownCategory(let value):
            return .unknownCategory(source: source, location: location, column: name, value: value,
                                    known: schema.columns[column].categoryLabels)
        case .missingInNonNullable:
            return .missingValue(source: source, location: location, column: name)
        case .invalidUTF8:
            return .invalidUTF8(source: source, location: location, column: name)
        }
    }

    /// Throws the violation, or collects it. Columns are parsed one after another, so a
    /// batch's violations arrive column by column: they wait in `pending` (at most `limit`
    /// per column, enough for the first `limit` overall) and join `violations` in line order
    /// when the batch is done.
    private mutating func record(column: Int, location: RecordLocation, _ error: TabularError) throws {
        switch handling {
        case .stopAtFirst:
            let line: Int
            switch location { case .line(let n), .row(let n): line = n }
            let position = fieldPositions[column]
            if firstProblem.map({ (line, position) < ($0.line, $0.position) }) ?? true {
                firstProblem = (line, position, error)
            }
        case .collect(let limit):
            violationCount += 1
            pendingPerColumn[column] += 1
            if pendingPerColumn[column] <= limit {
                let line: Int
                switch location { case .line(let n), .row(let n): line = n }
                pending.append((line, column, error))
            }
        }
    }

    /// Throws the first problem of the records just appended, if any (`.stopAtFirst`).
    private mutating func throwFirstProblem() throws {
        guard let problem = firstProblem else { return }
        firstProblem = nil
        throw problem.error
    }

    /// Moves the collected violations of the rows read so far into `violations`, in order of
    /// line (or row), then column.
    mutating func flushViolations() {
        guard case .collect(let limit) = handling, !pending.isEmpty else { return }
        pending.sort { ($0.line, $0.column) < ($1.line, $1.column) }
        for item in pending where violations.count < limit { violations.append(item.error) }
        pending.removeAll(keepingCapacity: true)
        pendingPerColumn = Array(repeating: 0, count: schema.columns.count)
    }

    /// The rows so far as a table; the builder starts empty again (for batch-by-batch encoding).
    mutating func makeTable(originsAreLines: Bool) -> Table {
        let columns: [ColumnValues] = schema.columns.indices.map { index in
            switch schema.columns[index].kind {
            case .continuous, .integer, .datetime: return .numbers(numbers[index])
            case .categorical, .ordinal, .boolean: return .categories(codes[index])
            case .identifier: return .identifiers(identifiers[index])
            }
        }
        let table = Table(unchecked: schema, columns: columns, rowCount: rowCount, source: source,
                          rowOrigins: origins, originsAreLines: originsAreLines)
        startNewTable()
        return table
    }
}
