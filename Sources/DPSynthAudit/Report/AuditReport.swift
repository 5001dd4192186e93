import DPSynthTabular
import Foundation

/// What was compared: names and sizes.
public struct DatasetDescription: Codable, Sendable, Equatable {
    public var name: String
    public var realRows: Int
    public var syntheticRows: Int
    public var holdoutRows: Int?
    public var columns: [String]
}

/// The whole audit: privacy spent, utility kept, risk left. `report.json` is this value
/// encoded with snake_case keys (`utility.column_shapes`, `risk.exact_match_share`, ...).
public struct AuditReport: Codable, Sendable, Equatable {
    /// "DPSynth audit 1": bump when a key changes meaning.
    public var format: String
    public var dataset: DatasetDescription
    public var privacy: PrivacySummary
    public var utility: UtilitySection
    /// Nil when there is no holdout (nothing real to test on) or no label column.
    public var tstr: TSTRSection?
    public var risk: RiskSection

    public static let formatName = "DPSynth audit 1"

    /// The report as pretty-printed JSON with sorted snake_case keys (stable diffs).
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return try encoder.encode(self)
    }

    /// Reads a `report.json` back.
    public static func decode(from data: Data) throws -> AuditReport {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(AuditReport.self, from: data)
    }

    /// Writes `report.json` and `report.html` into `directory` (created if needed), each
    /// atomically (`AtomicFile`: temporary file, flush, rename). Returns the two files' URLs.
    @discardableResult
    public func write(to directory: URL) throws -> (json: URL, html: URL) {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw TabularError.unwritableFile(path: directory.path, reason: "cannot create the report directory (\(error.localizedDescription))")
        }
        let json = directory.appendingPathComponent("report.json")
        let html = directory.appendingPathComponent("report.html")
        var jsonBytes = try jsonData()
        jsonBytes.append(0x0A)
        try AtomicFile.write(jsonBytes, to: json, overwrite: true)
        try AtomicFile.write(Data(AuditReportHTML.render(self).utf8), to: html, overwrite: true)
        return (json, html)
    }
}
