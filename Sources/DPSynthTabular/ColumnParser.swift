/// Why one field could not be read into its column; the table builder adds the location.
enum FieldProblem: Error {
    case malformed(value: String, expected: String)
    case unknownCategory(value: String)
    case missingInNonNullable
    case invalidUTF8
}

/// A field read into its column's storage.
enum ParsedField {
    case number(Double)
    case category(Int32)
    case identifier(String)
    case missing
    /// A value outside the category list, read as missing (`UnknownCategoryPolicy.mapToNull`).
    case unknownCategoryAsMissing
}

/// Byte strings stored end to end in one allocation, each with a signature (its length and
/// its first, middle and last bytes) that rules out almost every wrong string with one
/// comparison: the missing tokens and category labels of a column, looked up once per cell
/// without reference counting. Freed by the `ColumnParser` that owns it.
struct ByteTable {
    let bytes: UnsafeMutablePointer<UInt8>
    /// `count + 1` offsets: string i is `bytes[offsets[i]..<offsets[i + 1]]`.
    let offsets: UnsafeMutablePointer<Int>
    let signatures: UnsafeMutablePointer<UInt64>
    let count: Int

    init(_ strings: [String]) {
        let utf8 = strings.map { Array($0.utf8) }
        count = utf8.count
        bytes = .allocate(capacity: max(1, utf8.reduce(0) { $0 + $1.count }))
        offsets = .allocate(capacity: count + 1)
        signatures = .allocate(capacity: max(1, count))
        var offset = 0
        for (index, string) in utf8.enumerated() {
            offsets[index] = offset
            (bytes + offset).initialize(from: string, count: string.count)
            signatures[index] = string.withUnsafeBufferPointer(ByteTable.signature)
            offset += string.count
        }
        offsets[count] = offset
    }

    @inline(__always)
    private static func signature(_ text: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let length = UInt64(truncatingIfNeeded: text.count)
        guard text.count > 0 else { return 0 }
        return length | UInt64(text[0]) << 40 | UInt64(text[text.count / 2]) << 48 | UInt64(text[text.count - 1]) << 56
    }

    /// The index of the string equal to `text`, if any.
    @inline(__always)
    func index(of text: UnsafeBufferPointer<UInt8>) -> Int? {
        let wanted = ByteTable.signature(text)
        for index in 0..<count where signatures[index] == wanted {
            let start = offsets[index]
            // Labels and tokens are short: a byte loop beats a call to memcmp.
            var equal = true
            for position in 0..<text.count where bytes[start + position] != text[position] {
                equal = false
                break
            }
            if equal { return index }
        }
        return nil
    }

    func deallocate() {
        bytes.deallocate()
        offsets.deallocate()
        signatures.deallocate()
    }
}

/// Reads the fields of one schema column: missing tokens, numbers, datetimes and category
/// labels, compared as bytes so a cell becomes a `String` only when it is an identifier or
/// a problem to report.
///
/// A class, so that the per-cell calls of the CSV callbacks borrow it (through `Unmanaged`)
/// instead of copying its tables.
final class ColumnParser {
    let column: ColumnSchema
    let isInteger: Bool
    let isNullable: Bool
    /// Non-empty missing tokens.
    let missingTokens: ByteTable
    let emptyIsMissing: Bool
    /// A quoted "" is a value, not missing: identifiers, or a declared category "".
    let quotedEmptyIsValue: Bool
    let categories: ByteTable
    let categoryIndex: [String: Int32]
    let datetimeFormat: DatetimeFormat?
    let unknownCategory: UnknownCategoryPolicy
    /// The decimal and grouping marks of the source (`SourceFormat.decimalSeparator`).
    let numberFormat: NumberFormat

    init(column: ColumnSchema, source: SourceFormat) throws {
        self.column = column
        isInteger = column.kind == .integer
        isNullable = column.nullable
        let tokens = column.missingTokens ?? source.missingTokens
        missingTokens = ByteTable(tokens.filter { !$0.isEmpty })
        emptyIsMissing = tokens.contains("")
        let labels = column.categoryLabels
        categories = ByteTable(labels)
        var index: [String: Int32] = [:]
        for (position, label) in labels.enumerated() { index[label] = Int32(position) }
        categoryIndex = index
        quotedEmptyIsValue = column.kind == .identifier || index[""] != nil
        datetimeFormat = column.kind == .datetime ? try DatetimeFormat(pattern: column.effectiveDatetimeFormat) : nil
        unknownCategory = column.unknownCategory ?? source.unknownCategory
        numberFormat = NumberFormat(source)
    }

    deinit {
        missingTokens.deallocate()
        categories.deallocate()
    }

