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

    private(set) var numbers: [[Double]]
    private(set) var codes: [[Int32]]
    private(set) var identifiers: [[String?]]
    private(set) var origins: [Int] = []
    private(set) var rowCount = 0
    private(set) var unknownCategoryCounts: [Int]
    private(set) var violations: [TabularError] = []
    private(set) var violationCount = 0

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
        let count = schema.columns.count
        numbers = Array(repeating: [], count: count)
        codes = Array(repeating: [], count: count)
        identifiers = Array(repeating: [], count: count)
        unknownCategoryCounts = Array(repeating: 0, count: count)
    }

    /// Appends every record of a CSV batch.
    mutating func append(_ batch: CSVRecordBatch) throws {
        let records = batch.recordCount
        for column in schema.columns.indices {
            switch schema.columns[column].kind {
            case .continuous, .integer, .datetime: numbers[column].reserveCapacity(rowCount + records)
            case .categorical, .ordinal, .boolean: codes[column].reserveCapacity(rowCount + records)
            case .identifier: identifiers[column].reserveCapacity(rowCount + records)
            }
        }
        for record in 0..<records {
            let line = batch.recordLines[record]
            for column in schema.columns.indices {
                let position = fieldPositions[column]
                let unquotedEmpty = batch.isUnquotedEmpty(record: record, field: position)
                try batch.withField(record: record, field: position) { text in
                    try store(.text(text, unquotedEmpty: unquotedEmpty, nulTerminated: true), column: column,
                              location: .line(line))
                }
            }
            origins.append(line)
            rowCount += 1
        }
    }

    /// Appends one record given field by field in schema order (SQLite).
    mutating func append(fields: [SourceField], origin: Int) throws {
        for column in schema.columns.indices {
            try store(fields[fieldPositions[column]], column: column, location: .row(origin))
        }
        origins.append(origin)
        rowCount += 1
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
                let (lower, upper, shown) = boundTexts(column: column, value: value)
                try record(.outOfBounds(source: source, location: location, column: schema.columns[column].name,
                                        value: shown, lower: lower, upper: upper))
            }
            numbers[column].append(value)
        case .category(let code): codes[column].append(code)
        case .identifier(let text): identifiers[column].append(text)
        case .missing, .unknownCategoryAsMissing:
            if case .unknownCategoryAsMissing = parsed { unknownCategoryCounts[column] += 1 }
            switch schema.columns[column].kind {
            case .continuous, .integer, .datetime: numbers[column].append(.nan)
            case .categorical, .ordinal, .boolean: codes[column].append(-1)
            case .identifier: identifiers[column].append(nil)
            }
        }
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
        let name = schema.columns[column].name
        let error: TabularError
        switch problem {
        case .malformed(let value, let expected):
            error = .malformedValue(source: source, location: location, column: name, value: value, expected: expected)
        case .unknownCategory(let value):
            error = .unknownCategory(source: source, location: location, column: name, value: value,
                                     known: schema.columns[column].categoryLabels)
        case .missingInNonNullable:
            error = .missingValue(source: source, location: location, column: name)
        case .invalidUTF8:
            error = .invalidUTF8(source: source, location: location, column: name)
        }
        try record(error)
    }

    private mutating func record(_ error: TabularError) throws {
        switch handling {
        case .stopAtFirst:
            throw error
        case .collect(let limit):
            violationCount += 1
            if violations.count < limit { violations.append(error) }
        }
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
        var table = Table(unchecked: schema, columns: columns, rowCount: rowCount, source: source,
                          rowOrigins: origins, originsAreLines: originsAreLines)
        table.unknownCategoryCounts = unknownCategoryCounts
        let count = schema.columns.count
        numbers = Array(repeating: [], count: count)
        codes = Array(repeating: [], count: count)
        identifiers = Array(repeating: [], count: count)
        unknownCategoryCounts = Array(repeating: 0, count: count)
        origins = []
        rowCount = 0
        return table
    }
}
