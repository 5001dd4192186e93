import DPSynthRandom

/// Turns a table into the Float matrix a generator trains on, and a generated matrix back
/// into a table.
///
/// Layout, column by column in schema order (identifiers and dropped columns take no space):
/// - categorical, ordinal, boolean: a one-hot block over the categories, plus a last "missing"
///   entry when the column is nullable;
/// - continuous, integer, datetime (seconds): the value clipped to its bounds, then scaled by
///   the column's transform — one column for `minmax`, `standardize` and `log`, 1 + k columns
///   for `modeSpecific` (α, then the mode one-hot) — followed, when nullable, by a null
///   indicator (1 = missing, and the value columns hold 0).
///
/// `spans` lists the runs with their kind for the models' per-column output heads.
public struct TableEncoder: Sendable {
    public let schema: Schema
    /// One span per run of matrix columns, in matrix order.
    public let spans: [ColumnSpan]
    /// Matrix columns per row.
    public let width: Int
    let codecs: [ColumnCodec]

    public init(schema: Schema) throws {
        try schema.validate(source: schema.name)
        self.schema = schema
        var spans: [ColumnSpan] = []
        var codecs: [ColumnCodec] = []
        var offset = 0
        func addSpan(_ index: Int, _ kind: SpanKind, _ width: Int) {
            let column = schema.columns[index]
            spans.append(ColumnSpan(columnIndex: index, columnName: column.name, kind: kind,
                                    range: offset..<(offset + width), isLabel: column.role == .label))
            offset += width
        }
        for (index, column) in schema.columns.enumerated() {
            guard column.isModelled else { codecs.append(.notModelled); continue }
            if column.kind.isCategorical {
                let count = column.categoryLabels.count
                let start = offset
                addSpan(index, .oneHot(categoryCount: count, includesNullCategory: column.nullable),
                        count + (column.nullable ? 1 : 0))
                codecs.append(.categorical(offset: start, categoryCount: count, nullable: column.nullable))
            } else if let bounds = column.bounds {
                let scaler = NumericScaler(column: column, bounds: bounds)
                let valueOffset = offset
                if case .modeSpecific(let means, _, _) = scaler {
                    addSpan(index, .modeSpecific(modes: means.count), 1 + means.count)
                } else {
                    let (low, high) = scaler.scaledRange(bounds: bounds)
                    addSpan(index, .scaledValue(lowerBound: low, upperBound: high), 1)
                }
                var nullOffset: Int?
                if column.nullable {
                    nullOffset = offset
                    addSpan(index, .nullIndicator, 1)
                }
                codecs.append(.numeric(offset: valueOffset, scaler: scaler, nullIndicator: nullOffset, bounds: bounds))
            } else {
                codecs.append(.notModelled)
            }
        }
        self.spans = spans
        self.codecs = codecs
        self.width = offset
    }

    /// The spans of the label column (a one-hot block, or a value and its null indicator).
    public var labelSpans: [ColumnSpan] { spans.filter(\.isLabel) }

    /// Encodes `table` (typed by this encoder's schema).
    ///
    /// - Parameter strict: a value outside its bounds is an error naming its line or row,
    ///   instead of being clipped and counted.
    public func encode(_ table: Table, strict: Bool = false) throws -> (matrix: EncodedMatrix, report: EncodingReport) {
        var report = EncodingReport(columnNames: schema.columns.map(\.name))
        let values = try [Float](unsafeUninitializedCapacity: table.rowCount * width) { buffer, initialized in
            try encode(table, into: buffer, report: &report, strict: strict)
            initialized = table.rowCount * width
        }
        return (EncodedMatrix(values: values, rowCount: table.rowCount, width: width), report)
    }

    /// Encodes `table` into `buffer` (`table.rowCount × width` Floats, row-major), adding its
    /// clip counts to `report`.
    public func encode(_ table: Table, into buffer: UnsafeMutableBufferPointer<Float>, report: inout EncodingReport,
                       strict: Bool = false) throws {
        precondition(buffer.count >= table.rowCount * width, "buffer too small for \(table.rowCount) rows × \(width)")
        guard table.schema.columns.map(\.name) == schema.columns.map(\.name) else {
            throw TabularError.invalidSchema(source: table.source, reason: "the table's columns differ from the encoder's schema")
        }
        guard let base = buffer.baseAddress else { return }
        let rows = table.rowCount
        if width > 0 { base.initialize(repeating: 0, count: rows * width) }
        for index in codecs.indices {
            switch table.columns[index] {
            case .numbers(let values):
                try values.withUnsafeBufferPointer {
                    try encodeNumbers($0, column: index, into: base, report: &report, strict: strict,
                                      source: table.source, origin: table.origin(ofRow:))
                }
            case .categories(let codes):
                try codes.withUnsafeBufferPointer {
                    try encodeCategories($0, column: index, into: base, report: &report, source: table.source,
                                         origin: table.origin(ofRow:))
                }
            case .identifiers:
                continue
            }
        }
    }