    /// Reads a text field. `unquotedEmpty` marks libcsv's NULL field; `nulTerminated` says a NUL
    /// byte follows `text` in memory (true for CSV batches).
    @inline(__always)
    func parse(_ text: UnsafeBufferPointer<UInt8>, unquotedEmpty: Bool, nulTerminated: Bool) throws -> ParsedField {
        if isMissing(text, unquotedEmpty: unquotedEmpty) {
            guard isNullable else { throw FieldProblem.missingInNonNullable }
            return .missing
        }
        switch column.kind {
        case .continuous, .integer:
            guard let base = text.baseAddress,
                  let value = parseDecimal(base, count: text.count, nulTerminated: nulTerminated, format: numberFormat) else {
                throw malformed(text)
            }
            if isInteger && !isWhole(value) { throw malformed(text) }
            return .number(value)
        case .datetime:
            guard let seconds = datetimeFormat?.seconds(parsing: text) else { throw malformed(text) }
            return .number(seconds)
        case .categorical, .ordinal, .boolean:
            return try category(text)
        case .identifier:
            guard let value = String(validating: text, as: UTF8.self) else { throw FieldProblem.invalidUTF8 }
            return .identifier(value)
        }
    }

    /// True for whole numbers; a conversion instead of `rounded()`, which is a libm call.
    @inline(__always)
    private func isWhole(_ value: Double) -> Bool {
        abs(value) < 4.0e15 ? Double(Int64(value)) == value : value == value.rounded()
    }

    /// The code `parseCategory` returns for an unknown label read as missing (`mapToNull`).
    static let unknownAsMissing = ColumnValues.unknownCategoryCode

    /// Reads a numeric field: the value, or NaN when missing.
    @inline(__always)
    func parseNumber(_ text: UnsafeBufferPointer<UInt8>, unquotedEmpty: Bool, nulTerminated: Bool) throws -> Double {
        if isMissing(text, unquotedEmpty: unquotedEmpty) {
            guard isNullable else { throw FieldProblem.missingInNonNullable }
            return .nan
        }
        if column.kind == .datetime {
            guard let seconds = datetimeFormat?.seconds(parsing: text) else { throw malformed(text) }
            return seconds
        }
        guard let base = text.baseAddress,
              let value = parseDecimal(base, count: text.count, nulTerminated: nulTerminated, format: numberFormat) else {
            throw malformed(text)
        }
        if isInteger && !isWhole(value) { throw malformed(text) }
        return value
    }

    /// Reads a categorical field: the category's index, −1 when missing, `unknownAsMissing`
    /// for an unknown label under `mapToNull`.
    @inline(__always)
    func parseCategory(_ text: UnsafeBufferPointer<UInt8>, unquotedEmpty: Bool) throws -> Int32 {
        if isMissing(text, unquotedEmpty: unquotedEmpty) {
            guard isNullable else { throw FieldProblem.missingInNonNullable }
            return -1
        }
        switch try category(text) {
        case .category(let code): return code
        case .unknownCategoryAsMissing: return ColumnParser.unknownAsMissing
        default: return -1
        }
    }

    /// Reads a number stored as a number (SQLite INTEGER or REAL).
    func parse(number value: Double) throws -> ParsedField {
        switch column.kind {
        case .continuous, .integer, .datetime:
            guard value.isFinite else { throw FieldProblem.malformed(value: "\(value)", expected: expectation) }
            if column.kind == .integer && value != value.rounded() {
                throw FieldProblem.malformed(value: decimalText(value), expected: expectation)
            }
            return .number(value)
        case .categorical, .ordinal, .boolean, .identifier:
            var text = decimalText(value)
            return try text.withUTF8 { try parse($0, unquotedEmpty: false, nulTerminated: false) }
        }
    }

    func missing() throws -> ParsedField {
        guard isNullable else { throw FieldProblem.missingInNonNullable }
        return .missing
    }

    @inline(__always)
    private func isMissing(_ text: UnsafeBufferPointer<UInt8>, unquotedEmpty: Bool) -> Bool {
        if text.isEmpty { return emptyIsMissing && (unquotedEmpty || !quotedEmptyIsValue) }
        return missingTokens.count > 0 && missingTokens.index(of: text) != nil
    }

    @inline(__always)
    private func category(_ text: UnsafeBufferPointer<UInt8>) throws -> ParsedField {
        if categories.count <= 16, let position = categories.index(of: text) { return .category(Int32(position)) }
        guard let value = String(validating: text, as: UTF8.self) else { throw FieldProblem.invalidUTF8 }
        if categories.count > 16, let position = categoryIndex[value] { return .category(position) }
        switch unknownCategory {
        case .error: throw FieldProblem.unknownCategory(value: value)
        case .mapToNull:
            guard isNullable else { throw FieldProblem.unknownCategory(value: value) }
            return .unknownCategoryAsMissing
        }
    }

    private func malformed(_ text: UnsafeBufferPointer<UInt8>) -> FieldProblem {
        guard let value = String(validating: text, as: UTF8.self) else { return .invalidUTF8 }
        return .malformed(value: value, expected: expectation)
    }

    /// What a value of this column must look like, for messages.
    var expectation: String {
        // The marks are named when they are not the usual ones, so "37.5" refused under a
        // decimal-comma schema says why.
        let marks = numberFormat == .standard ? "" : " with \(numberFormat.description) (the schema's source.decimalSeparator\(numberFormat.groupingMark == nil ? "" : " and source.groupingSeparator"))"
        switch column.kind {
        case .continuous: return "a number" + marks
        case .integer: return "an integer" + marks
        case .datetime: return "a datetime in the format \(quoted(column.effectiveDatetimeFormat))"
        case .categorical, .ordinal, .boolean: return "one of the categories"
        case .identifier: return "text"
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
