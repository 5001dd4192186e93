#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How numbers are written in a text source: the decimal mark and, optionally, the mark that
/// groups the digits of the whole part by thousands (`1.234,5` in Germany, `1 234,5` with a
/// no-break space in France, `1'234.5` in Switzerland). The bytes the fast parser compares
/// against; built once per column from the schema's `SourceFormat`.
public struct NumberFormat: Equatable, Sendable {
    /// The byte between the whole and the fractional digits.
    public let decimalMark: UInt8
    /// The mark between groups of three whole digits, or nil when digits are not grouped.
    public let groupingMark: Unicode.Scalar?
    /// The UTF-8 bytes of the grouping mark (1 to 3: U+00A0 is C2 A0, U+202F is E2 80 AF),
    /// first byte in the low 8 bits; 0 when digits are not grouped. Packed in one integer so
    /// the parser's per-byte test stays one compare of the first byte.
    let groupingBytes: UInt32
    /// How many bytes the grouping mark takes; 0 when digits are not grouped.
    let groupingLength: Int

    /// `.` decimals, no grouping: what `sample` writes and what most tools read.
    public static let standard = NumberFormat(decimalMark: UInt8(ascii: "."), grouping: nil)

    /// - Parameter grouping: the mark between groups of three whole digits, any one Unicode
    ///   scalar other than a digit, or nil when digits are not grouped.
    public init(decimalMark: UInt8, grouping: Unicode.Scalar?) {
        self.decimalMark = decimalMark
        groupingMark = grouping
        var bytes: UInt32 = 0, length = 0
        if let grouping {
            for byte in String(grouping).utf8 {
                bytes |= UInt32(byte) << (8 * length)
                length += 1
            }
        }
        groupingBytes = bytes
        groupingLength = length
    }

    public init(_ source: SourceFormat) {
        self.init(decimalMark: source.decimalSeparator.byte, grouping: source.groupingSeparator?.scalar)
    }

    /// Whether the grouping mark's bytes start at `text[index]`, whose byte the caller has
    /// already compared with the first one.
    @inline(__always)
    func groupingMarkContinues(_ text: UnsafePointer<UInt8>, at index: Int, count: Int) -> Bool {
        guard groupingLength > 1 else { return true }
        guard index + groupingLength <= count else { return false }
        for offset in 1..<groupingLength where text[index + offset] != UInt8(truncatingIfNeeded: groupingBytes >> (8 * offset)) {
            return false
        }
        return true
    }

    /// "',' as decimal mark and ' ' (U+00A0) grouping thousands", for messages.
    public var description: String {
        let decimal = "\(quotedMark(Unicode.Scalar(decimalMark))) as decimal mark"
        guard let groupingMark else { return decimal }
        return decimal + " and \(quotedMark(groupingMark)) grouping thousands"
    }
}

/// `'.'` (`"'"` for the apostrophe), or `' ' (U+00A0)` for a mark that is not ASCII, so an
/// invisible or look-alike mark (no-break space, U+2019) is named in messages.
func quotedMark(_ scalar: Unicode.Scalar) -> String {
    guard !scalar.isASCII else { return scalar == "'" ? "\"'\"" : "'\(scalar)'" }
    let code = String(scalar.value, radix: 16, uppercase: true)
    return "'\(scalar)' (U+\(String(repeating: "0", count: max(0, 4 - code.count)) + code))"
}

