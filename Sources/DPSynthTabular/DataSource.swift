import Foundation

/// Where a table comes from: a CSV file, or a SQLite database with a table or a query.
public enum DataSource: Equatable, Sendable {
    case csv(URL)
    case sqlite(URL, SQLiteSelection)

    /// What to read from a database.
    public enum SQLiteSelection: Equatable, Sendable {
        case table(String)
        case query(String)
    }

    /// Reads the command line's DATA argument: `sqlite:PATH` (with exactly one of `table` and
    /// `query`), or a CSV path.
    public init(specification: String, table: String? = nil, query: String? = nil) throws {
        if specification.hasPrefix("sqlite:") {
            let path = String(specification.dropFirst("sqlite:".count))
            guard !path.isEmpty else {
                throw TabularError.invalidDataSource(specification: specification, reason: "sqlite: needs a path, as in sqlite:hospital.db")
            }
            switch (table, query) {
            case (let table?, nil): self = .sqlite(URL(fileURLWithPath: path), .table(table))
            case (nil, let query?): self = .sqlite(URL(fileURLWithPath: path), .query(query))
            default:
                throw TabularError.invalidDataSource(specification: specification, reason: "a SQLite source needs exactly one of --table NAME and --query SQL")
            }
        } else {
            guard table == nil && query == nil else {
                throw TabularError.invalidDataSource(specification: specification, reason: "--table and --query apply to sqlite:PATH sources only")
            }
            self = .csv(URL(fileURLWithPath: specification))
        }
    }

    /// True for text files, whose records are located by line (SQLite rows by row number).
    public var isText: Bool {
        if case .csv = self { return true }
        return false
    }

    /// The source as messages name it: the path, with the table for SQLite.
    public var displayName: String {
        switch self {
        case .csv(let url): return url.path
        case .sqlite(let url, .table(let table)): return "\(url.path) table '\(table)'"
        case .sqlite(let url, .query): return "\(url.path) query"
        }
    }
}

extension Table {
    /// Reads a whole table and types it by `schema`.
    ///
    /// A CSV file is read on `threadCount` threads, split at record boundaries as
    /// `TableEncoder.encode(_:threadCount:)` splits it (`CSVRangeReading`); the table and the
    /// error do not depend on the thread count.
    ///
    /// - Throws: the first `TabularError` (missing file or table, malformed record, a value
    ///   that breaks the schema), naming the source, the line or row and the column.
    public static func read(_ source: DataSource, schema: Schema,
                            threadCount: Int = ProcessInfo.processInfo.activeProcessorCount) throws -> Table {
        if case .csv(let url) = source { return try readCSV(url, schema: schema, threadCount: threadCount) }
        var builder = try forEachChunk(of: source, schema: schema) { _, _ in }
        return builder.makeTable(originsAreLines: source.isText)
    }

    /// Reads a CSV file's byte ranges on `threadCount` threads, each into typed columns of its
    /// own (a `TableBuilder` fed record batches, as one thread reads the whole file), then joins
    /// them in file order. Each range stops at its first problem; the earliest range's error,
    /// the file's first, is thrown with its line.
    ///
    /// - Parameters:
    ///   - chunkSize: bytes per `csv_parse` call (small in tests, to cross chunks).
    ///   - splitTargets: where to split the file instead of the default (tests).
    static func readCSV(_ url: URL, schema: Schema, threadCount: Int, chunkSize: Int = 1 << 20,
                        splitTargets: [Int]? = nil) throws -> Table {
        let reading = try CSVRangeReading(url, schema: schema, threadCount: threadCount, chunkSize: chunkSize,
                                          splitTargets: splitTargets)
        // Checks the header against the schema once; each range types its records with a copy
        // (the column parsers are immutable and shared).
        let empty = try TableBuilder(schema: schema, header: reading.headerReader.header, source: reading.headerReader.source)
        let parts = try reading.forEachRange(threadCount: threadCount) { _, reader, earlierRangeFailed in
            var builder = empty
            try reader.forEachBatch { batch in
                if earlierRangeFailed() { throw RangeStopped() }
                try builder.append(batch)
            }
            return builder.makeTable(originsAreLines: true)
        }
        return Table(joining: parts)
    }

    /// A CSV reader with the schema's delimiter and trimming.
    static func csvReader(for url: URL, schema: Schema, chunkSize: Int = 1 << 20,
                          onWrongFieldCount: ((TabularError) -> Void)? = nil) throws -> CSVReader {
        guard let delimiter = schema.source.delimiter.utf8.first else {
            throw TabularError.invalidSchema(source: schema.name, reason: "empty delimiter")
        }
        return try CSVReader(url: url, source: url.path, delimiter: delimiter, trimWhitespace: schema.source.trimWhitespace,
                             chunkSize: chunkSize, onWrongFieldCount: onWrongFieldCount)
    }

    /// Streams `source` through a `TableBuilder`, calling `body` after every batch with the
    /// builder holding the rows read so far (the caller may empty it with `makeTable`).
    /// Returns the builder with the rows `body` left in it.
    @discardableResult
    static func forEachChunk(of source: DataSource, schema: Schema, handling: ViolationHandling = .stopAtFirst,
                             checkBounds: Bool = false, batchSize: Int = 16_384,
                             recordProblems: ((TabularError) -> Void)? = nil,
                             _ body: (inout TableBuilder, _ isLines: Bool) throws -> Void) throws -> TableBuilder {
        switch source {
        case .csv(let url):
            let reader = try csvReader(for: url, schema: schema, onWrongFieldCount: recordProblems)
            var builder = try TableBuilder(schema: schema, header: reader.header, source: reader.source,
                                           handling: handling, checkBounds: checkBounds)
            try reader.forEachBatch(minimumRecords: batchSize) { batch in
                try builder.append(batch)
                try body(&builder, true)
            }
            return builder
        case .sqlite(let url, let selection):
            let reader = try SQLiteTableReader(url: url, selection: selection)
            var builder = try TableBuilder(schema: schema, header: reader.columnNames, source: reader.source,
                                           handling: handling, checkBounds: checkBounds)
            var rows = 0
            try reader.forEachRow { fields, origin in
                try builder.append(fields: fields, origin: origin)
                rows += 1
                if rows % batchSize == 0 { try body(&builder, false) }
            }
            guard rows > 0 else { throw TabularError.emptyResult(source: reader.source) }
            if rows % batchSize != 0 { try body(&builder, false) }
            return builder
        }
    }
}
