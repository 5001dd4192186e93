extension SchemaInference {
    /// A family of sibling columns holds at least this many.
    static let minimumSiblingColumns = 3

    /// The name with every run of digits replaced by `#` (`px_3_7` → `px_#_#`, `lab2` →
    /// `lab#`), or nil when the name holds no digit: columns sharing a pattern are siblings
    /// (the pixels of an image, the visits of a study, repeated measurements).
    static func siblingPattern(_ name: String) -> String? {
        var pattern = ""
        var sawDigit = false
        var inDigits = false
        for character in name {
            if character.isASCII && character.isNumber {
                if !inDigits { pattern.append("#") }
                inDigits = true
                sawDigit = true
            } else {
                pattern.append(character)
                inDigits = false
            }
        }
        return sawDigit ? pattern : nil
    }

    /// Gives sibling columns of whole numbers one kind.
    ///
    /// Alone, a whole-number column with at most `maximumCategoricalDistinctNumbers` distinct
    /// values is categorical (a 0/1 column boolean) and one with more is integer, so the 64
    /// pixels of an 8×8 image (0–16 each) came out as a mix of the three kinds depending on how
    /// many intensities each pixel happened to show: the generator then modelled neighbouring
    /// pixels in different ways, and a category absent from one pixel's list could never be
    /// generated there. When columns share a `siblingPattern`, all hold whole numbers, and
    /// the rule gave them different kinds, every one becomes integer, bounded by the smallest
    /// and largest value over the family (one value domain, provenance `data`). Families whose
    /// columns all got one kind, and columns whose kind was declared, are left alone.
    ///
    /// `siblingNotes` names each family changed.
    static func unifyingSiblingKinds(_ columns: [ColumnSchema], table: TextTable, numberFormat: NumberFormat,
                                     declared: Set<String>) -> [ColumnSchema] {
        var members: [String: [Int]] = [:]
        var order: [String] = []
        for (index, column) in columns.enumerated() where !declared.contains(column.name) && column.role == .feature
            && [.integer, .categorical, .boolean].contains(column.kind) {
            guard let pattern = siblingPattern(column.name) else { continue }
            if members[pattern] == nil { order.append(pattern) }
            members[pattern, default: []].append(index)
        }
        var columns = columns
        for pattern in order {
            guard let indices = members[pattern], indices.count >= minimumSiblingColumns,
                  Set(indices.map { columns[$0].kind }).count > 1 else { continue }
            var values: [Double] = []
            var allWhole = true
            for index in indices {
                let present = table.columns[index].compactMap { $0 }
                let numbers = present.compactMap { parseDecimal($0, format: numberFormat) }
                if numbers.count != present.count || !numbers.allSatisfy({ $0 == $0.rounded() && abs($0) < 1e15 }) {
                    allWhole = false
                    break
                }
                values += numbers
            }
            guard allWhole, let low = values.min(), let high = values.max() else { continue }
            for index in indices {
                var column = ColumnSchema(name: columns[index].name, kind: .integer, nullable: columns[index].nullable,
                                          role: columns[index].role, description: columns[index].description)
                column.bounds = Bounds(min: low, max: high, provenance: .data,
                                       reason: siblingBoundsReason(count: indices.count, pattern: pattern))
                columns[index] = column
            }
        }
        return columns
    }

    /// The reason of a family's bounds; `notes(for:schema:)` finds the families by it.
    static func siblingBoundsReason(count: Int, pattern: String) -> String {
        "minimum and maximum of the data over the \(count) sibling columns \(pattern)"
    }

    /// One note per family `unifyingSiblingKinds` made integer.
    static func siblingNotes(_ schema: Schema) -> [String] {
        let integerPatterns = schema.columns.map { $0.kind == .integer ? siblingPattern($0.name) : nil }
        var integerCount: [String: Int] = [:]
        for case let pattern? in integerPatterns { integerCount[pattern, default: 0] += 1 }
        var families: [String: [String]] = [:]
        var order: [String] = []
        for (column, pattern) in zip(schema.columns, integerPatterns) {
            guard let pattern, let bounds = column.bounds, let count = integerCount[pattern],
                  bounds.reason == siblingBoundsReason(count: count, pattern: pattern) else { continue }
            if families[pattern] == nil { order.append(pattern) }
            families[pattern, default: []].append(column.name)
        }
        return order.compactMap { pattern in
            guard let names = families[pattern], let bounds = schema.columns.first(where: { $0.name == names[0] })?.bounds else { return nil }
            return "columns \(pattern) ('\(names[0])' … '\(names[names.count - 1])', \(names.count) columns): whole numbers of one domain (\(decimalText(bounds.min))–\(decimalText(bounds.max))) that the distinct-count rule would have split between categorical, boolean and integer; all made integer with the family's bounds. If they are codes, declare them categorical"
        }
    }
}
