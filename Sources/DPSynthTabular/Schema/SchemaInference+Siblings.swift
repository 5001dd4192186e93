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
    /// Then `unifyingAdjacentBlocks` does the same for adjacent columns with unrelated names.
    /// `siblingNotes` names each family and block changed.
    static func unifyingSiblingKinds(_ columns: [ColumnSchema], table: TextTable, numberFormat: NumberFormat,
                                     declared: Set<String>) -> [ColumnSchema] {
        var members: [String: [Int]] = [:]
        var order: [String] = []
        for (index, column) in columns.enumerated() where mayUnifyKind(of: column, declared: declared) {
            guard let pattern = siblingPattern(column.name) else { continue }
            if members[pattern] == nil { order.append(pattern) }
            members[pattern, default: []].append(index)
        }
        var columns = columns
        for pattern in order {
            guard let indices = members[pattern], indices.count >= minimumSiblingColumns,
                  Set(indices.map { columns[$0].kind }).count > 1 else { continue }
            let ranges = indices.map { wholeNumberRange(table.columns[$0], numberFormat: numberFormat) }
            guard ranges.allSatisfy({ $0 != nil }), let low = ranges.compactMap({ $0?.lowerBound }).min(),
                  let high = ranges.compactMap({ $0?.upperBound }).max() else { continue }
            makeInteger(&columns, indices, bounds: Bounds(min: low, max: high, provenance: .data,
                                                          reason: siblingBoundsReason(count: indices.count, pattern: pattern)))
        }
        return unifyingAdjacentBlocks(columns, table: table, numberFormat: numberFormat, declared: declared,
                                      families: Set(order.filter { (members[$0]?.count ?? 0) >= minimumSiblingColumns }))
    }

    /// Gives a block of adjacent whole-number columns of one range one kind, whatever their
    /// names (`a`, `b`, `c`, … each 0–16: the pixels of an image exported with plain column
    /// letters, the items of a questionnaire scored 0–4).
    ///
    /// Names are the family rule's evidence that columns share a domain; without them the
    /// evidence is the data: at least `minimumSiblingColumns` adjacent columns whose values all
    /// are whole numbers with the same smallest and the same largest value. Equal ranges, not
    /// overlapping ones, so that neighbours that merely look alike (an age 18–90 next to a
    /// count 0–40) are never merged; a column showing a narrower range (an edge pixel that is
    /// always 0) ends the block, and the blocks on either side are judged alone. As for
    /// families, a block is changed only when the distinct-count rule gave its columns
    /// different kinds; declared columns, non-features and members of a named family
    /// (`families`, whose rule governs them) are left out. Bounds are the common range
    /// (provenance `data`).
    static func unifyingAdjacentBlocks(_ columns: [ColumnSchema], table: TextTable, numberFormat: NumberFormat,
                                       declared: Set<String>, families: Set<String>) -> [ColumnSchema] {
        var columns = columns
        let ranges: [ClosedRange<Double>?] = columns.indices.map { index in
            let column = columns[index]
            guard mayUnifyKind(of: column, declared: declared),
                  siblingPattern(column.name).map({ families.contains($0) }) != true else { return nil }
            return wholeNumberRange(table.columns[index], numberFormat: numberFormat)
        }
        var start = 0
        while start < columns.count {
            var end = start + 1
            if let range = ranges[start] {
                while end < columns.count && ranges[end] == range { end += 1 }
                let block = Array(start..<end)
                if block.count >= minimumSiblingColumns, Set(block.map { columns[$0].kind }).count > 1 {
                    makeInteger(&columns, block, bounds: Bounds(min: range.lowerBound, max: range.upperBound, provenance: .data,
                                                                reason: blockBoundsReason(first: columns[start].name,
                                                                                          last: columns[end - 1].name, count: block.count)))
                }
            }
            start = end
        }
        return columns
    }

    /// Whether a column's kind is the distinct-count rule's to change: an inferred (not declared)
    /// feature that the rule made integer, categorical or boolean.
    private static func mayUnifyKind(of column: ColumnSchema, declared: Set<String>) -> Bool {
        !declared.contains(column.name) && column.role == .feature && [.integer, .categorical, .boolean].contains(column.kind)
    }

    /// The smallest and largest value of a column whose present values are all whole numbers.
    private static func wholeNumberRange(_ values: [String?], numberFormat: NumberFormat) -> ClosedRange<Double>? {
        let present = values.compactMap { $0 }
        let numbers = present.compactMap { parseDecimal($0, format: numberFormat) }
        guard numbers.count == present.count, numbers.allSatisfy({ $0 == $0.rounded() && abs($0) < 1e15 }),
              let low = numbers.min(), let high = numbers.max() else { return nil }
        return low...high
    }

    private static func makeInteger(_ columns: inout [ColumnSchema], _ indices: [Int], bounds: Bounds) {
        for index in indices {
            var column = ColumnSchema(name: columns[index].name, kind: .integer, nullable: columns[index].nullable,
                                      role: columns[index].role, description: columns[index].description)
            column.bounds = bounds
            columns[index] = column
        }
    }

    /// The reason of a block's bounds; `siblingNotes` finds the blocks by it.
    static func blockBoundsReason(first: String, last: String, count: Int) -> String {
        "minimum and maximum of the data over the \(count) adjacent columns '\(first)' … '\(last)' of one range"
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
        } + blockNotes(schema)
    }

    /// One note per block `unifyingAdjacentBlocks` made integer: a run of integer columns whose
    /// bounds carry the block's reason for exactly that run.
    private static func blockNotes(_ schema: Schema) -> [String] {
        var notes: [String] = []
        var start = 0
        let columns = schema.columns
        while start < columns.count {
            var end = start + 1
            if columns[start].kind == .integer, let bounds = columns[start].bounds {
                while end < columns.count && columns[end].kind == .integer && columns[end].bounds == bounds { end += 1 }
                if bounds.reason == blockBoundsReason(first: columns[start].name, last: columns[end - 1].name, count: end - start) {
                    notes.append("columns '\(columns[start].name)' … '\(columns[end - 1].name)' (\(end - start) adjacent columns): whole numbers of one range (\(decimalText(bounds.min))–\(decimalText(bounds.max))) that the distinct-count rule would have split between categorical, boolean and integer; all made integer with that range, although their names differ. If they are codes, or unrelated, declare their kinds")
                }
            }
            start = end
        }
        return notes
    }
}
