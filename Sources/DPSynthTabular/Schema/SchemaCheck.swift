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
    /// - Throws: problems that stop reading altogether (no file, no table, unterminated quote,
    ///   a header that does not match the schema).
    public func check(_ source: DataSource, limit: Int = 20) throws -> SchemaCheckReport {
        var structural: [TabularError] = []
        var structuralCount = 0
        var rowCount = 0
        var unknown = Array(repeating: 0, count: columns.count)
        func count(_ table: Table) {
            for (index, value) in table.unknownCategoryCounts.enumerated() { unknown[index] += value }
        }
        var builder = try Table.forEachChunk(of: source, schema: self, handling: .collect(limit: limit), checkBounds: true,
                                             recordProblems: { error in
                                                 structuralCount += 1
                                                 if structural.count < limit { structural.append(error) }
                                             }) { builder, isLines in
            // Only the violations matter: release the values batch by batch.
            rowCount += builder.rowCount
            count(builder.makeTable(originsAreLines: isLines))
        }
        rowCount += builder.rowCount
        count(builder.makeTable(originsAreLines: true))
        // Both lists are in file order; merge them stably by line.
        let violations = (builder.violations + structural).enumerated()
            .sorted { (line(of: $0.element), $0.offset) < (line(of: $1.element), $1.offset) }.map(\.element)
        return SchemaCheckReport(source: source.displayName, rowCount: rowCount,
                                 violations: Array(violations.prefix(limit)),
                                 violationCount: builder.violationCount + structuralCount,
                                 unknownCategoriesReadAsMissing: unknown, columnNames: columns.map(\.name))
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
