extension SchemaInference {
    /// Chooses the decimal mark and the thousands grouping of a table read with `format`, for
    /// `schema infer` on exports that write `37,5`, `1.234,5`, `1 234,5` (no-break space) or
    /// `1'234.5`.
    ///
    /// A column is evidence for the comma when its values all read as numbers with `,` as the
    /// decimal mark (each with one grouping mark at most, see `commaGroupings`) and some hold a
    /// `,`; evidence for the point when they all read as `.` numbers and some are not valid
    /// under the comma (`37.5`). Comma evidence alone makes `,` the decimal mark for the whole
    /// table; evidence both ways is not guessed at: the mark stays `.` and a note names the
    /// columns of each kind. In a `,`-delimited file a value can hold a `,` only when quoted
    /// (`1,"37,5"`), so such columns count too, except those whose every `,` has three digits
    /// after it: `"1,234"` is as likely an English thousands mark, and the note says so.
    ///
    /// The grouping mark is then the one that columns need: a column needs a mark when its
    /// values read as numbers with it and not without it. One mark for the table; columns that
    /// need different ones are named, not guessed at. Each choice, and each value whose reading
    /// it changes (`1.234` is 1234 once `.` groups thousands), is stated in the notes.
    ///
    /// - Parameters:
    ///   - declaredDecimal: the user's `--decimal-separator`, if given: kept; the grouping is
    ///     still detected unless `declaredGrouping` is given.
    ///   - declaredGrouping: the user's `--grouping-separator`, if given: kept.
    /// - Returns: the format with the marks chosen, and notes saying what was chosen and why.
    public static func choosingNumberFormat(_ table: TextTable, format: SourceFormat,
                                            declaredDecimal: DecimalSeparator? = nil,
                                            declaredGrouping: GroupingSeparator? = nil) -> (format: SourceFormat, notes: [String]) {
        var format = format
        format.groupingSeparator = declaredGrouping
        if let declaredDecimal { format.decimalSeparator = declaredDecimal }
        let columns = zip(table.columnNames, table.columns).map { (name: $0, values: $1.compactMap { $0 }) }.filter { !$0.values.isEmpty }
        var notes: [String] = []
        if declaredDecimal == nil {
            // Columns whose every '.' value reads both as a '.' decimal and as '.'-grouped thousands.
            var eitherWayColumns: [(name: String, example: String)] = []
            var commaColumns: [(name: String, example: String)] = []
            var pointColumns: [(name: String, example: String)] = []
            var commaThousandsColumns: [(name: String, example: String)] = []
            for (name, present) in columns {
                // A column counts only when all its values read one way (the branches below).
                let readsWithComma = grouping(needed: present, decimal: .comma) != nil
                let readsWithPoint = grouping(needed: present, decimal: .point) != nil
                if readsWithComma, let example = present.first(where: { $0.contains(",") }) {
                    if format.delimiter == ",", present.allSatisfy(hasThreeDigitsAfterEveryComma) {
                        commaThousandsColumns.append((name, example))
                    } else {
                        commaColumns.append((name, example))
                    }
                } else if readsWithPoint, let example = present.first(where: { $0.contains(".") }) {
                    if readsWithComma {
                        eitherWayColumns.append((name, example))
                    } else {
                        pointColumns.append((name, example))
                    }
                }
            }
            if !commaThousandsColumns.isEmpty {
                notes.append("columns \(named(commaThousandsColumns)): every ',' in them has three digits after it, as an English thousands separator would; they are not read as numbers. Infer again with --grouping-separator , if ',' groups thousands, or with --decimal-separator , if it is the decimal mark")
            }
            if commaColumns.isEmpty {
                // No decimal comma anywhere: '.' stays the decimal mark, but values that all
                // look like thousands ('2.500' grams) may be meant that way.
                if !eitherWayColumns.isEmpty {
                    notes.append("columns \(named(eitherWayColumns)): every '.' in them has three digits after it, as a thousands separator would; they are read with '.' as the decimal mark (\(eitherWayColumns[0].example) as \(decimalText(parseDecimal(eitherWayColumns[0].example) ?? 0))). If '.' groups thousands in this file, infer again with --decimal-separator , --grouping-separator .")
                }
            } else if !pointColumns.isEmpty {
                notes.append("decimal mark not chosen: columns \(named(commaColumns)) are written with ',' decimals and columns \(named(pointColumns)) with '.'; a schema reads one decimal mark, so '.' was kept and the ',' columns are not numbers. Make the file consistent, or pass --decimal-separator")
            } else {
                format.decimalSeparator = .comma
                notes.append("decimal mark ',' chosen (source.decimalSeparator): columns \(named(commaColumns)) hold numbers written with a decimal comma, and no column holds '.' decimals. Every continuous and integer column is read that way, so '1,234' is 1.234; the release is written with '.'. Pass --decimal-separator . to read ',' otherwise")
            }
        }
        guard declaredGrouping == nil else { return (format, notes) }

        // The grouping mark each column needs under the chosen decimal mark.
        var needing: [GroupingSeparator: [(name: String, example: String)]] = [:]
        for (name, present) in columns {
            guard let mark = grouping(needed: present, decimal: format.decimalSeparator) ?? nil,
                  let example = present.first(where: { $0.unicodeScalars.contains(mark.scalar) }) else { continue }
            needing[mark, default: []].append((name, example))
        }
        let marks = GroupingSeparator.allCases.filter { needing[$0] != nil }
        guard let mark = marks.first else { return (format, notes) }
        guard marks.count == 1 else {
            notes.append("thousands separator not chosen: " + marks.map { "columns \(named(needing[$0] ?? [])) need \($0.quoted)" }.joined(separator: ", ")
                         + "; a schema reads one grouping mark, so those columns are not numbers. Make the file consistent, or pass --grouping-separator")
            return (format, notes)
        }
        format.groupingSeparator = mark
        let numberFormat = NumberFormat(format)
        // Under ',' decimals, a column whose values all read as '.' decimals too ('1.234') is
        // read as thousands: said apart, since it may be a file mixing decimal marks.
        let values = Dictionary(columns.map { ($0.name, $0.values) }, uniquingKeysWith: { first, _ in first })
        let eitherWay = (needing[mark] ?? []).filter { column in
            mark == .point && values[column.name]?.allSatisfy { parseDecimal($0) != nil } == true
        }
        let needs = (needing[mark] ?? []).filter { column in !eitherWay.contains { $0.name == column.name } }
        var note = "\(mark.quoted) read as the thousands separator (source.groupingSeparator)"
        if !needs.isEmpty { note += ": columns \(named(needs)) need it" }
        if !eitherWay.isEmpty {
            note += "\(needs.isEmpty ? ":" : ";") columns \(named(eitherWay)) are read as whole numbers (\(eitherWay[0].example) as \(decimalText(parseDecimal(eitherWay[0].example, format: numberFormat) ?? 0))); if '.' is their decimal point, the file mixes decimal marks: fix it"
        }
        notes.append(note)
        return (format, notes)
    }

