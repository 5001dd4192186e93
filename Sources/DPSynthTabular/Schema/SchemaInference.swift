/// Proposes a schema from data: a starting point for the user to read, correct and declare.
///
/// Every bound and category list it writes is read off the data and marked `data`, except the
/// fixed codings of booleans (0/1, false/true, no/yes, N/Y, F/T), which follow from the kind.
/// Rules (issue 4): numbers with few distinct whole values → categorical; other whole numbers →
/// integer; other numbers → continuous; ISO-like dates → datetime; a column whose values are
/// all present and all distinct and that is named like an id (or is text with no repeats) →
/// identifier; other text → categorical.
public enum SchemaInference {
    /// Whole-number columns with at most this many distinct values become categorical.
    public static let maximumCategoricalDistinctNumbers = 10

    /// Datetime patterns tried, most specific first.
    static let datetimePatterns = ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"]

    /// Boolean codings, false first.
    static let booleanCodings: [[String]] = [["0", "1"], ["false", "true"], ["False", "True"], ["FALSE", "TRUE"],
                                             ["no", "yes"], ["No", "Yes"], ["N", "Y"], ["F", "T"]]

    /// - Parameters:
    ///   - start: column kinds to keep (from an SDV metadata file, say); inference then fills
    ///     in only bounds, categories and nullability.
    ///   - label: the column to mark with role `label`.
    public static func infer(_ table: TextTable, name: String, format: SourceFormat = SourceFormat(),
                             label: String? = nil, start: Schema? = nil) throws -> Schema {
        if let label, !table.columnNames.contains(label) {
            throw TabularError.columnNotInData(source: table.source, column: label)
        }
        var columns: [ColumnSchema] = []
        for (index, columnName) in table.columnNames.enumerated() {
            let declared = start?.columns.first { $0.name == columnName }
            var column = inferColumn(name: columnName, values: table.columns[index], kind: declared?.kind,
                                     datetimeFormat: declared?.datetimeFormat)
            if let declared {
                column.role = declared.role
                column.description = declared.description ?? column.description
            }
            if columnName == label { column.role = .label }
            columns.append(column)
        }
        let schema = Schema(name: name, description: "Inferred by dpsynth schema infer from \(table.source); every bound and category list marked \"data\" was read off the data: declare it public only if it is known without the data, or pay for it with --schema-epsilon.",
                            source: format, columns: columns)
        try schema.validate(source: "inferred schema")
        return schema
    }

    static func inferColumn(name: String, values: [String?], kind declaredKind: ColumnKind?,
                            datetimeFormat declaredFormat: String? = nil) -> ColumnSchema {
        let present = values.compactMap { $0 }
        let nullable = present.count < values.count
        let distinct = Set(present)
        let numbers = present.compactMap(parseDecimal)
        let allNumeric = !present.isEmpty && numbers.count == present.count
        let allWhole = allNumeric && numbers.allSatisfy { $0 == $0.rounded() && abs($0) < 1e15 }
        let lowered = name.lowercased()
        let namedLikeIdentifier = lowered == "id" || lowered.hasSuffix("_id") || lowered.hasSuffix(".id") || lowered.hasSuffix("id") && lowered.count <= 4
        let allDistinct = !nullable && distinct.count == values.count && values.count > 1

        var kind: ColumnKind
        if let declaredKind {
            kind = declaredKind
        } else if allDistinct && (namedLikeIdentifier || (!allNumeric && values.count >= 20)) {
            kind = .identifier
        } else if let coding = booleanCodings.first(where: { distinct.isSubset(of: Set($0)) }), !distinct.isEmpty {
            return ColumnSchema(name: name, kind: .boolean, nullable: nullable,
                                categories: CategoryList(values: coding, provenance: .public,
                                                         reason: "the standard \(coding[0])/\(coding[1]) coding of a yes/no column"))
        } else if allWhole && distinct.count <= maximumCategoricalDistinctNumbers {
            kind = .categorical
        } else if allWhole {
            kind = .integer
        } else if allNumeric {
            kind = .continuous
        } else if datetimePattern(for: present) != nil {
            kind = .datetime
        } else {
            kind = .categorical
        }

        var column = ColumnSchema(name: name, kind: kind, nullable: nullable)
        switch kind {
        case .continuous, .integer:
            let low = numbers.min() ?? 0, high = numbers.max() ?? 0
            column.bounds = Bounds(min: low, max: high, provenance: .data, reason: "minimum and maximum of the data")
            if kind == .continuous {
                column.decimals = min(present.map(decimalPlaces).max() ?? 0, 6)
            }
        case .datetime:
            let pattern = declaredFormat ?? datetimePattern(for: present) ?? "%Y-%m-%d"
            column.datetimeFormat = pattern
            let format = try? DatetimeFormat(pattern: pattern)
            let seconds = present.compactMap { format?.seconds(parsing: $0) }
            column.bounds = Bounds(min: seconds.min() ?? 0, max: seconds.max() ?? 0, provenance: .data,
                                   reason: "earliest and latest datetime of the data")
        case .categorical, .ordinal:
            let sorted: [String]
            if allNumeric {
                sorted = distinct.sorted { (parseDecimal($0) ?? 0) < (parseDecimal($1) ?? 0) }
            } else {
                sorted = distinct.sorted()
            }
            column.categories = CategoryList(values: sorted, provenance: .data, reason: "the distinct values of the data")
        case .boolean:
            let coding = booleanCodings.first { distinct.isSubset(of: Set($0)) } ?? Array(distinct.sorted().prefix(2))
            column.categories = CategoryList(values: coding.count == 2 ? coding : ["false", "true"], provenance: .data,
                                             reason: "the values of the data")
        case .identifier:
            break
        }
        return column
    }

    /// The first pattern every value matches.
    static func datetimePattern(for values: [String]) -> String? {
        guard !values.isEmpty else { return nil }
        for pattern in datetimePatterns {
            guard let format = try? DatetimeFormat(pattern: pattern) else { continue }
            if values.allSatisfy({ format.seconds(parsing: $0) != nil }) { return pattern }
        }
        return nil
    }

    /// Digits after the decimal point (0 for exponent notation).
    static func decimalPlaces(_ text: String) -> Int {
        guard !text.contains("e"), !text.contains("E"), let dot = text.firstIndex(of: ".") else { return 0 }
        return text.distance(from: text.index(after: dot), to: text.endIndex)
    }
}
