import Foundation

/// Locates the project's `shared/` folder (public datasets and reference vectors) for tests.
///
/// CI clones the repo with `shared/` beside it; `DPSYNTH_SHARED` overrides the search.
public enum SharedData {
    public static let directory: URL = {
        if let override = ProcessInfo.processInfo.environment["DPSYNTH_SHARED"], !override.isEmpty {
            return URL(fileURLWithPath: override, isDirectory: true)
        }
        // Walk up from this source file: <repo>/Sources/DPSynthTestSupport/SharedData.swift.
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        for _ in 0..<6 {
            url = url.deletingLastPathComponent()
            let candidate = url.appendingPathComponent("shared", isDirectory: true)
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("data").path) {
                return candidate
            }
        }
        return URL(fileURLWithPath: "../shared", isDirectory: true)
    }()

    /// The repository root (the folder holding Package.swift).
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static func url(_ relativePath: String) -> URL {
        directory.appendingPathComponent(relativePath)
    }

    /// A reference CSV (no quoting: the reference vectors are plain numbers and names) as rows
    /// keyed by header name. Fails loudly: a missing reference must not silently skip a test.
    public static func referenceTable(_ relativePath: String) throws -> [[String: String]] {
        let text = try String(contentsOf: url(relativePath), encoding: .utf8)
        var lines = text.split(whereSeparator: \.isNewline).map(String.init)
        lines.removeAll { $0.hasPrefix("#") || $0.isEmpty }
        guard let header = lines.first?.split(separator: ",", omittingEmptySubsequences: false).map(String.init) else {
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: url(relativePath).path])
        }
        return lines.dropFirst().map { line in
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            var row: [String: String] = [:]
            for (name, value) in zip(header, fields) { row[name] = value }
            return row
        }
    }
}
