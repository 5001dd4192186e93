import DPSynthTabular

/// Where the generator's output and the discriminator's input sit in the encoder's matrix.
///
/// A plain GAN generates every matrix column. An AC-GAN generates every column but the label's
/// one-hot block: the label is the generator's condition and the discriminator's auxiliary
/// target, so it is removed from the rows the discriminator judges and put back, from the
/// requested label, when rows are decoded.
public struct ModelLayout: Equatable {
    /// Width of the encoder's matrix.
    public let encodedWidth: Int
    /// Spans of the generated columns, with ranges in the generated (compact) layout.
    public let generatedSpans: [GeneratedSpan]
    /// Width of the generated rows (= the discriminator's input width).
    public let generatedWidth: Int
    /// The label's one-hot block in the encoder's matrix (AC-GAN only).
    public let labelRange: Range<Int>?
    /// Label classes: the schema's categories, then "missing" when the label is nullable.
    public let classNames: [String]

    public var classCount: Int { classNames.count }

    public init(encoder: TableEncoder, modelKind: ModelKind) throws {
        encodedWidth = encoder.width
        var spans: [GeneratedSpan] = []
        var offset = 0
        var labelRange: Range<Int>?
        var classNames: [String] = []
        for span in encoder.spans {
            if modelKind == .acgan && span.isLabel {
                guard case .oneHot(_, let includesNull) = span.kind else {
                    throw ConfigurationError.incompatible("an AC-GAN needs a categorical label column; '\(span.columnName)' is numeric (use --model gan, or declare it categorical in the schema)")
                }
                labelRange = span.range
                let column = encoder.schema.columns[span.columnIndex]
                classNames = column.categoryLabels + (includesNull ? ["(missing)"] : [])
                continue
            }
            spans.append(GeneratedSpan(columnName: span.columnName, kind: span.kind, range: offset..<(offset + span.width)))
            offset += span.width
        }
        if modelKind == .acgan && labelRange == nil {
            throw ConfigurationError.incompatible("an AC-GAN needs a label column: give the schema a column with role \"label\" (or pass --label COL), or use --model gan")
        }
        generatedSpans = spans
        generatedWidth = offset
        self.labelRange = labelRange
        self.classNames = classNames
    }

    /// Rows of the encoder's matrix without the label block: [rows, generatedWidth], row-major.
    func generatedColumns(of matrix: EncodedMatrix, rows: [Int]) -> [Float] {
        if labelRange == nil && rows.count == matrix.rowCount && rows.elementsEqual(0..<matrix.rowCount) {
            return matrix.values  // the whole matrix, already in the generated layout (shared storage)
        }
        var result = [Float](repeating: 0, count: rows.count * generatedWidth)
        matrix.values.withUnsafeBufferPointer { source in
            for (target, row) in rows.enumerated() {
                let base = row * matrix.width
                if let labelRange {
                    var column = 0
                    for j in 0..<matrix.width where !labelRange.contains(j) {
                        result[target * generatedWidth + column] = source[base + j]
                        column += 1
                    }
                } else {
                    for j in 0..<matrix.width { result[target * generatedWidth + j] = source[base + j] }
                }
            }
        }
        return result
    }

    /// The label class of every row of the encoder's matrix (AC-GAN), from its one-hot block.
    func labelClasses(of matrix: EncodedMatrix) -> [Int] {
        guard let labelRange else { return [] }
        return (0..<matrix.rowCount).map { row in
            let base = row * matrix.width + labelRange.lowerBound
            var best = 0
            for k in 1..<labelRange.count where matrix.values[base + k] > matrix.values[base + best] { best = k }
            return best
        }
    }

    /// Generated rows [rows, generatedWidth] with the label block put back: the encoder's layout.
    func encodedRows(generated: [Float], classes: [Int]) -> EncodedMatrix {
        let rows = generated.count / Swift.max(generatedWidth, 1)
        guard let labelRange else {
            return EncodedMatrix(values: generated, rowCount: rows, width: encodedWidth)
        }
        var values = [Float](repeating: 0, count: rows * encodedWidth)
        for row in 0..<rows {
            var column = 0
            for j in 0..<encodedWidth {
                if labelRange.contains(j) {
                    values[row * encodedWidth + j] = (j - labelRange.lowerBound) == classes[row] ? 1 : 0
                } else {
                    values[row * encodedWidth + j] = generated[row * generatedWidth + column]
                    column += 1
                }
            }
        }
        return EncodedMatrix(values: values, rowCount: rows, width: encodedWidth)
    }
}

/// One of the encoder's spans, placed in the generator's output.
public struct GeneratedSpan: Equatable {
    public let columnName: String
    public let kind: SpanKind
    /// Columns of the generated row, half-open.
    public let range: Range<Int>

    public var width: Int { range.count }
}
