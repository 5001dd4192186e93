import Foundation

/// What `dpsynth schema check` found.
public struct SchemaCheckReport: Sendable {
    public let source: String
    /// Records read (records with the wrong number of fields are not counted).
    public let rowCount: Int
    /// The first violations, in file order, each naming its line (or row) and column.
    public let violations: [TabularError]
    /// All violations, including those beyond the first `limit`.
    public let violationCount: Int
    /// Values outside the category list read as missing (`unknownCategory: mapToNull`), per
    /// schema column: not violations, but the user should know.
    public let unknownCategoriesReadAsMissing: [Int]
    /// The schema's column names, for the notes.
    public let columnNames: [String]

    public var isValid: Bool { violationCount == 0 }

    /// The report as lines: each kept violation, then a count of the rest, then a note per
    /// column with unknown categories read as missing.
    public var text: String {
        var lines: [String] = []
        if isValid {
            lines.append("\(source): \(rowCount) rows match the schema")
        } else {
            lines = violations.map(\.description)
            if violationCount > violations.count {
                lines.append("… and \(violationCount - violations.count) more violations (\(violationCount) in all)")
            } else {
                lines.append("\(violationCount) violation\(violationCount == 1 ? "" : "s") in \(rowCount) rows")
            }
        }
        lines += unknownCategoryNotes(columnNames: columnNames, counts: unknownCategoriesReadAsMissing)
        return lines.joined(separator: "\n")
    }
}

/// One note per column with values outside its category list read as missing, as `fit` and
/// `schema check` print them.
public func unknownCategoryNotes(columnNames: [String], counts: [Int]) -> [String] {
    zip(columnNames, counts).filter { $0.1 > 0 }.map { name, count in
        "note: column '\(name)': \(count) value\(count == 1 ? "" : "s") outside the category list read as missing (unknownCategory: mapToNull)"
    }
}

extension Schema {
    /// Reads `source` against this schema and collects every violation instead of stopping at
    /// the first: values that do not parse, unknown categories, missing values in
    /// non-nullable columns, values outside the bounds, records with the wrong field count.
    ///
    /// A CSV file is read on `threadCount` threads, split as `Table.read` splits it; each range
    /// keeps its first `limit` violations, and the ranges' lists, in file order, give the
    /// file's first `limit`. The report does not depend on the thread count.
    ///
    /// - Throws: problems that stop reading altogether (no file, no table, unterminated quote,
    ///   a header that does not match the schema): the file's first.
    public func check(_ source: DataSource, limit: Int = 20,
                      threadCount: Int = ProcessInfo.processInfo.activeProcessorCount) throws -> SchemaCheckReport {
        try check(source, limit: limit, threadCount: threadCount, splitTargets: nil)
    }

