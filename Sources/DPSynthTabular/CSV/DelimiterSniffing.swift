import Foundation

/// Guesses a CSV file's delimiter from its first lines, for `schema infer` without
/// `--delimiter`: European spreadsheet and EHR exports use `;` (the comma is their decimal
/// mark), others a tab or `|`.
///
/// A candidate fits when it splits every sampled record (quotes respected, as RFC 4180
/// reads them) into the same number of fields, at least two. Exactly one fitting candidate
/// is the answer; several is an error naming them, never a guess. None means one column (read
/// with a candidate found on no line, so `37,5` stays one value) or a ragged file (read with
/// `,`; the reader then names the ragged line). The idea is
/// Python's `csv.Sniffer` (consistency of the per-line count), without its preference order.
public enum DelimiterSniffing {
    /// The delimiters tried.
    public static let candidates: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t"), UInt8(ascii: "|")]
    /// How much of the file is sampled.
    static let sampleBytes = 64 * 1024
    /// How many records are sampled at most.
    static let sampleRecords = 200

    /// The delimiter of the file at `url`; `source` names it in messages.
    public static func delimiter(of url: URL, source: String) throws -> UInt8 {
        guard let handle = FileHandle(forReadingAtPath: url.path) else { throw TabularError.fileNotFound(path: source) }
        defer { try? handle.close() }
        let sample = handle.readData(ofLength: sampleBytes)
        return try delimiter(ofSample: Array(sample), isWholeFile: sample.count < sampleBytes, source: source)
    }

    /// The delimiter of a file beginning with `bytes`; when `isWholeFile` is false, the last
    /// (possibly cut) record is left out.
    static func delimiter(ofSample bytes: [UInt8], isWholeFile: Bool, source: String) throws -> UInt8 {
        var fitting: [UInt8] = []
        var absent: [UInt8] = []
        var headerHasComma = false
        for candidate in candidates {
            let counts = fieldCounts(bytes, delimiter: candidate, isWholeFile: isWholeFile)
            if candidate == UInt8(ascii: ",") { headerHasComma = (counts.first ?? 1) > 1 }
            guard let first = counts.first, counts.allSatisfy({ $0 == first }) else { continue }
            if first > 1 { fitting.append(candidate) } else { absent.append(candidate) }
        }
        if fitting.count > 1 {
            throw TabularError.ambiguousDelimiter(source: source, candidates: fitting.map { String(UnicodeScalar($0)) })
        }
        // One column (its header holds no comma): read it with a delimiter that occurs nowhere,
        // so values such as "37,5" stay whole and `,` is free to be their decimal mark.
        if fitting.isEmpty && !headerHasComma, let unused = absent.first { return unused }
        return fitting.first ?? UInt8(ascii: ",")
    }

    /// The number of fields of each non-blank record in `bytes`, quotes respected.
    static func fieldCounts(_ bytes: [UInt8], delimiter: UInt8, isWholeFile: Bool) -> [Int] {
        var counts: [Int] = []
        var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var inQuotes = false
        var fields = 1
        var recordHasText = false
        while index < bytes.count && counts.count < sampleRecords {
            let byte = bytes[index]
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "\"") { index += 1 } else { inQuotes = false }
                }
            } else if byte == UInt8(ascii: "\"") {
                inQuotes = true
                recordHasText = true
            } else if byte == delimiter {
                fields += 1
                recordHasText = true
            } else if byte == 0x0A || byte == 0x0D {
                if recordHasText { counts.append(fields) }
                fields = 1
                recordHasText = false
            } else {
                recordHasText = true
            }
            index += 1
        }
        // The last record counts only when the sample holds the whole file (else it may be cut).
        if recordHasText && isWholeFile && counts.count < sampleRecords { counts.append(fields) }
        return counts
    }
}
