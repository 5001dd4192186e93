import Foundation

/// Reads the column types of an SDV single-table metadata file (`METADATA_SPEC_VERSION`
/// "SINGLE_TABLE_V1": `columns` maps names to an `sdtype`) as a starting point for
/// `SchemaInference`, which then fills in bounds, categories and nullability from the data.
///
/// sdtypes map as: numerical → integer (an `Int…` computer representation) or continuous;
/// categorical → categorical; boolean → boolean; datetime → datetime (its `datetime_format`
/// kept when it uses only %Y %m %d %H %M %S); id and every PII type (email, phone_number, …)
/// → identifier, since such values must never be copied into synthetic data.
public enum SDVMetadata {
    struct File: Decodable {
        var METADATA_SPEC_VERSION: String?
        var columns: [String: Column]
    }

    struct Column: Decodable {
        var sdtype: String
        var computer_representation: String?
        var datetime_format: String?
    }

    /// A schema skeleton (kinds and datetime formats only; no bounds or categories yet).
    public static func startingSchema(from data: Data, source: String) throws -> Schema {
        let file: File
        do { file = try JSONDecoder().decode(File.self, from: data) } catch {
            throw TabularError.invalidSchema(source: source, reason: "not an SDV metadata file: \(error)")
        }
        if let version = file.METADATA_SPEC_VERSION, version != "SINGLE_TABLE_V1" {
            throw TabularError.invalidSchema(source: source, reason: "METADATA_SPEC_VERSION is \(quoted(version)); only SINGLE_TABLE_V1 is read")
        }
        let columns = file.columns.keys.sorted().map { name -> ColumnSchema in
            let column = file.columns[name]!
            let kind: ColumnKind
            switch column.sdtype {
            case "numerical":
                kind = (column.computer_representation ?? "Float").hasPrefix("Int") ? .integer : .continuous
            case "categorical": kind = .categorical
            case "boolean": kind = .boolean
            case "datetime": kind = .datetime
            default: kind = .identifier
            }
            var schemaColumn = ColumnSchema(name: name, kind: kind)
            if kind == .datetime, let pattern = column.datetime_format, (try? DatetimeFormat(pattern: pattern)) != nil {
                schemaColumn.datetimeFormat = pattern
            }
            return schemaColumn
        }
        return Schema(name: source, columns: columns)
    }
}
