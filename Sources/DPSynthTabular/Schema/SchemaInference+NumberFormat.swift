extension SchemaInference {
    /// Chooses the decimal mark (and thousands grouping) of a table read with `format`, for
    /// `schema infer` on exports that write `37,5` and `1.234,5`.
    ///
    /// Only a file whose delimiter is not `,` can hold decimal commas unquoted, so only such a
    /// file is examined. A column is evidence for the comma when its values all read as numbers
    /// with `,` as the decimal mark (and `.` grouping thousands) and some hold a `,`; evidence for
    /// the point when they all read as `.` numbers and some are not valid under the comma
    /// (`37.5`). Comma evidence alone makes `,` the decimal mark for the whole table, with `.`
    /// grouping when a value needs it; evidence both ways is not guessed at: the mark stays `.`
    /// and a note names the columns of each kind. Each choice, and each value whose reading it
    /// changes (`1.234` is 1234 once `.` groups thousands), is stated in the notes.
    ///
    /// - Parameters:
    ///   - declaredDecimal: the user's `--decimal-separator`, if given: kept; with `,`, the
    ///     grouping is still detected unless `declaredGrouping` is given.
    ///   - declaredGrouping: the user's `--grouping-separator`, if given: kept.
    /// - Returns: the format with the marks chosen, and notes saying what was chosen and why.
    public static func choosingNumberFormat(_ table: TextTable, format: SourceFormat,
                                            declaredDecimal: DecimalSeparator? = nil,
                                            declaredGrouping: GroupingSeparator? = nil) -> (format: SourceFormat, notes: [String]) {
        var format = format
        format.groupingSeparator = declaredGrouping
        if let declaredDecimal { format.decimalSeparator = declaredDecimal }
        if declaredDecimal == .point || (declaredDecimal == nil && format.delimiter == ",") { return (format, []) }

        let comma = NumberFormat(decimalMark: UInt8(ascii: ","), groupingMark: 0)
        let commaGrouped = NumberFormat(decimalMark: UInt8(ascii: ","), groupingMark: UInt8(ascii: "."))
        var commaColumns: [(name: String, example: String)] = []
        var pointColumns: [(name: String, example: String)] = []
        // Columns that need '.' grouping, and columns whose every '.' value reads both ways.
        var groupedColumns: [(name: String, example: String)] = []
        var eitherWayColumns: [(name: String, example: String)] = []
        for (name, values) in zip(table.columnNames, table.columns) {
            let present = values.compactMap { $0 }
            guard !present.isEmpty else { continue }
            // A column counts only when all its values read one way (the branches below).
            let readsWithComma = present.allSatisfy { parseDecimal($0, format: commaGrouped) != nil }
            let readsWithPoint = present.allSatisfy { parseDecimal($0) != nil }
            if readsWithComma, let example = present.first(where: { $0.contains(",") }) {
                commaColumns.append((name, example))
                if present.allSatisfy({ parseDecimal($0, format: comma) != nil }) == false,
                   let grouped = present.first(where: { $0.contains(".") }) {
                    groupedColumns.append((name, grouped))
                }
            } else if readsWithPoint, let example = present.first(where: { $0.contains(".") }) {
                if readsWithComma {
                    eitherWayColumns.append((name, example))
                } else {
                    pointColumns.append((name, example))
                }
            }
        }
        func named(_ columns: [(name: String, example: String)]) -> String {
            columns.prefix(3).map { "'\($0.name)' ('\($0.example)')" }.joined(separator: ", ") + (columns.count > 3 ? ", …" : "")
        }
        if declaredDecimal == nil {
            guard !commaColumns.isEmpty else {
                // No decimal comma anywhere: '.' stays the decimal mark, but values that all
                // look like thousands ('2.500' grams) may be meant that way.
                guard !eitherWayColumns.isEmpty else { return (format, []) }
                return (format, ["columns \(named(eitherWayColumns)): every '.' in them has three digits after it, as a thousands separator would; they are read with '.' as the decimal mark (\(eitherWayColumns[0].example) as \(decimalText(parseDecimal(eitherWayColumns[0].example) ?? 0))). If '.' groups thousands in this file, infer again with --decimal-separator , --grouping-separator ."])
            }
            guard pointColumns.isEmpty else {
                return (format, ["decimal mark not chosen: columns \(named(commaColumns)) are written with ',' decimals and columns \(named(pointColumns)) with '.'; a schema reads one decimal mark, so '.' was kept and the ',' columns are not numbers. Make the file consistent, or pass --decimal-separator"])
            }
            format.decimalSeparator = .comma
        }
        var notes: [String] = []
        if declaredDecimal == nil {
            notes.append("decimal mark ',' chosen (source.decimalSeparator): columns \(named(commaColumns)) hold numbers written with a decimal comma, and no column holds '.' decimals. Every continuous and integer column is read that way, so '1,234' is 1.234; the release is written with '.'. Pass --decimal-separator . to read ',' otherwise")
        }
        if declaredGrouping == nil, !groupedColumns.isEmpty || !eitherWayColumns.isEmpty {
            format.groupingSeparator = .point
            var note = "'.' read as the thousands separator (source.groupingSeparator)"
            if !groupedColumns.isEmpty { note += ": columns \(named(groupedColumns)) need it" }
            if !eitherWayColumns.isEmpty {
                note += "\(groupedColumns.isEmpty ? ":" : ";") columns \(named(eitherWayColumns)) are read as whole numbers (\(eitherWayColumns[0].example) as \(decimalText(parseDecimal(eitherWayColumns[0].example, format: commaGrouped) ?? 0))); if '.' is their decimal point, the file mixes decimal marks: fix it"
            }
            notes.append(note)
        }
        return (format, notes)
    }
}
