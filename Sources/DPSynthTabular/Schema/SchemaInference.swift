/// Proposes a schema from data: a starting point for the user to read, correct and declare.
///
/// Every bound and category list it writes is read off the data and marked `data`, except the
/// fixed codings of booleans (0/1, false/true, no/yes, N/Y, F/T), which follow from the kind.
/// Rules (issue 4): numbers with few distinct whole values → categorical; other whole numbers →
/// integer; other numbers → continuous; ISO-like dates → datetime; a column whose values are
/// all present and all distinct and that is named like an id (`id`, `patient_id`, `PatientID`,
/// `mrn`, …), is text with no repeats, or numbers 0…n−1 or 1…n once each (a row number such
/// as pandas' `Unnamed: 0`) → identifier; free text (long values with spaces, nearly all
/// distinct) and a column with no value at all → dropped; other text → categorical.
/// `notes(for:schema:)` says what the user should check.
public enum SchemaInference {
    /// Whole-number columns with at most this many distinct values become categorical.
    public static let maximumCategoricalDistinctNumbers = 10

    /// Datetime patterns tried, most specific first.
    /// Day-first before month-first: where every day is at most 12 both match, and a note says
    /// which was taken (`notes(for:schema:)`).
    static let datetimePatterns = ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M",
                                   "%Y-%m-%d %H:%M", "%Y-%m-%d", "%Y/%m/%d", "%d/%m/%Y", "%m/%d/%Y", "%d.%m.%Y",
                                   "%d/%m/%Y %H:%M", "%m/%d/%Y %H:%M"]

    /// Patterns that read the same text with day and month swapped.
    static let swappedDatetimePatterns = ["%d/%m/%Y": "%m/%d/%Y", "%d/%m/%Y %H:%M": "%m/%d/%Y %H:%M"]

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
                                     datetimeFormat: declared?.datetimeFormat, numberFormat: NumberFormat(format))
            if let declared {
                column.role = declared.role
                column.description = declared.description ?? column.description
            }
            if columnName == label { column.role = .label }
            columns.append(column)
        }
        let declaredNames = Set(start?.columns.map(\.name) ?? [])
        columns = unifyingSiblingKinds(columns, table: table, numberFormat: NumberFormat(format), declared: declaredNames)
        let schema = Schema(name: name, description: "Inferred by dpsynth schema infer from \(table.source); every bound and category list marked \"data\" was read off the data: declare it public only if it is known without the data, or pay for it with --schema-epsilon.",
                            source: format, columns: columns)
        try schema.validate(source: "inferred schema")
        return schema
    }

    static func inferColumn(name: String, values: [String?], kind declaredKind: ColumnKind?,
                            datetimeFormat declaredFormat: String? = nil,
                            numberFormat: NumberFormat = .standard) -> ColumnSchema {
        let present = values.compactMap { $0 }
        let nullable = present.count < values.count
        if present.isEmpty && declaredKind == nil {
            return ColumnSchema(name: name, kind: .identifier, nullable: true, role: .drop,
                                description: "every value is missing: nothing to model or release, so the column is dropped (kind identifier only so that any value a later file holds still reads)")
        }
        let distinct = Set(present)
        let numbers = present.compactMap { parseDecimal($0, format: numberFormat) }
        let allNumeric = !present.isEmpty && numbers.count == present.count
        let allWhole = allNumeric && numbers.allSatisfy { $0 == $0.rounded() && abs($0) < 1e15 }
        let allDistinct = !nullable && distinct.count == values.count && values.count > 1
        // A row number: 0…n−1 or 1…n, each once (a run starting elsewhere may be years or ages).
        let isRowNumber = allWhole && allDistinct && values.count >= minimumRowsForIdentifierByValues
            && [0, 1].contains(numbers.min() ?? -1) && (numbers.max() ?? 0) - (numbers.min() ?? 0) + 1 == Double(values.count)

        let foundDatetimePattern = allNumeric || declaredKind != nil ? nil : datetimePattern(for: present)

        var kind: ColumnKind
        if let declaredKind {
            kind = declaredKind
        } else if !allNumeric && looksLikeFreeText(present, distinctCount: distinct.count) {
            return ColumnSchema(name: name, kind: .identifier, nullable: nullable, role: .drop,
                                description: "free text (long values with spaces, nearly all distinct): a generator cannot learn it and a copy could identify a patient, so the column is dropped")
        } else if allDistinct && (isNamedLikeIdentifier(name) || isRowNumber
                                  || (!allNumeric && foundDatetimePattern == nil && values.count >= minimumRowsForIdentifierByValues)) {
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
        } else if foundDatetimePattern != nil {
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
                column.decimals = min(present.map { decimalPlaces($0, mark: numberFormat.decimalMark) }.max() ?? 0, 6)
            }
        case .datetime:
            let pattern = declaredFormat ?? foundDatetimePattern ?? datetimePattern(for: present) ?? "%Y-%m-%d"
            column.datetimeFormat = pattern
            let format = try? DatetimeFormat(pattern: pattern)
            let seconds = present.compactMap { format?.seconds(parsing: $0) }
            column.bounds = Bounds(min: seconds.min() ?? 0, max: seconds.max() ?? 0, provenance: .data,
                                   reason: "earliest and latest datetime of the data")
        case .categorical, .ordinal:
            let sorted: [String]
            if allNumeric {
                sorted = distinct.sorted { (parseDecimal($0, format: numberFormat) ?? 0) < (parseDecimal($1, format: numberFormat) ?? 0) }
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

    /// All-distinct text (or a run of consecutive whole numbers) counts as an identifier from
    /// this many rows on; below it, distinct values are too likely by chance.
    static let minimumRowsForIdentifierByValues = 20

    /// Last words of a column name that mark a key: `id`, `patient_id`, `PatientID`, `patientId`,
    /// `record.id`, `mrn`, `uuid`; and short names ending in "id" (`pid`, `sid`).
    static let identifierWords: Set<String> = ["id", "ids", "mrn", "uuid", "guid", "ssn"]

    static func isNamedLikeIdentifier(_ name: String) -> Bool {
        let lowered = name.lowercased()
        if lowered.hasSuffix("id") && lowered.count <= 4 { return true }
        return nameWords(name).last.map { identifierWords.contains($0) } ?? false
    }

    /// The words of a column name, lowercased: split at non-alphanumerics and at camel-case
    /// boundaries ("PatientID" → patient, id; "patientId" → patient, id).
    static func nameWords(_ name: String) -> [String] {
        var words: [String] = []
        var current = ""
        var previous: Character?
        for character in name {
            guard character.isLetter || character.isNumber else {
                if !current.isEmpty { words.append(current) }
                current = ""
                previous = nil
                continue
            }
            if character.isUppercase, let previous, previous.isLowercase || previous.isNumber, !current.isEmpty {
                words.append(current)
                current = ""
            }
            current.append(character)
            previous = character
        }
        if !current.isEmpty { words.append(current) }
        return words.map { $0.lowercased() }
    }

    /// Free text: most values hold a space, they average at least 20 characters, and at least
    /// nine in ten are distinct (a diagnosis list repeats; notes do not).
    static func looksLikeFreeText(_ present: [String], distinctCount: Int) -> Bool {
        guard present.count >= minimumRowsForIdentifierByValues, distinctCount * 10 >= present.count * 9 else { return false }
        let withSpaces = present.reduce(0) { $0 + ($1.contains(" ") ? 1 : 0) }
        let characters = present.reduce(0) { $0 + $1.count }
        return withSpaces * 2 > present.count && characters >= 20 * present.count
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

    /// Digits after the decimal mark (0 for exponent notation).
    static func decimalPlaces(_ text: String, mark: UInt8 = UInt8(ascii: ".")) -> Int {
        guard !text.contains("e"), !text.contains("E"),
              let dot = text.firstIndex(of: Character(Unicode.Scalar(mark))) else { return 0 }
        return text.distance(from: text.index(after: dot), to: text.endIndex)
    }
}
