import Foundation

/// A CSV file being written chunk by chunk (see `CSVWriter.stream`).
public struct CSVChunkWriter {
    fileprivate var output: BufferedFileOutput
    fileprivate let delimiter: UInt8
    fileprivate let columnNames: [String]

    /// Appends the rows of `table`, whose columns must be those of the stream's schema.
    public mutating func append(_ table: Table) throws {
        guard table.schema.columns.map(\.name) == columnNames else {
            throw TabularError.invalidSchema(source: table.source, reason: "chunk columns \(table.schema.columns.map(\.name)) differ from the file's \(columnNames)")
        }
        let texts = table.schema.columns.indices.map { table.texts(column: $0) }
        for row in 0..<table.rowCount {
            for column in texts.indices {
                if column > 0 { output.write(byte: delimiter) }
                if let text = texts[column][row] { CSVWriter.writeField(text, delimiter: delimiter, to: &output) }
            }
            output.write(byte: 0x0A)
        }
    }
}

extension CSVWriter {
    /// Writes a CSV file of `schema`'s columns whose rows `body` appends in chunks, so a large
    /// synthetic sample never sits in memory whole. The file appears, complete, only when
    /// `body` returns; if it throws (or the process dies) no file is left.
    public static func stream(schema: Schema, to url: URL, delimiter: UInt8 = UInt8(ascii: ","), overwrite: Bool,
                              _ body: (inout CSVChunkWriter) throws -> Void) throws {
        try AtomicFile.write(to: url, overwrite: overwrite) { output in
            for (index, column) in schema.columns.enumerated() {
                if index > 0 { output.write(byte: delimiter) }
                writeField(column.name, delimiter: delimiter, to: &output)
            }
            output.write(byte: 0x0A)
            var writer = CSVChunkWriter(output: output, delimiter: delimiter, columnNames: schema.columns.map(\.name))
            try body(&writer)
            output = writer.output
        }
    }
}
