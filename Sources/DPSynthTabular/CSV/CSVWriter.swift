import Foundation

/// Writes tables as RFC 4180 CSV, atomically.
///
/// A missing value is written as an empty unquoted field; an empty string as `""`. A field is
/// quoted when it holds the delimiter, a quote, CR or LF, or starts or ends with a space or
/// tab (so a reader that trims keeps them), with embedded quotes doubled. Line ends are LF.
public enum CSVWriter {
    /// Writes `table` (header row, then one line per row) to `url`.
    ///
    /// - Parameter overwrite: replace an existing file (the CLI's `--force`).
    public static func write(_ table: Table, to url: URL, delimiter: UInt8 = UInt8(ascii: ","), overwrite: Bool) throws {
        try stream(schema: table.schema, to: url, delimiter: delimiter, overwrite: overwrite) { try $0.append(table) }
    }

    /// Writes one field, quoted when it must be.
    static func writeField(_ text: String, delimiter: UInt8, to output: inout BufferedFileOutput) {
        var text = text
        text.withUTF8 { bytes in
            if needsQuotes(bytes, delimiter: delimiter) {
                output.write(byte: 0x22)
                var start = 0
                for (index, byte) in bytes.enumerated() where byte == 0x22 {
                    output.write(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[start...index]))
                    output.write(byte: 0x22)
                    start = index + 1
                }
                output.write(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[start...]))
                output.write(byte: 0x22)
            } else {
                output.write(UnsafeRawBufferPointer(bytes))
            }
        }
    }

    static func needsQuotes(_ bytes: UnsafeBufferPointer<UInt8>, delimiter: UInt8) -> Bool {
        guard let first = bytes.first, let last = bytes.last else { return true }
        if first == 0x20 || first == 0x09 || last == 0x20 || last == 0x09 { return true }
        return bytes.contains { $0 == delimiter || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
    }
}
