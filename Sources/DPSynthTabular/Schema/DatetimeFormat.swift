/// A datetime pattern of `%Y` (4-digit year), `%m`, `%d`, `%H`, `%M`, `%S` (2 digits each),
/// `%%` and literal bytes, parsed and formatted without Foundation's DateFormatter (which is
/// locale-dependent and far slower). Times are UTC; values are seconds since 1970-01-01.
public struct DatetimeFormat: Equatable, Sendable {
    enum Piece: Equatable, Sendable {
        case year, month, day, hour, minute, second
        case literal(UInt8)
    }

    let pieces: [Piece]
    public let pattern: String

    public init(pattern: String) throws {
        try self.init(pattern: pattern) { TabularError.invalidSchema(source: "datetime format", reason: $0) }
    }

    init(pattern: String, fail: (String) -> TabularError) throws {
        var pieces: [Piece] = []
        var bytes = Array(pattern.utf8)[...]
        while let byte = bytes.popFirst() {
            guard byte == UInt8(ascii: "%") else { pieces.append(.literal(byte)); continue }
            guard let code = bytes.popFirst() else { throw fail("datetime format \(quoted(pattern)) ends with a lone %") }
            switch code {
            case UInt8(ascii: "Y"): pieces.append(.year)
            case UInt8(ascii: "m"): pieces.append(.month)
            case UInt8(ascii: "d"): pieces.append(.day)
            case UInt8(ascii: "H"): pieces.append(.hour)
            case UInt8(ascii: "M"): pieces.append(.minute)
            case UInt8(ascii: "S"): pieces.append(.second)
            case UInt8(ascii: "%"): pieces.append(.literal(code))
            default: throw fail("datetime format \(quoted(pattern)) uses %\(Character(Unicode.Scalar(code))); supported: %Y %m %d %H %M %S %%")
            }
        }
        guard pieces.contains(.year) else { throw fail("datetime format \(quoted(pattern)) has no %Y") }
        self.pieces = pieces
        self.pattern = pattern
    }

    /// The finest unit the pattern writes, in seconds (86 400 for a date): decoded datetimes
    /// are rounded to it, since one Float spread over decades resolves about two minutes.
    public var resolutionSeconds: Double {
        if pieces.contains(.second) { return 1 }
        if pieces.contains(.minute) { return 60 }
        if pieces.contains(.hour) { return 3_600 }
        return 86_400
    }

    /// Seconds since the epoch for `text`, or nil when it does not match the pattern or names
    /// an impossible date (month 13, 31 February).
    public func seconds(parsing text: UnsafeBufferPointer<UInt8>) -> Double? {
        var index = 0
        var year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0
        func digits(_ count: Int) -> Int? {
            guard index + count <= text.count else { return nil }
            var value = 0
            for offset in 0..<count {
                let digit = Int(text[index + offset]) - 48
                guard (0...9).contains(digit) else { return nil }
                value = value * 10 + digit
            }
            index += count
            return value
        }
        for piece in pieces {
            switch piece {
            case .literal(let byte):
                guard index < text.count, text[index] == byte else { return nil }
                index += 1
            case .year: guard let v = digits(4) else { return nil }; year = v
            case .month: guard let v = digits(2), (1...12).contains(v) else { return nil }; month = v
            case .day: guard let v = digits(2), v >= 1 else { return nil }; day = v
            case .hour: guard let v = digits(2), v < 24 else { return nil }; hour = v
            case .minute: guard let v = digits(2), v < 60 else { return nil }; minute = v
            case .second: guard let v = digits(2), v < 60 else { return nil }; second = v
            }
        }
        guard index == text.count, day <= DatetimeFormat.daysInMonth(year: year, month: month) else { return nil }
        let days = DatetimeFormat.daysFromCivil(year: year, month: month, day: day)
        return Double(days * 86_400 + hour * 3_600 + minute * 60 + second)
    }

    public func seconds(parsing text: String) -> Double? {
        var text = text
        return text.withUTF8 { seconds(parsing: $0) }
    }

    /// `seconds` (rounded down to a whole second) written in the pattern.
    public func string(fromSeconds seconds: Double) -> String {
        let whole = Int(seconds.rounded(.down))
        var days = whole / 86_400
        var rest = whole % 86_400
        if rest < 0 { rest += 86_400; days -= 1 }
        let (year, month, day) = DatetimeFormat.civilFromDays(days)
        func padded(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: Swift.max(0, width - text.count)) + text
        }
        var out = ""
        for piece in pieces {
            switch piece {
            case .literal(let byte): out.unicodeScalars.append(Unicode.Scalar(byte))
            case .year: out += padded(year, 4)
            case .month: out += padded(month, 2)
            case .day: out += padded(day, 2)
            case .hour: out += padded(rest / 3_600, 2)
            case .minute: out += padded(rest % 3_600 / 60, 2)
            case .second: out += padded(rest % 60, 2)
            }
        }
        return out
    }

    static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant, "chrono-compatible
    /// low-level date algorithms", `days_from_civil`).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The inverse of `daysFromCivil` (Hinnant, `civil_from_days`).
    static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthPrime = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthPrime + 2) / 5 + 1
        let month = monthPrime < 10 ? monthPrime + 3 : monthPrime - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