    /// Writes the one-hot blocks of categorical column `column` for `codes.count` rows
    /// starting at `base` (already zeroed), counting unknown labels read as missing in `report`.
    /// Every reader (whole table, streamed CSV) hands its codes here, so the count is the same
    /// on every path.
    func encodeCategories(_ codes: UnsafeBufferPointer<Int32>, column: Int, into base: UnsafeMutablePointer<Float>,
                          report: inout EncodingReport, source: String, origin: (Int) -> RecordLocation) throws {
        guard case .categorical(let offset, let count, let nullable) = codecs[column] else { return }
        var unknown = 0
        defer { report.unknownCategoriesReadAsMissing[column] += unknown }
        for row in 0..<codes.count {
            let code = Int(codes[row])
            if code >= 0 && code < count {
                base[row * width + offset + code] = 1
            } else if nullable {
                if code == Int(ColumnValues.unknownCategoryCode) { unknown += 1 }
                base[row * width + offset + count] = 1
            } else {
                throw TabularError.missingValue(source: source, location: origin(row), column: schema.columns[column].name)
            }
        }
    }

    /// Writes the scaled values (and null indicators) of numeric column `column` for
    /// `values.count` rows starting at `base` (already zeroed), clipping to the bounds.
    func encodeNumbers(_ values: UnsafeBufferPointer<Double>, column: Int, into base: UnsafeMutablePointer<Float>,
                       report: inout EncodingReport, strict: Bool, source: String,
                       origin: (Int) -> RecordLocation) throws {
        guard case .numeric(let offset, let scaler, let nullIndicator, let bounds) = codecs[column] else { return }
        let name = schema.columns[column].name
        /// Calls `body` with each row's start and its value clipped to the bounds, after
        /// writing the null indicators and counting (or, when strict, refusing) clips.
        func forEachClippedValue(_ body: (_ rowStart: Int, _ value: Double) -> Void) throws {
            for row in 0..<values.count {
                var x = values[row]
                let rowStart = row * width
                if x.isNaN {
                    guard let nullIndicator else {
                        throw TabularError.missingValue(source: source, location: origin(row), column: name)
                    }
                    base[rowStart + nullIndicator] = 1
                    continue
                }
                if x < bounds.min || x > bounds.max {
                    if strict {
                        throw TabularError.outOfBounds(source: source, location: origin(row), column: name, value: decimalText(x),
                                                       lower: decimalText(bounds.min), upper: decimalText(bounds.max))
                    }
                    if x < bounds.min {
                        report.clippedBelow[column] += 1
                        x = bounds.min
                    } else {
                        report.clippedAbove[column] += 1
                        x = bounds.max
                    }
                }
                body(rowStart, x)
            }
        }
        if case .modeSpecific(let means, let deviations, let logWeights) = scaler {
            // The mode arrays are bound once per column, not once per value.
            var saturated = 0
            try forEachClippedValue { rowStart, x in
                let (mode, alpha) = NumericScaler.mode(of: x, means: means, standardDeviations: deviations, logWeights: logWeights)
                if abs(alpha) > 1 { saturated += 1 }
                base[rowStart + offset] = Float(min(max(alpha, -1), 1))
                base[rowStart + offset + 1 + mode] = 1
            }
            report.saturatedModeValues[column] += saturated
        } else {
            try forEachClippedValue { rowStart, x in base[rowStart + offset] = Float(scaler.scaled(x)) }
        }
    }
}

/// How one schema column maps to matrix columns.
enum ColumnCodec: Equatable, Sendable {
    case notModelled
    case categorical(offset: Int, categoryCount: Int, nullable: Bool)
    case numeric(offset: Int, scaler: NumericScaler, nullIndicator: Int?, bounds: Bounds)
}