/// Decimal text to Double, correctly rounded.
///
/// Accepts `[+-]digits[<mark>digits][(e|E)[+-]digits]` only, with `format.decimalMark` as the
/// mark (no "inf", "nan", hex or spaces), so a value either is a finite number or is reported
/// as malformed. When `format` has a grouping mark (one to three UTF-8 bytes), the whole
/// digits may be grouped by it:
/// one to three digits (not starting with 0), then groups of exactly three (`1.234.567,5`);
/// anything else with the mark in it is malformed, so `1.5` under `.` grouping is an error,
/// never 15. Most values take Clinger's fast path: a significand below 2^53 and a power of ten
/// at most 10^22 are both exact Doubles, so one IEEE multiplication or division rounds
/// correctly (W. D. Clinger, "How to read floating point numbers accurately", PLDI 1990).
/// Anything else goes to `strtod`, which rounds correctly too; `text` must then be followed
/// by a NUL byte in memory (the CSV batch stores one after every field), or `nulTerminated`
/// must be false. A value in another format than `.`/no grouping is copied in `.` form first.
@inline(__always)
func parseDecimal(_ text: UnsafePointer<UInt8>, count: Int, nulTerminated: Bool,
                  format: NumberFormat = .standard) -> Double? {
    var index = 0
    var negative = false
    if index < count && (text[index] == UInt8(ascii: "-") || text[index] == UInt8(ascii: "+")) {
        negative = text[index] == UInt8(ascii: "-")
        index += 1
    }
    var significand: UInt64 = 0
    var significantDigits = 0
    var digitCount = 0
    var fractionDigits = 0
    // Digits since the last grouping mark (or the start); whether a mark has been seen.
    var groupDigits = 0
    var grouped = false
    while index < count {
        let d = text[index] &- 48
        if d < 10 {
            if significand != 0 || d != 0 { significantDigits += 1 }
            if significantDigits <= 19 { significand = significand &* 10 &+ UInt64(d) } else { fractionDigits -= 1 }
            digitCount += 1
            groupDigits += 1
        } else if format.groupingLength != 0 && text[index] == UInt8(truncatingIfNeeded: format.groupingBytes)
                    && (grouped ? groupDigits == 3 : groupDigits >= 1 && groupDigits <= 3 && significand != 0)
                    && format.groupingMarkContinues(text, at: index, count: count) {
            grouped = true
            groupDigits = 0
            index += format.groupingLength - 1
        } else {
            break
        }
        index += 1
    }
    if grouped && groupDigits != 3 { return nil }
    if index < count && text[index] == format.decimalMark {
        index += 1
        while index < count, case let d = text[index] &- 48, d < 10 {
            if significand != 0 || d != 0 { significantDigits += 1 }
            if significantDigits <= 19 {
                significand = significand &* 10 &+ UInt64(d)
                fractionDigits += 1
            }
            digitCount += 1
            index += 1
        }
    }
    guard digitCount > 0 else { return nil }
    var exponent = 0
    if index < count && (text[index] == UInt8(ascii: "e") || text[index] == UInt8(ascii: "E")) {
        index += 1
        var exponentNegative = false
        if index < count && (text[index] == UInt8(ascii: "-") || text[index] == UInt8(ascii: "+")) {
            exponentNegative = text[index] == UInt8(ascii: "-")
            index += 1
        }
        var exponentDigits = 0
        while index < count, case let d = text[index] &- 48, d < 10 {
            if exponent < 100_000 { exponent = exponent * 10 + Int(d) }
            exponentDigits += 1
            index += 1
        }
        guard exponentDigits > 0 else { return nil }
        if exponentNegative { exponent = -exponent }
    }
    guard index == count else { return nil }
    let power = exponent - fractionDigits
    if significantDigits <= 19 && significand < (1 << 53) && power >= -22 && power <= 22 {
        let magnitude = power < 0 ? Double(significand) / exactPowersOfTen[-power]
                                  : Double(significand) * exactPowersOfTen[power]
        return negative ? -magnitude : magnitude
    }
    let value: Double
    if nulTerminated && format == .standard {
        value = text.withMemoryRebound(to: CChar.self, capacity: count + 1) { strtod($0, nil) }
    } else {
        // The text in strtod's own form: `.` as the mark, grouping marks left out. The grammar
        // was checked above, so every grouping mark sits whole among the whole digits and its
        // first byte appears nowhere else.
        var copy = [CChar]()
        copy.reserveCapacity(count + 1)
        var i = 0
        while i < count {
            if format.groupingLength != 0 && text[i] == UInt8(truncatingIfNeeded: format.groupingBytes) {
                i += format.groupingLength
                continue
            }
            copy.append(text[i] == format.decimalMark ? CChar(UInt8(ascii: ".")) : CChar(bitPattern: text[i]))
            i += 1
        }
        copy.append(0)
        value = strtod(copy, nil)
    }
    return value.isFinite ? value : nil
}

/// 10^0 … 10^22, each exactly representable as a Double.
private let exactPowersOfTen: [Double] = (0...22).map { exponent in
    var value = 1.0
    for _ in 0..<exponent { value *= 10 }
    return value
}

/// Parses a Swift string as a decimal number with the same grammar.
func parseDecimal(_ text: String, format: NumberFormat = .standard) -> Double? {
    var text = text
    return text.withUTF8 { buffer in
        guard let base = buffer.baseAddress else { return nil }
        return parseDecimal(base, count: buffer.count, nulTerminated: false, format: format)
    }
}

/// The shortest decimal text that reads back as `value` (Swift's `description`), without a
/// trailing ".0" on whole numbers so integers are written as integers.
func decimalText(_ value: Double) -> String {
    if value == value.rounded(), abs(value) < 1e15 {
        return String(Int64(value))
    }
    return "\(value)"
}
