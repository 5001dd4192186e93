import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a file all or nothing: the bytes go to a temporary file in the destination's
/// directory (same file system, so `rename(2)` is atomic), which is flushed to disk and then
/// renamed over the destination. An interrupted or failed write leaves no half file and the
/// old file, if any, untouched. The model file and the audit report use it too.
public enum AtomicFile {
    /// Writes `data` to `url`.
    ///
    /// - Parameter overwrite: replace an existing file; when false an existing file is an
    ///   error (`TabularError.outputExists`) and is left alone.
    public static func write(_ data: Data, to url: URL, overwrite: Bool) throws {
        try write(to: url, overwrite: overwrite) { output in
            data.withUnsafeBytes { output.write($0) }
        }
    }

    /// Streams a file through a buffered writer; the file appears only if `body` returns.
    public static func write(to url: URL, overwrite: Bool, _ body: (inout BufferedFileOutput) throws -> Void) throws {
        try withTemporaryFile(for: url, overwrite: overwrite) { temporary in
            let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            guard descriptor >= 0 else {
                throw TabularError.unwritableFile(path: url.path, reason: "cannot create a temporary file beside it: \(String(cString: strerror(errno)))")
            }
            var output = BufferedFileOutput(descriptor: descriptor, path: url.path)
            do {
                try body(&output)
                try output.flush()
                guard fsync(descriptor) == 0 else { throw output.failure() }
                close(descriptor)
            } catch {
                close(descriptor)
                throw error
            }
        }
    }

    /// Fails now, with the error `write` would give, when `url` could not be written: it exists
    /// (without `overwrite`) or no file can be created beside it. For work that is expensive or
    /// spends privacy before it writes (`fit`): learning after training that the directory does
    /// not exist loses the model and keeps the spend.
    public static func checkWritable(_ url: URL, overwrite: Bool) throws {
        if !overwrite && FileManager.default.fileExists(atPath: url.path) { throw TabularError.outputExists(path: url.path) }
        let probe = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).probe-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        let descriptor = open(probe.path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            throw TabularError.unwritableFile(path: url.path, reason: "cannot create a temporary file beside it: \(String(cString: strerror(errno)))")
        }
        close(descriptor)
        unlink(probe.path)
    }

    /// Hands `body` a fresh temporary path beside `url` (for writers that open files
    /// themselves, such as SQLite), then renames it to `url`; removes it if `body` throws.
    public static func withTemporaryFile(for url: URL, overwrite: Bool, _ body: (URL) throws -> Void) throws {
        let manager = FileManager.default
        if !overwrite && manager.fileExists(atPath: url.path) { throw TabularError.outputExists(path: url.path) }
        let directory = url.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        do {
            try body(temporary)
            if !overwrite && manager.fileExists(atPath: url.path) { throw TabularError.outputExists(path: url.path) }
            guard rename(temporary.path, url.path) == 0 else {
                throw TabularError.unwritableFile(path: url.path, reason: "cannot rename the temporary file: \(String(cString: strerror(errno)))")
            }
        } catch {
            unlink(temporary.path)
            throw error
        }
    }
}

/// A write buffer over a file descriptor (1 MiB), so writing a million rows makes a few
/// hundred system calls, not millions.
public struct BufferedFileOutput {
    let descriptor: Int32
    let path: String
    private var buffer: [UInt8] = []
    private let capacity = 1 << 20
    private var error: Int32 = 0

    init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
        buffer.reserveCapacity(capacity)
    }

    public mutating func write(_ text: String) {
        var text = text
        text.withUTF8 { write(UnsafeRawBufferPointer($0)) }
    }

    public mutating func write(_ bytes: UnsafeRawBufferPointer) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= capacity { try? flush() }
    }

    public mutating func write(byte: UInt8) {
        buffer.append(byte)
    }

    mutating func flush() throws {
        var offset = 0
        while offset < buffer.count {
            let written = buffer.withUnsafeBytes { systemWrite(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                error = errno
                break
            }
            offset += written
        }
        buffer.removeAll(keepingCapacity: true)
        if error != 0 { throw failure() }
    }

    func failure() -> TabularError {
        .unwritableFile(path: path, reason: "write failed: \(String(cString: strerror(error != 0 ? error : errno)))")
    }
}

/// `write(2)`, named apart from the `write` methods above.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}
