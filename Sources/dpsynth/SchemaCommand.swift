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

    @Option(help: "CSV field delimiter (one character; default: the one of ',' ';' tab '|' that splits every sampled line into the same number of fields).")
    var delimiter: String?

    @Option(help: "The decimal mark of numbers: '.' or ',' (default: ',' when the delimiter is not ',' and columns hold numbers such as '37,5', else '.').")
    var decimalSeparator: DecimalSeparator?

    @Option(help: "The mark grouping thousands: '.', ',', ' ', \"'\", U+00A0 (no-break space), U+202F (narrow no-break space) or U+2019 (’) (default: the mark that values such as '1.234,5' or '1 234,5' need, else none).")
    var groupingSeparator: GroupingSeparator?

    @Option(name: .customLong("missing"), parsing: .singleValue,
            help: "A token meaning 'missing' besides the empty field (repeatable; default: the empty field and the conventional NA, N/A, NaN, NULL, ? … that the data hold).")
    var missingTokens: [String] = []

    @Flag(help: "Strip spaces and tabs around unquoted CSV fields.")
    var trim = false

    @Option(help: "An SDV SINGLE_TABLE_V1 metadata JSON whose column types to start from.")
    var sdv: String?

    @Flag(help: "Replace the output file if it exists.")
    var force = false

    func validate() throws {
        if let delimiter, delimiter.utf8.count != 1 {
            throw ValidationError("--delimiter must be one character, found '\(delimiter)'")
        }
        if let groupingSeparator, groupingSeparator.rawValue == decimalSeparator?.rawValue {
            throw ValidationError("--grouping-separator and --decimal-separator are both \(groupingSeparator.quoted)")
        }
    }

    func run() throws {
        let source = try input.source()
        var chosenDelimiter = delimiter ?? ","
        var sniffed = false
        if delimiter == nil, case .csv(let url) = source {
            chosenDelimiter = String(UnicodeScalar(try DelimiterSniffing.delimiter(of: url, source: input.data)))
            sniffed = chosenDelimiter != ","
        }
        var format = SourceFormat(delimiter: chosenDelimiter, missingTokens: [""] + missingTokens.filter { !$0.isEmpty },
                                  trimWhitespace: trim)
        var table = try TextTable.read(source, format: format)
        var conventional: [(token: String, cells: Int)] = []
        if missingTokens.isEmpty {
            (table, format, conventional) = SchemaInference.treatingConventionalMissingTokensAsMissing(table, format: format)
        }
        var formatNotes: [String] = []
        (format, formatNotes) = SchemaInference.choosingNumberFormat(table, format: format, declaredDecimal: decimalSeparator,
                                                                     declaredGrouping: groupingSeparator)
        if sniffed {
            let named = chosenDelimiter == "\t" ? "tab" : "'\(chosenDelimiter)'"
            let why = table.columnNames.count == 1
                ? "the file has one column, and no line holds \(named), so a value such as '37,5' stays whole"
                : "it splits every sampled line into the same number of fields"
            formatNotes.insert("delimiter \(named) chosen (source.delimiter): \(why); pass --delimiter to choose another", at: 0)
        }
        let start = try sdv.map { path in
            try SDVMetadata.startingSchema(from: try Data(contentsOf: URL(fileURLWithPath: path)), source: path)
        }
        let defaultName = URL(fileURLWithPath: String(input.data.split(separator: ":", maxSplits: 1).last ?? ""))
            .deletingPathExtension().lastPathComponent
        let schema = try SchemaInference.infer(table, name: name ?? defaultName, format: format, label: label, start: start)
        let url = URL(fileURLWithPath: output)
        try AtomicFile.write(try schema.jsonData() + Data("\n".utf8), to: url, overwrite: force)
        print("wrote \(output): \(schema.columns.count) columns, \(table.rowCount) rows read")
        if !conventional.isEmpty {
            print("read as missing: " + conventional.map { "'\($0.token)' (\($0.cells) cells)" }.joined(separator: ", ")
                  + "; pass --missing TOKEN to choose the missing tokens yourself")
        }
        let notes = formatNotes + SchemaInference.notes(for: table, schema: schema)
        if !notes.isEmpty {
            print("check before fitting:")
            for note in notes { print("  \(note)") }
        }
        let derived = schema.dataDerivedItems
        if !derived.isEmpty {
            print("\(derived.count) items are derived from the data (provenance \"data\"); declare them public only if known without the data:")
            for item in derived { print("  \(item)") }
            print("""
                under a DP claim fit refuses them until, for each, you either declare it public (provenance "public" and a reason), \
                or pass --schema-epsilon E to estimate it privately from the budget (each data bound then needs \
                bounds.publicRange, a range known without the data to search in), or pass --accept-data-bounds (the release then does not cover them; the record says so)
                """)
        }
    }
}

extension DecimalSeparator: ExpressibleByArgument {}
/// A grouping mark on the command line: the mark itself, or its code point (`U+00A0`, `U+202F`,
/// `U+2019`) since a no-break space is hard to type and invisible in a shell.
extension GroupingSeparator: ExpressibleByArgument {
    public init?(argument: String) {
        if let mark = GroupingSeparator(rawValue: argument) {
            self = mark
            return
        }
        let upper = argument.uppercased()
        guard upper.hasPrefix("U+"), let code = UInt32(upper.dropFirst(2), radix: 16), let scalar = Unicode.Scalar(code),
              let mark = GroupingSeparator(rawValue: String(scalar)) else { return nil }
        self = mark
    }

    public static var allValueStrings: [String] { ["." , ",", " ", "'", "U+00A0", "U+202F", "U+2019"] }
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
