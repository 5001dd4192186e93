#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Decimal text to Double, correctly rounded.
///
/// Accepts `[+-]digits[.digits][(e|E)[+-]digits]` only (no "inf", "nan", hex or spaces),
/// so a value either is a finite number or is reported as malformed. Most values take
/// Clinger's fast path: a significand below 2^53 and a power of ten at most 10^22 are both
/// exact Doubles, so one IEEE multiplication or division rounds correctly (W. D. Clinger,
/// "How to read floating point numbers accurately", PLDI 1990). Anything else goes to
/// `strtod`, which rounds correctly too; `text` must then be followed by a NUL byte in memory
/// (the CSV batch stores one after every field), or `nulTerminated` must be false.
@inline(__always)
func parseDecimal(_ text: UnsafePointer<UInt8>, count: Int, nulTerminated: Bool) -> Double? {
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
    while index < count, case let d = text[index] &- 48, d < 10 {
        if significand != 0 || d != 0 { significantDigits += 1 }
        if significantDigits <= 19 { significand = significand &* 10 &+ UInt64(d) } else { fractionDigits -= 1 }
        digitCount += 1
        index += 1
    }
    if index < count && text[index] == UInt8(ascii: ".") {
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
    if nulTerminated {
        value = text.withMemoryRebound(to: CChar.self, capacity: count + 1) { strtod($0, nil) }
    } else {
        var copy = [CChar](repeating: 0, count: count + 1)
        for i in 0..<count { copy[i] = CChar(bitPattern: text[i]) }
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
func parseDecimal(_ text: String) -> Double? {
    var text = text
    return text.withUTF8 { buffer in
        guard let base = buffer.baseAddress else { return nil }
        return parseDecimal(base, count: buffer.count, nulTerminated: false)
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
