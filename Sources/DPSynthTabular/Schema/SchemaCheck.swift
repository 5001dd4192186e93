/// What `dpsynth schema check` found.
public struct SchemaCheckReport: Sendable {
    public let source: String
    /// Records read (records with the wrong number of fields are not counted).
    public let rowCount: Int
    /// The first violations, in file order, each naming its line (or row) and column.
    public let violations: [TabularError]
    /// All violations, including those beyond the first `limit`.
    public let violationCount: Int

    public var isValid: Bool { violationCount == 0 }

    /// The report as lines: each kept violation, then a count of the rest.
    public var text: String {
        guard !isValid else { return "\(source): \(rowCount) rows match the schema" }
        var lines = violations.map(\.description)
        if violationCount > violations.count {
            lines.append("… and \(violationCount - violations.count) more violations (\(violationCount) in all)")
        } else {
            lines.append("\(violationCount) violation\(violationCount == 1 ? "" : "s") in \(rowCount) rows")
        }
        return lines.joined(separator: "\n")
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
        let builder = try Table.forEachChunk(of: source, schema: self, handling: .collect(limit: limit), checkBounds: true,
                                             recordProblems: { error in
                                                 structuralCount += 1
                                                 if structural.count < limit { structural.append(error) }
                                             }) { builder, isLines in
            // Only the violations matter: release the values batch by batch.
            rowCount += builder.rowCount
            _ = builder.makeTable(originsAreLines: isLines)
        }
        rowCount += builder.rowCount
        // Both lists are in file order; merge them stably by line.
        let violations = (builder.violations + structural).enumerated()
            .sorted { (line(of: $0.element), $0.offset) < (line(of: $1.element), $1.offset) }.map(\.element)
        return SchemaCheckReport(source: source.displayName, rowCount: rowCount,
                                 violations: Array(violations.prefix(limit)),
                                 violationCount: builder.violationCount + structuralCount)
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
