import ArgumentParser
import DPSynthTabular
import Foundation

/// Where a table comes from: a CSV path or `sqlite:PATH` with `--table` or `--query`.
struct TableSelectionOptions: ParsableArguments {
    @Option(help: "Table to read when DATA is sqlite:PATH.")
    var table: String?

    @Option(help: "SQL query to read when DATA is sqlite:PATH (instead of --table).")
    var query: String?

    func validate() throws {
        if table != nil && query != nil { throw ValidationError("give --table or --query, not both") }
    }
}

/// Reads a schema file, naming it in the error.
func loadSchema(_ path: String) throws -> Schema {
    try Schema.load(from: URL(fileURLWithPath: path))
}

/// Where an output goes: a CSV path, or `sqlite:PATH` with a table name.
enum OutputDestination {
    case csv(URL)
    case sqlite(URL, table: String)

    init(_ specification: String, table: String?) throws {
        if specification.hasPrefix("sqlite:") {
            let path = String(specification.dropFirst("sqlite:".count))
            guard !path.isEmpty else { throw ValidationError("sqlite: needs a path, as in sqlite:out.db") }
            guard let table, !table.isEmpty else {
                throw ValidationError("writing to \(specification) needs --table NAME for the new table")
            }
            self = .sqlite(URL(fileURLWithPath: path), table: table)
        } else {
            self = .csv(URL(fileURLWithPath: specification))
        }
    }
}

/// The data file a fingerprint is taken of (the ledger keys releases by content).
func dataFileURL(_ source: DataSource) -> URL {
    switch source {
    case .csv(let url): return url
    case .sqlite(let url, _): return url
    }
}
