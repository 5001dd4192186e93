import Foundation

/// A table read without a schema: every cell as text, nil where the source's missing tokens
/// (or SQL NULL) say "missing". What `SchemaInference` looks at.
public struct TextTable: Equatable, Sendable {
    public let source: String
    public let columnNames: [String]
    /// Column-major: `columns[c][r]`.
    public let columns: [[String?]]
    public var rowCount: Int { columns.first?.count ?? 0 }

    /// Reads every record of `source`; `format` gives the delimiter, trimming and missing tokens.
    public static func read(_ source: DataSource, format: SourceFormat = SourceFormat()) throws -> TextTable {
        let missing = Set(format.missingTokens)
        switch source {
        case .csv(let url):
            let reader = try CSVReader(url: url, source: url.path, delimiter: format.delimiter.utf8.first ?? UInt8(ascii: ","),
                                       trimWhitespace: format.trimWhitespace)
            var columns = [[String?]](repeating: [], count: reader.header.count)
            try reader.forEachBatch { batch in
                for record in 0..<batch.recordCount {
                    for field in 0..<batch.fieldCount(ofRecord: record) {
                        guard let text = batch.string(record: record, field: field) else {
                            throw TabularError.invalidUTF8(source: reader.source, location: .line(batch.recordLines[record]),
                                                           column: reader.header[field])
                        }
                        columns[field].append(missing.contains(text) ? nil : text)
                    }
                }
            }
            return TextTable(source: reader.source, columnNames: reader.header, columns: columns)
        case .sqlite(let url, let selection):
            let reader = try SQLiteTableReader(url: url, selection: selection)
            let rows = try reader.readTexts()
            guard !rows.isEmpty else { throw TabularError.emptyResult(source: reader.source) }
            let columns = reader.columnNames.indices.map { column in
                rows.map { row in row[column].flatMap { missing.contains($0) ? nil : $0 } }
            }
            return TextTable(source: reader.source, columnNames: reader.columnNames, columns: columns)
        }
    }
}
