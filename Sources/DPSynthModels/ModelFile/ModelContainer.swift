import Crypto
import Foundation

/// The byte layout of a `.dpsynth` model file, independent of what the model holds.
///
/// ```
/// magic            8 bytes   "DPSYNTH\u{0}"
/// format version   UInt32 LE
/// header length    UInt64 LE
/// header           JSON (schema, architecture, privacy record, history, tool version)
/// payload length   UInt64 LE
/// payload          parameter bytes (the engine's little-endian serialisation)
/// checksum         32 bytes, SHA-256 of every byte before it
/// ```
/// Why a checksum over everything: a model file carries a privacy claim. A file that was
/// truncated or edited must be refused, never half-loaded with a privacy record that no longer
/// describes the weights next to it.
public struct ModelContainer: Equatable {
    public static let magic: [UInt8] = Array("DPSYNTH".utf8) + [0]
    /// Bumped whenever the header or payload layout changes incompatibly.
    public static let currentFormatVersion: UInt32 = 1

    public var formatVersion: UInt32
    public var header: [UInt8]
    public var payload: [UInt8]

    public init(header: [UInt8], payload: [UInt8], formatVersion: UInt32 = ModelContainer.currentFormatVersion) {
        self.header = header
        self.payload = payload
        self.formatVersion = formatVersion
    }

    /// The file's bytes, checksum included.
    public func serialized() -> [UInt8] {
        var bytes = ModelContainer.magic
        bytes.reserveCapacity(8 + 4 + 8 + header.count + 8 + payload.count + 32)
        appendLittleEndian(formatVersion, to: &bytes)
        appendLittleEndian(UInt64(header.count), to: &bytes)
        bytes += header
        appendLittleEndian(UInt64(payload.count), to: &bytes)
        bytes += payload
        bytes += Array(SHA256.hash(data: bytes))
        return bytes
    }

    /// Parses and verifies a model file's bytes; `source` names the file in errors.
    public init(bytes: [UInt8], source: String) throws {
        let minimum = ModelContainer.magic.count + 4 + 8 + 8 + 32
        guard bytes.count >= ModelContainer.magic.count,
              Array(bytes[0..<ModelContainer.magic.count]) == ModelContainer.magic else {
            throw ModelFileError.notAModelFile(path: source)
        }
        guard bytes.count >= minimum else {
            throw ModelFileError.truncated(path: source, byteCount: bytes.count)
        }
        var cursor = ModelContainer.magic.count
        let version = readLittleEndian(UInt32.self, bytes, &cursor)
        guard version <= ModelContainer.currentFormatVersion else {
            throw ModelFileError.newerFormat(path: source, found: version, supported: ModelContainer.currentFormatVersion)
        }
        guard version >= 1 else { throw ModelFileError.corrupt(path: source, reason: "format version 0") }
        let headerLength = readLittleEndian(UInt64.self, bytes, &cursor)
        guard headerLength <= UInt64(bytes.count - cursor) else {
            throw ModelFileError.truncated(path: source, byteCount: bytes.count)
        }
        let header = Array(bytes[cursor..<cursor + Int(headerLength)])
        cursor += Int(headerLength)
        guard bytes.count - cursor >= 8 + 32 else { throw ModelFileError.truncated(path: source, byteCount: bytes.count) }
        let payloadLength = readLittleEndian(UInt64.self, bytes, &cursor)
        guard payloadLength <= UInt64(bytes.count - cursor - 32) else {
            throw ModelFileError.truncated(path: source, byteCount: bytes.count)
        }
        let payload = Array(bytes[cursor..<cursor + Int(payloadLength)])
        cursor += Int(payloadLength)
        guard bytes.count - cursor == 32 else {
            throw ModelFileError.corrupt(path: source, reason: "\(bytes.count - cursor - 32) unexpected bytes after the payload")
        }
        let stored = Array(bytes[cursor...])
        let computed = Array(SHA256.hash(data: bytes[0..<cursor]))
        guard stored == computed else { throw ModelFileError.checksumMismatch(path: source) }
        self.init(header: header, payload: payload, formatVersion: version)
    }
}

/// Why a model file was refused. Every case names the file; nothing is written when loading fails.
public enum ModelFileError: Error, Equatable, CustomStringConvertible {
    case notAModelFile(path: String)
    case truncated(path: String, byteCount: Int)
    case checksumMismatch(path: String)
    case newerFormat(path: String, found: UInt32, supported: UInt32)
    case corrupt(path: String, reason: String)
    case unreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case .notAModelFile(let path):
            return "\(path): not a DPSynth model file (missing the DPSYNTH signature)"
        case .truncated(let path, let count):
            return "\(path): model file is truncated (\(count) bytes); it was not written completely — train or copy it again"
        case .checksumMismatch(let path):
            return "\(path): model file is corrupt (SHA-256 checksum mismatch); refusing to load weights whose privacy record cannot be trusted"
        case .newerFormat(let path, let found, let supported):
            return "\(path): model file format \(found) is newer than this dpsynth supports (\(supported)); upgrade dpsynth"
        case .corrupt(let path, let reason):
            return "\(path): model file is corrupt: \(reason)"
        case .unreadable(let path, let reason):
            return "\(path): cannot read model file: \(reason)"
        }
    }
}

private func appendLittleEndian<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
    withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
}

private func readLittleEndian<T: FixedWidthInteger>(_: T.Type, _ bytes: [UInt8], _ cursor: inout Int) -> T {
    var value: T = 0
    for i in 0..<MemoryLayout<T>.size { value |= T(bytes[cursor + i]) << (8 * i) }
    cursor += MemoryLayout<T>.size
    return value
}
