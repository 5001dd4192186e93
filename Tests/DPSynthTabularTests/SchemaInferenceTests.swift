import Foundation
import XCTest
@testable import DPSynthTabular

final class SchemaInferenceTests: XCTestCase {
    private func column(_ schema: Schema, _ name: String) throws -> ColumnSchema {
        try XCTUnwrap(schema.columns.first { $0.name == name })
    }

    func testInferenceRulesAndProvenance() throws {
        let rows = 30
        let table = TextTable(source: "t.csv", columnNames: ["patient_id", "stage", "age", "bili", "visit", "sex", "smoker", "note"], columns: [
            (0..<rows).map { "P\($0)" },
            (0..<rows).map { String(1 + $0 % 4) },
            (0..<rows).map { String(40 + $0) },
            (0..<rows).map { $0 == 3 ? nil : String(format: "%.2f", 0.3 + Double($0) / 10) },
            (0..<rows).map { String(format: "2001-02-%02d", 1 + $0 % 28) },
            (0..<rows).map { $0 % 3 == 0 ? "F" : "M" },
            (0..<rows).map { $0 % 2 == 0 ? "yes" : "no" },
            (0..<rows).map { $0 % 5 == 0 ? "x" : "y" },
        ])
        let schema = try SchemaInference.infer(table, name: "t", label: "smoker")
        XCTAssertEqual(try column(schema, "patient_id").kind, .identifier)
        let stage = try column(schema, "stage")
        XCTAssertEqual(stage.kind, .categorical)
        XCTAssertEqual(stage.categories?.values, ["1", "2", "3", "4"])
        XCTAssertEqual(stage.categories?.provenance, .data)
        let age = try column(schema, "age")
        XCTAssertEqual(age.kind, .integer)
        XCTAssertEqual(age.bounds, Bounds(min: 40, max: 69, provenance: .data, reason: "minimum and maximum of the data"))
        let bili = try column(schema, "bili")
        XCTAssertEqual(bili.kind, .continuous)
        XCTAssertTrue(bili.nullable)
        XCTAssertEqual(bili.decimals, 2)
        let visit = try column(schema, "visit")
        XCTAssertEqual(visit.kind, .datetime)
        XCTAssertEqual(visit.datetimeFormat, "%Y-%m-%d")
        XCTAssertEqual(visit.bounds?.min, try DatetimeFormat(pattern: "%Y-%m-%d").seconds(parsing: "2001-02-01"))
        XCTAssertEqual(try column(schema, "sex").categories?.values, ["F", "M"])
        let smoker = try column(schema, "smoker")
        XCTAssertEqual(smoker.kind, .boolean)
        XCTAssertEqual(smoker.categories?.values, ["no", "yes"])
        XCTAssertEqual(smoker.categories?.provenance, .public, "a yes/no coding follows from the kind")
        XCTAssertEqual(smoker.role, .label)
        XCTAssertEqual(schema.dataDerivedItems.map(\.description), [
            "column 'stage': categories", "column 'age': bounds", "column 'bili': bounds", "column 'visit': bounds",
            "column 'sex': categories", "column 'note': categories",
        ])
        XCTAssertThrowsError(try SchemaInference.infer(table, name: "t", label: "outcome"))
    }

    func testSDVMetadataGivesTheColumnKinds() throws {
        let metadata = #"""
        {"METADATA_SPEC_VERSION": "SINGLE_TABLE_V1", "primary_key": "mrn",
         "columns": {"mrn": {"sdtype": "id"}, "age": {"sdtype": "numerical", "computer_representation": "Int64"},
                     "bmi": {"sdtype": "numerical", "computer_representation": "Float"},
                     "ward": {"sdtype": "categorical"}, "admitted": {"sdtype": "datetime", "datetime_format": "%d/%m/%Y"},
                     "email": {"sdtype": "email", "pii": true}, "ventilated": {"sdtype": "boolean"}}}
        """#
        let start = try SDVMetadata.startingSchema(from: Data(metadata.utf8), source: "meta.json")
        let kinds = Dictionary(uniqueKeysWithValues: start.columns.map { ($0.name, $0.kind) })
        XCTAssertEqual(kinds, ["mrn": .identifier, "age": .integer, "bmi": .continuous, "ward": .categorical,
                               "admitted": .datetime, "email": .identifier, "ventilated": .boolean])
        XCTAssertEqual(start.columns.first { $0.name == "admitted" }?.datetimeFormat, "%d/%m/%Y")
        let table = TextTable(source: "t.csv", columnNames: ["mrn", "age", "admitted"], columns: [
            ["1", "2", "3"], ["40", "41", "42"], ["01/02/2001", "03/04/2002", "31/12/2003"],
        ])
        let schema = try SchemaInference.infer(table, name: "t", start: start)
        XCTAssertEqual(schema.columns.map(\.kind), [.identifier, .integer, .datetime])
        XCTAssertEqual(schema.columns[2].bounds?.max, try DatetimeFormat(pattern: "%Y-%m-%d").seconds(parsing: "2003-12-31"))
        XCTAssertThrowsError(try SDVMetadata.startingSchema(from: Data(#"{"METADATA_SPEC_VERSION": "MULTI_TABLE_V1", "columns": {}}"#.utf8), source: "m.json"))
    }

    func testDatetimeFormatRoundTripsAndRejectsImpossibleDates() throws {
        let format = try DatetimeFormat(pattern: "%Y-%m-%dT%H:%M:%S")
        for seconds in [-2_208_988_800.0, 0, 951_782_400, 1_700_000_000, 4_102_444_799] {
            XCTAssertEqual(format.seconds(parsing: format.string(fromSeconds: seconds)), seconds)
        }
        XCTAssertEqual(format.seconds(parsing: "2000-02-29T12:00:00"), 951_825_600)
        XCTAssertNil(format.seconds(parsing: "2001-02-29T00:00:00"))
        XCTAssertNil(format.seconds(parsing: "2001-13-01T00:00:00"))
        XCTAssertNil(format.seconds(parsing: "2001-01-01 00:00:00"))
        XCTAssertThrowsError(try DatetimeFormat(pattern: "%Y-%j"))
    }
}
