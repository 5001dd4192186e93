/// Parameters as bytes: names, shapes and little-endian Float32 values, so that a model file
/// (another part's format) can embed them and loading refuses anything that does not match.
///
/// Layout (all integers little-endian): "DPSP", UInt32 version (1), UInt32 count; per parameter:
/// UInt32 name length, UTF-8 name, UInt32 rank, UInt64 per dimension, Float32 bit patterns.
public enum ParameterArchive {
    static let magic: [UInt8] = Array("DPSP".utf8)
    static let version: UInt32 = 1

    /// The parameters' names, shapes and values as bytes.
    public static func serialized(_ parameters: [Parameter]) -> [UInt8] {
        var bytes = magic
        append(version, to: &bytes)
        append(UInt32(parameters.count), to: &bytes)
        for parameter in parameters {
            let name = Array(parameter.name.utf8)
            append(UInt32(name.count), to: &bytes)
            bytes += name
            append(UInt32(parameter.shape.count), to: &bytes)
            for dimension in parameter.shape { append(UInt64(dimension), to: &bytes) }
            parameter.value.withUnsafeBufferPointer { values in
                bytes.reserveCapacity(bytes.count + values.count * 4)
                for value in values { append(value.bitPattern, to: &bytes) }
            }
        }
        return bytes
    }

    /// Loads `bytes` into `parameters`, matched by name. Refuses (and changes nothing) unless
    /// the archive holds exactly these names with these shapes.
    public static func load(_ bytes: [UInt8], into parameters: [Parameter]) throws {
        var reader = Reader(bytes: bytes)
        guard try reader.bytes(4) == magic else { throw ParameterArchiveError.notAnArchive }
        let foundVersion = try reader.uint32()
        guard foundVersion == version else { throw ParameterArchiveError.unsupportedVersion(foundVersion) }
        let count = Int(try reader.uint32())
        var values: [String: Tensor] = [:]
        for _ in 0..<count {
            let nameLength = Int(try reader.uint32())
            let name = String(decoding: try reader.bytes(nameLength), as: UTF8.self)
            let rank = Int(try reader.uint32())
            guard rank <= 32 else { throw ParameterArchiveError.truncated(offset: reader.offset) }
            var shape: [Int] = []
            for _ in 0..<rank {
                let dimension = try reader.uint64()
                guard dimension <= UInt64(Int32.max) else { throw ParameterArchiveError.truncated(offset: reader.offset) }
                shape.append(Int(dimension))
            }
            // Overflow-checked: a corrupt header must give an error, not a crash.
            var elementCount = 1
            for dimension in shape {
                let (product, overflow) = elementCount.multipliedReportingOverflow(by: dimension)
                guard !overflow, product <= reader.remaining / 4 else { throw ParameterArchiveError.truncated(offset: reader.offset) }
                elementCount = product
            }
            var scalars = [Float](repeating: 0, count: elementCount)
            for i in 0..<elementCount { scalars[i] = Float(bitPattern: try reader.uint32()) }
            guard values[name] == nil else { throw ParameterArchiveError.duplicateParameter(name) }
            values[name] = Tensor(shape: shape, scalars: scalars)
        }
        guard reader.remaining == 0 else { throw ParameterArchiveError.trailingBytes(count: reader.remaining) }
        let expected = Set(parameters.map(\.name))
        for name in values.keys.sorted() where !expected.contains(name) {
            throw ParameterArchiveError.unexpectedParameter(name)
        }
        for parameter in parameters {
            guard let value = values[parameter.name] else { throw ParameterArchiveError.missingParameter(parameter.name) }
            guard value.shape == parameter.shape else {
                throw ParameterArchiveError.shapeMismatch(name: parameter.name, expected: parameter.shape, found: value.shape)
            }
        }
        for parameter in parameters { if let value = values[parameter.name] { parameter.value = value } }
    }

    private static func append<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
    }

    private struct Reader {
        let bytes: [UInt8]
        var offset = 0
        var remaining: Int { bytes.count - offset }

        mutating func bytes(_ count: Int) throws -> [UInt8] {
            guard count >= 0, remaining >= count else { throw ParameterArchiveError.truncated(offset: offset) }
            defer { offset += count }
            return Array(bytes[offset..<(offset + count)])
        }

        mutating func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
            let raw = try bytes(MemoryLayout<T>.size)
            var value: T = 0
            for (shift, byte) in raw.enumerated() { value |= T(byte) << (8 * shift) }
            return value
        }

        mutating func uint32() throws -> UInt32 { try integer(UInt32.self) }
        mutating func uint64() throws -> UInt64 { try integer(UInt64.self) }
    }
}

/// Why parameter bytes could not be loaded.
public enum ParameterArchiveError: Error, CustomStringConvertible, Equatable {
    case notAnArchive
    case unsupportedVersion(UInt32)
    case truncated(offset: Int)
    case trailingBytes(count: Int)
    case duplicateParameter(String)
    case missingParameter(String)
    case unexpectedParameter(String)
    case shapeMismatch(name: String, expected: [Int], found: [Int])

    public var description: String {
        switch self {
        case .notAnArchive: return "not a DPSynth parameter archive (the bytes do not start with \"DPSP\")"
        case .unsupportedVersion(let version): return "parameter archive version \(version) is not supported (this build reads version \(ParameterArchive.version))"
        case .truncated(let offset): return "parameter archive is truncated or corrupt at byte \(offset)"
        case .trailingBytes(let count): return "parameter archive has \(count) unexpected bytes after its last parameter"
        case .duplicateParameter(let name): return "parameter archive holds '\(name)' twice"
        case .missingParameter(let name): return "parameter archive lacks '\(name)', which the model needs: was it saved from a different model configuration?"
        case .unexpectedParameter(let name): return "parameter archive holds '\(name)', which the model does not have: was it saved from a different model configuration?"
        case .shapeMismatch(let name, let expected, let found): return "parameter '\(name)' has shape \(found) in the archive but \(expected) in the model"
        }
    }
}

extension ParameterContainer {
    /// `ParameterArchive.serialized(parameters)`.
    public func serializedParameters() -> [UInt8] { ParameterArchive.serialized(parameters) }
    /// `ParameterArchive.load(bytes, into: parameters)`.
    public func loadParameters(from bytes: [UInt8]) throws { try ParameterArchive.load(bytes, into: parameters) }
}
