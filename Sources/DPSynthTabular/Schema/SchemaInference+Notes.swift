extension SchemaInference {
    /// Texts that mean "missing" in exports from R, pandas, Excel, SAS and the UCI archive
    /// (pandas' default `na_values` without "None", "-nan" and the like, which are as often real
    /// values, plus UCI's "?"). Matched after trimming spaces.
    public static let conventionalMissingTokens: Set<String> = ["NA", "N/A", "n/a", "#N/A", "<NA>", "NaN", "nan", "NULL", "null", "?"]

    /// Treats the conventional missing tokens the table holds as missing, as pandas' `read_csv`
    /// does by default: without this an R export's `NA` turns a lab column into a categorical
    /// with an "NA" category, and Adult's `?` becomes a workclass.
    ///
    /// - Returns: the table with those cells missing, the format with the tokens (exactly as
    ///   the file spells them, spaces included) added to `missingTokens`, and each token with the
    ///   number of cells it matched, for the user to read.
    public static func treatingConventionalMissingTokensAsMissing(_ table: TextTable, format: SourceFormat)
        -> (table: TextTable, format: SourceFormat, found: [(token: String, cells: Int)]) {
        var counts: [String: Int] = [:]
        for column in table.columns {
            for case let text? in column where conventionalMissingTokens.contains(String(trimmedSpaces(text))) {
                counts[text, default: 0] += 1
            }
        }
        guard !counts.isEmpty else { return (table, format, []) }
        let columns = table.columns.map { column in column.map { text in text.flatMap { counts[$0] == nil ? $0 : nil } } }
        var format = format
        let tokens = counts.keys.sorted()
        format.missingTokens += tokens.filter { !format.missingTokens.contains($0) }
        return (TextTable(source: table.source, columnNames: table.columnNames, columns: columns), format,
                tokens.map { ($0, counts[$0] ?? 0) })
    }

    /// What a user should read before fitting on an inferred schema: every column whose kind
    /// or role was decided by a rule that can be wrong, values that look mis-read (spaces
    /// around them, decimal commas), columns with nothing to learn, and the label's fit.
    public static func notes(for table: TextTable, schema: Schema) -> [String] {
        var notes: [String] = []
        var spaced: [String] = []
        for (index, column) in schema.columns.enumerated() where index < table.columns.count {
            let present = table.columns[index].compactMap { $0 }
            let quotedName = "column '\(column.name)'"
            if present.isEmpty {
                notes.append("\(quotedName): no value in any row; dropped")
                continue
            }
            if column.role == .drop && column.kind == .identifier && looksLikeFreeText(present, distinctCount: Set(present).count) {
                notes.append("\(quotedName): free text; dropped (never modelled or released). Replace it by coded columns if it matters")
                continue
            }
            if !schema.source.trimWhitespace,
               present.allSatisfy({ $0.first == " " || $0.last == " " || $0.first == "\t" || $0.last == "\t" }) {
                spaced.append(column.name)
            }
            if schema.source.decimalSeparator == .point, present.allSatisfy(looksLikeDecimalComma) {
                notes.append("\(quotedName): values such as '\(present[0])' look like numbers with a decimal comma, but the schema reads '.' decimals, so it is \(column.kind.rawValue). If ',' is the decimal mark, infer again with --decimal-separator ,")
                continue
            }
            let numberFormat = NumberFormat(schema.source)
            let numbers = column.kind.isNumeric ? present.count : present.reduce(0) { $0 + (parseDecimal($1, format: numberFormat) == nil ? 0 : 1) }
            if numbers < present.count, numbers * 10 >= present.count * 9 {
                let others = Array(Set(present.filter { parseDecimal($0, format: numberFormat) == nil })).sorted()
                notes.append("\(quotedName): \(numbers) of \(present.count) values are numbers, but not \(others.prefix(3).map { "'\($0)'" }.joined(separator: ", "))\(others.count > 3 ? ", …" : ""), so it is \(column.kind.rawValue). Correct those values or make them missing (--missing), then infer again")
            }
            if column.kind == .datetime, let pattern = column.datetimeFormat, let swapped = swappedDatetimePatterns[pattern],
               let format = try? DatetimeFormat(pattern: swapped), present.allSatisfy({ format.seconds(parsing: $0) != nil }) {
                notes.append("\(quotedName): dates such as '\(present[0])' were read day first (\(pattern)); if the month comes first, set datetimeFormat to \(swapped)")
            }
            switch column.kind {
            case .identifier:
                notes.append("\(quotedName): identifier (every value distinct); never modelled, and sample writes new ones (1, 2, …). If it is a measurement, set its kind")
            case .categorical, .ordinal:
                let labels = column.categoryLabels
                if labels.count > maximumCategoriesBeforeNote {
                    notes.append("\(quotedName): \(labels.count) categories in \(table.rowCount) rows; a DP model learns rare ones poorly and --schema-epsilon drops them. Group them, or drop the column")
                }
            case .continuous, .integer, .datetime, .boolean:
                break
            }
            if column.kind != .identifier, present.allSatisfy({ $0 == present[0] }) {
                notes.append("\(quotedName): one value only ('\(present[0])'): nothing to learn; consider role \"drop\"")
            }
        }
        notes += siblingNotes(schema)
        if !spaced.isEmpty {
            notes.append("every value of \(spaced.count) column\(spaced.count == 1 ? "" : "s") (\(spaced.prefix(3).map { "'\($0)'" }.joined(separator: ", "))\(spaced.count > 3 ? ", …" : "")) starts or ends with a space; pass --trim to strip them")
        }
        if let label = schema.labelColumnIndex.map({ schema.columns[$0] }) {
            if label.kind.isNumeric {
                notes.append("label '\(label.name)' is \(label.kind.rawValue): fit's default AC-GAN needs a categorical label, so fit with --model gan (the audit then reports R²), or make it categorical")
            } else if label.categoryLabels.count > maximumCategoriesBeforeNote {
                notes.append("label '\(label.name)' has \(label.categoryLabels.count) classes: the AC-GAN conditions on each; check that it is the outcome you mean")
            }
        } else {
            let candidates = labelCandidates(schema)
            let named = candidates.isEmpty
                ? "No column looks like one (none is boolean or has 2–\(maximumLabelCandidateClasses) categories)"
                : "Candidates: " + candidates.map { "'\($0.name)' (\($0.why))" }.joined(separator: ", ") + "; none was picked for you"
            notes.append("no label column: fit's default AC-GAN refuses to run (fit --model gan trains an unconditional GAN instead), and the audit has no prediction-utility section (train on synthetic, test on real), only column shapes, pair trends and risk. \(named). Infer again with --label COL, or pass fit --label COL, for the outcome you mean")
        }
        return notes
    }

    /// Label-candidate columns hold at most this many classes.
    static let maximumLabelCandidateClasses = 10

    /// Last words of a column name that usually mark an outcome.
    static let outcomeWords: Set<String> = ["label", "target", "class", "outcome", "status", "death", "died", "dead",
                                             "survived", "diagnosis", "event", "response", "result", "y", "income"]

    /// Modelled boolean or categorical columns with 2 to `maximumLabelCandidateClasses`
    /// classes, the ones named like an outcome first, each with why it qualifies: what the
    /// AC-GAN can condition on and the audit can predict. A hint to read, never a choice.
    static func labelCandidates(_ schema: Schema) -> [(name: String, why: String)] {
        var candidates: [(name: String, why: String, named: Bool)] = []
        for column in schema.columns where column.isModelled && column.kind.isCategorical {
            let classes = column.categoryLabels.count
            guard classes >= 2, classes <= maximumLabelCandidateClasses else { continue }
            let named = nameWords(column.name).last.map { outcomeWords.contains($0) } ?? false
            let shape = column.kind == .boolean || classes == 2 ? "binary" : "\(column.kind.rawValue), \(classes) classes"
            candidates.append((column.name, shape + (named ? ", named like an outcome" : ""), named))
        }
        return candidates.enumerated().sorted { ($0.element.named ? 0 : 1, $0.offset) < ($1.element.named ? 0 : 1, $1.offset) }
            .map { ($0.element.name, $0.element.why) }
    }

    /// Category lists longer than this get a note.
    static let maximumCategoriesBeforeNote = 50

    /// "3,14" or "-0,5": digits, one comma, digits.
    static func looksLikeDecimalComma(_ text: String) -> Bool {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[1].isEmpty, parts[1].allSatisfy(\.isASCIIDigit) else { return false }
        let whole = parts[0].hasPrefix("-") ? parts[0].dropFirst() : parts[0][...]
        return !whole.isEmpty && whole.allSatisfy(\.isASCIIDigit)
    }

    static func trimmedSpaces(_ text: String) -> Substring {
        var slice = Substring(text)
        while slice.first == " " || slice.first == "\t" { slice = slice.dropFirst() }
        while slice.last == " " || slice.last == "\t" { slice = slice.dropLast() }
        return slice
    }
}

private extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
