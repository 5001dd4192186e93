import Crypto
import Foundation

/// A dataset's identity in the budget ledger: the SHA-256 of its bytes.
///
/// Content, not path: a copy of the file under another name draws on the same budget, and an
/// edited file is a new dataset (it is, for DP: the neighbouring relation is about records).
public struct DatasetFingerprint: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// 64 lowercase hexadecimal digits.
    public let hexDigest: String

    public var description: String { hexDigest }

    /// A fingerprint typed by a user (`--dataset`), checked to be 64 hex digits.
    public init(hexDigest: String) throws {
        let lowered = hexDigest.lowercased()
        guard lowered.count == 64, lowered.allSatisfy({ $0.isHexDigit }) else {
            throw LedgerError.malformedFingerprint(hexDigest)
        }
        self.hexDigest = lowered
    }

    /// The fingerprint of `data`.
    public init(data: Data) {
        hexDigest = Self.hex(SHA256.hash(data: data))
    }

    /// The fingerprint of a file's content, read in 1 MiB chunks.
    public init(contentsOf url: URL) throws {
        let handle: FileHandle
        do {
            handle = try FileHandle(forReadingFrom: url)
        } catch {
            throw LedgerError.cannotReadDataset(path: url.path, reason: (error as NSError).localizedDescription)
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        do {
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                hasher.update(data: chunk)
            }
        } catch {
            throw LedgerError.cannotReadDataset(path: url.path, reason: (error as NSError).localizedDescription)
        }
        hexDigest = Self.hex(hasher.finalize())
    }

    public static func < (lhs: DatasetFingerprint, rhs: DatasetFingerprint) -> Bool { lhs.hexDigest < rhs.hexDigest }

    private static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        digest.map { String(format: "%02x", $0) }.joined()
    }
}