    /// `check`, with the CSV split where `splitTargets` say (tests).
    func check(_ source: DataSource, limit: Int, threadCount: Int, splitTargets: [Int]?) throws -> SchemaCheckReport {
        var total = CheckTally(columnCount: columns.count)
        switch source {
        case .csv(let url):
            let logs = ProblemLogs(limit: limit)
            let reading = try CSVRangeReading(url, schema: self, threadCount: threadCount, splitTargets: splitTargets,
                                              onWrongFieldCount: logs.handler(forRange:))
            let empty = try TableBuilder(schema: self, header: reading.headerReader.header, source: reading.headerReader.source,
                                         handling: .collect(limit: limit), checkBounds: true)
            let parts = try reading.forEachRange(threadCount: threadCount) { index, reader, _ in
                var builder = empty
                var tally = CheckTally(columnCount: columns.count)
                try reader.forEachBatch { batch in
                    try builder.append(batch)
                    tally.take(builder.makeTable(originsAreLines: true))
                }
                tally.take(violationsOf: builder)
                (tally.structural, tally.structuralCount) = logs.problems(ofRange: index)
                return tally
            }
            for part in parts { total.add(part, limit: limit) }
        case .sqlite:
            var structural: [TabularError] = []
            var structuralCount = 0
            let builder = try Table.forEachChunk(of: source, schema: self, handling: .collect(limit: limit), checkBounds: true,
                                                 recordProblems: { error in
                                                     structuralCount += 1
                                                     if structural.count < limit { structural.append(error) }
                                                 }) { builder, isLines in
                // Only the violations matter: release the values batch by batch.
                total.take(builder.makeTable(originsAreLines: isLines))
            }
            total.take(violationsOf: builder)
            (total.structural, total.structuralCount) = (structural, structuralCount)
        }
        // Both lists are in file order; merge them stably by line.
        let violations = (total.violations + total.structural).enumerated()
            .sorted { (line(of: $0.element), $0.offset) < (line(of: $1.element), $1.offset) }.map(\.element)
        return SchemaCheckReport(source: source.displayName, rowCount: total.rowCount,
                                 violations: Array(violations.prefix(limit)),
                                 violationCount: total.violationCount + total.structuralCount,
                                 unknownCategoriesReadAsMissing: total.unknown, columnNames: columns.map(\.name))
    }
}

/// What one part of a source held: a byte range of a CSV file, or a whole query.
private struct CheckTally {
    var rowCount = 0
    /// The builder's violations (the first `limit`, in order) and their count.
    var violations: [TabularError] = []
    var violationCount = 0
    /// Records with the wrong field count (the first `limit`, in order) and their count.
    var structural: [TabularError] = []
    var structuralCount = 0
    var unknown: [Int]

    init(columnCount: Int) { unknown = Array(repeating: 0, count: columnCount) }

    /// Counts the rows of a batch and its unknown categories read as missing.
    mutating func take(_ table: Table) {
        rowCount += table.rowCount
        for (index, value) in table.unknownCategoryCounts.enumerated() { unknown[index] += value }
    }

    mutating func take(violationsOf builder: TableBuilder) {
        violations = builder.violations
        violationCount = builder.violationCount
    }

    /// Adds a later part: its lists follow this one's, each kept to `limit`.
    mutating func add(_ later: CheckTally, limit: Int) {
        rowCount += later.rowCount
        violations = Array((violations + later.violations).prefix(limit))
        violationCount += later.violationCount
        structural = Array((structural + later.structural).prefix(limit))
        structuralCount += later.structuralCount
        for index in unknown.indices { unknown[index] += later.unknown[index] }
    }
}

/// The records with a wrong field count each range's reader skipped, kept per range (each
/// range's handler runs on that range's thread; the lock guards the array of logs).
private final class ProblemLogs: @unchecked Sendable {
    private let lock = NSLock()
    private let limit: Int
    private var logs: [Int: (kept: [TabularError], count: Int)] = [:]

    init(limit: Int) { self.limit = limit }

    func handler(forRange range: Int) -> (TabularError) -> Void {
        { [self] error in
            lock.lock()
            defer { lock.unlock() }
            var log = logs[range] ?? ([], 0)
            log.count += 1
            if log.kept.count < limit { log.kept.append(error) }
            logs[range] = log
        }
    }

    func problems(ofRange range: Int) -> ([TabularError], Int) {
        lock.lock()
        defer { lock.unlock() }
        return logs[range].map { ($0.kept, $0.count) } ?? ([], 0)
    }
}

/// The line or row a violation names, for ordering.
private func line(of error: TabularError) -> Int {
    switch error {
    case .wrongFieldCount(_, let location, _, _), .malformedValue(_, let location, _, _, _),
         .unknownCategory(_, let location, _, _, _), .missingValue(_, let location, _),
         .outOfBounds(_, let location, _, _, _, _), .invalidUTF8(_, let location, _):
        switch location {
        case .line(let n), .row(let n): return n
        }
    default:
        return 0
    }
}