    /// The grouping marks looked for under each decimal mark: the usual ones of the countries
    /// writing it. `,` is never looked for under `.` (`1,234` may be a decimal comma), and the
    /// ASCII space is never guessed (a value such as `12 345` may be two codes in a text field).
    static func groupingCandidates(decimal: DecimalSeparator) -> [GroupingSeparator] {
        switch decimal {
        case .comma: return [.point, .noBreakSpace, .narrowNoBreakSpace, .apostrophe, .rightSingleQuotationMark]
        case .point: return [.noBreakSpace, .narrowNoBreakSpace, .apostrophe, .rightSingleQuotationMark]
        }
    }

    /// How `values` read as numbers with `decimal`: `.some(nil)` without grouping, `.some(mark)`
    /// with the first candidate mark that every value needs, nil when they do not all read.
    static func grouping(needed values: [String], decimal: DecimalSeparator) -> GroupingSeparator?? {
        let plain = NumberFormat(decimalMark: decimal.byte, grouping: nil)
        if values.allSatisfy({ parseDecimal($0, format: plain) != nil }) { return .some(nil) }
        for mark in groupingCandidates(decimal: decimal) where values.contains(where: { $0.unicodeScalars.contains(mark.scalar) }) {
            let grouped = NumberFormat(decimalMark: decimal.byte, grouping: mark.scalar)
            if values.allSatisfy({ parseDecimal($0, format: grouped) != nil }) { return .some(mark) }
        }
        return nil
    }

    /// `1,234` and `12,345,678`: every `,` followed by exactly three digits and then a `,` or
    /// the end (or a value without `,`).
    static func hasThreeDigitsAfterEveryComma(_ text: String) -> Bool {
        text.split(separator: ",", omittingEmptySubsequences: false).dropFirst().allSatisfy { $0.utf8.count == 3 && $0.utf8.allSatisfy { $0 &- 48 < 10 } }
    }

    private static func named(_ columns: [(name: String, example: String)]) -> String {
        columns.prefix(3).map { "'\($0.name)' ('\($0.example)')" }.joined(separator: ", ") + (columns.count > 3 ? ", …" : "")
    }
}
