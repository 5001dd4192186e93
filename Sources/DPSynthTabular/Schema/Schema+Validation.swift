import Foundation

extension Schema {
    /// Reads and validates a schema file.
    public static func load(from url: URL) throws -> Schema {
        guard FileManager.default.fileExists(atPath: url.path) else { throw TabularError.fileNotFound(path: url.path) }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw TabularError.unreadableFile(path: url.path, reason: error.localizedDescription)
        }
        return try decode(data, source: url.path)
    }

    /// Decodes and validates schema JSON; `source` names it in errors.
    public static func decode(_ data: Data, source: String) throws -> Schema {
        let schema: Schema
        do { schema = try JSONDecoder().decode(Schema.self, from: data) } catch let error as DecodingError {
            throw TabularError.invalidSchema(source: source, reason: describe(error))
        }
        try schema.validate(source: source)
        return schema
    }

    /// The schema as pretty-printed JSON with sorted keys (stable diffs).
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// Writes the schema atomically.
    public func save(to url: URL) throws {
        try AtomicFile.write(try jsonData() + Data("\n".utf8), to: url, overwrite: true)
    }

    /// Checks what JSON decoding cannot: the format tag, unique names, one label at most, and
    /// each kind's required parts (bounds for numbers, categories for categoricals, parameter
    /// counts for transforms).
    public func validate(source: String) throws {
        func fail(_ reason: String) -> TabularError { .invalidSchema(source: source, reason: reason) }
        guard format == Schema.formatIdentifier else {
            throw fail("format is \(quoted(format)); expected \(quoted(Schema.formatIdentifier))")
        }
        guard self.source.delimiter.utf8.count == 1, let delimiter = self.source.delimiter.utf8.first,
              delimiter != UInt8(ascii: "\""), delimiter != UInt8(ascii: "\n"), delimiter != UInt8(ascii: "\r") else {
            throw fail("source.delimiter must be one ASCII character other than a quote or a newline, found \(quoted(self.source.delimiter))")
        }
        if let grouping = self.source.groupingSeparator, grouping.rawValue == self.source.decimalSeparator.rawValue {
            throw fail("source.groupingSeparator and source.decimalSeparator are both \(quoted(grouping.rawValue)); a number needs two different marks")
        }
        guard !columns.isEmpty else { throw fail("the schema has no columns") }
        var seen: [String: Int] = [:]
        for (index, column) in columns.enumerated() {
            if let first = seen[column.name] {
                throw fail("column name '\(column.name)' appears twice (columns \(first + 1) and \(index + 1))")
            }
            seen[column.name] = index
            try column.validate(fail: { fail("column '\(column.name)': \($0)") })
        }
        let labels = columns.filter { $0.role == .label }
        guard labels.count <= 1 else {
            throw fail("more than one label column (\(labels.map(\.name).joined(separator: ", ")))")
        }
    }
}

extension ColumnSchema {
    func validate(fail: (String) -> TabularError) throws {
        if kind.isNumeric {
            guard let bounds else { throw fail("a \(kind.rawValue) column needs bounds (min and max)") }
            guard bounds.min.isFinite, bounds.max.isFinite, bounds.min <= bounds.max else {
                throw fail("bounds must be finite with min ≤ max, found [\(bounds.min), \(bounds.max)]")
            }
            if categories != nil { throw fail("a \(kind.rawValue) column takes bounds, not categories") }
            let transform = effectiveTransform
            switch transform.method {
            case .minMax:
                break
            case .log:
                guard bounds.max > bounds.min else { throw fail("the log transform needs max > min") }
            case .standardize:
                guard let parameters = transform.parameters, parameters.means.count == 1,
                      parameters.standardDeviations.count == 1, parameters.standardDeviations[0] > 0 else {
                    throw fail("standardize needs parameters with one mean and one positive standard deviation")
                }
            case .modeSpecific:
                guard let modes = transform.modes, modes >= 1 else { throw fail("modeSpecific needs modes ≥ 1") }
                if let parameters = transform.parameters {
                    guard parameters.means.count == modes, parameters.standardDeviations.count == modes,
                          parameters.weights.count == modes,
                          parameters.standardDeviations.allSatisfy({ $0 > 0 && $0.isFinite }),
                          parameters.means.allSatisfy(\.isFinite) else {
                        throw fail("modeSpecific parameters need \(modes) finite means, positive deviations and weights")
                    }
                }
            }
            if kind == .datetime { _ = try DatetimeFormat(pattern: effectiveDatetimeFormat, fail: fail) }
            if let decimals, !(0...15).contains(decimals) { throw fail("decimals must be in 0…15, found \(decimals)") }
        } else if kind.isCategorical {
            if bounds != nil { throw fail("a \(kind.rawValue) column takes categories, not bounds") }
            let labels = categoryLabels
            guard !labels.isEmpty else { throw fail("a \(kind.rawValue) column needs a category list") }
            if kind == .boolean && labels.count != 2 {
                throw fail("a boolean column lists exactly two values (false first, then true), found \(labels.count)")
            }
            guard Set(labels).count == labels.count else { throw fail("the category list repeats a value") }
            if transform != nil { throw fail("transforms apply to numeric columns only") }
        } else {
            if bounds != nil || categories != nil || transform != nil {
                throw fail("an identifier has no bounds, categories or transform: it is regenerated, never modelled")
            }
            if role == .label { throw fail("an identifier cannot be the label") }
        }
    }
}

/// A decoding error as one line: the coding path and what was wrong.
private func describe(_ error: DecodingError) -> String {
    func path(_ codingPath: [CodingKey]) -> String {
        codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
    }
    switch error {
    case .keyNotFound(let key, let context):
        return "missing key '\(key.stringValue)' at \(path(context.codingPath).isEmpty ? "the top level" : path(context.codingPath))"
    case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
        return "\(path(context.codingPath)): \(context.debugDescription)"
    @unknown default:
        return String(describing: error)
    }
}
