import ArgumentParser
import DPSynthTabular
import Foundation

/// `dpsynth schema`: propose a schema from data, or check data against a schema.
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Infer a schema from data, or check data against a schema.",
        discussion: "A schema says what each column means, its bounds or categories and where they came from (public or data); see docs/schema.md.",
        subcommands: [SchemaInferCommand.self, SchemaCheckCommand.self])
}

/// Where to read data from: a CSV path or sqlite:PATH with --table or --query.
struct DataSourceOptions: ParsableArguments {
    @Argument(help: "A CSV file, or sqlite:PATH with --table or --query.")
    var data: String

    @Option(help: "The table to read from a sqlite:PATH source.")
    var table: String?

    @Option(help: "The SQL query to read from a sqlite:PATH source.")
    var query: String?

    func validate() throws {
        do { _ = try source() } catch let error as TabularError { throw ValidationError(error.description) }
    }

    func source() throws -> DataSource { try DataSource(specification: data, table: table, query: query) }
}

struct SchemaInferCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "infer",
        abstract: "Propose a schema from data; every bound and category list read off the data is marked \"data\".")

    @OptionGroup var input: DataSourceOptions

    @Option(help: "The column to mark as the label.")
    var label: String?

    @Option(name: [.customShort("o"), .customLong("output")], help: "Where to write the schema JSON.")
    var output: String

    @Option(help: "The schema's name (default: the data file's name without extension).")
    var name: String?

    @Option(help: "CSV field delimiter (one character).")
    var delimiter: String = ","

    @Option(name: .customLong("missing"), parsing: .singleValue,
            help: "A token meaning 'missing' (repeatable; default: the empty field).")
    var missingTokens: [String] = []

    @Flag(help: "Strip spaces and tabs around unquoted CSV fields.")
    var trim = false

    @Option(help: "An SDV SINGLE_TABLE_V1 metadata JSON whose column types to start from.")
    var sdv: String?

    @Flag(help: "Replace the output file if it exists.")
    var force = false

    func validate() throws {
        guard delimiter.utf8.count == 1 else { throw ValidationError("--delimiter must be one character, found '\(delimiter)'") }
    }

    func run() throws {
        let source = try input.source()
        let format = SourceFormat(delimiter: delimiter, missingTokens: missingTokens.isEmpty ? [""] : missingTokens,
                                  trimWhitespace: trim)
        let table = try TextTable.read(source, format: format)
        let start = try sdv.map { path in
            try SDVMetadata.startingSchema(from: try Data(contentsOf: URL(fileURLWithPath: path)), source: path)
        }
        let defaultName = URL(fileURLWithPath: String(input.data.split(separator: ":", maxSplits: 1).last ?? ""))
            .deletingPathExtension().lastPathComponent
        let schema = try SchemaInference.infer(table, name: name ?? defaultName, format: format, label: label, start: start)
        let url = URL(fileURLWithPath: output)
        try AtomicFile.write(try schema.jsonData() + Data("\n".utf8), to: url, overwrite: force)
        let derived = schema.dataDerivedItems
        print("wrote \(output): \(schema.columns.count) columns, \(table.rowCount) rows read")
        if !derived.isEmpty {
            print("\(derived.count) items are derived from the data (provenance \"data\"); declare them public only if known without the data:")
            for item in derived { print("  \(item)") }
        }
    }
}

struct SchemaCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check data against a schema; list every violation with its line and column.")

    @OptionGroup var input: DataSourceOptions

    @Option(help: "The schema JSON to check against.")
    var schema: String

    @Option(help: "How many violations to print before only counting them.")
    var limit: Int = 20

    func validate() throws {
        guard limit > 0 else { throw ValidationError("--limit must be positive, found \(limit)") }
    }

    func run() throws {
        let schema = try Schema.load(from: URL(fileURLWithPath: self.schema))
        let report = try schema.check(try input.source(), limit: limit)
        print(report.text)
        if !report.isValid { throw ExitCode.failure }
    }
}
