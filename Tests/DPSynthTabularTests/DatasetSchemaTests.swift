import DPSynthTestSupport
import Foundation
import XCTest
@testable import DPSynthTabular

/// Every dataset in shared/data parses with its schema in Schemas/, matches the documented
/// shape, and encodes; the JSON Schema's enums match the Swift types.
final class DatasetSchemaTests: XCTestCase {
    private let datasets = ["flchain", "pbc", "gbsg2", "breast_cancer_wdbc", "diabetes", "digits", "adult"]

    private func schema(_ name: String) throws -> Schema {
        try Schema.load(from: SharedData.repositoryRoot.appendingPathComponent("Schemas/\(name).json"))
    }

    /// Rows, columns and missing cells per dataset, from shared/data/columns.csv and README.
    private func documentedShape() throws -> [String: (columns: Int, missing: Int)] {
        var shape: [String: (columns: Int, missing: Int)] = [:]
        for row in try SharedData.referenceTable("data/columns.csv") {
            let name = row["dataset"]!
            let missing = Int(row["n_missing"]!)!
            shape[name, default: (0, 0)].columns += 1
            shape[name, default: (0, 0)].missing += missing
        }
        return shape
    }

    func testEveryDatasetParsesWithItsSchemaAndMatchesItsDocumentedShape() throws {
        let shape = try documentedShape()
        let expectedRows = ["flchain": 7874, "pbc": 418, "gbsg2": 686, "breast_cancer_wdbc": 569, "diabetes": 442,
                            "digits": 1797, "adult": 32561]
        for name in datasets {
            let schema = try schema(name)
            let table = try Table.read(.csv(SharedData.url("data/\(name).csv")), schema: schema)
            XCTAssertEqual(table.rowCount, expectedRows[name], name)
            if let documented = shape[name] {
                XCTAssertEqual(schema.columns.count, documented.columns, name)
                let missing = table.columns.reduce(0) { total, values in
                    switch values {
                    case .numbers(let v): return total + v.filter(\.isNaN).count
                    case .categories(let c): return total + c.filter { $0 < 0 }.count
                    case .identifiers(let t): return total + t.filter { $0 == nil }.count
                    }
                }
                XCTAssertEqual(missing, documented.missing, "\(name): missing cells")
            }
            let report = try schema.check(.csv(SharedData.url("data/\(name).csv")))
            XCTAssertTrue(report.isValid, "\(name): \(report.text)")
            let (matrix, encoding) = try TableEncoder(schema: schema).encode(table)
            XCTAssertEqual(encoding.totalClipped, 0, name)
            XCTAssertTrue(matrix.values.allSatisfy(\.isFinite), name)
            XCTAssertEqual(schema.labelColumnIndex.map { schema.columns[$0].role }, .label, "\(name) has a label")
        }
    }

    func testAdultIsTrimmedAndQuestionMarksAreMissing() throws {
        let table = try Table.read(.csv(SharedData.url("data/adult.csv")), schema: try schema("adult"))
        let workclass = try XCTUnwrap(table.categories("workclass"))
        XCTAssertEqual(workclass[0], "State-gov")
        XCTAssertEqual(workclass.filter { $0 == nil }.count, 1836)
        XCTAssertEqual(table.labels()?.prefix(2), ["<=50K", "<=50K"])
    }

    func testOnlyUndeclaredBoundsAreListedAsDataDerived() throws {
        XCTAssertEqual(try schema("gbsg2").dataDerivedItems, [])
        XCTAssertEqual(try schema("flchain").dataDerivedItems, [], "chapter is dropped, so its data-derived list never reaches the model")
        XCTAssertEqual(try schema("diabetes").dataDerivedItems.map(\.description), ["column 'target': bounds"])
        XCTAssertEqual(try schema("breast_cancer_wdbc").dataDerivedItems.count, 30)
        let accepted = try schema("breast_cancer_wdbc").acceptingDataDerivedValuesAsPublic()
        XCTAssertEqual(accepted.dataDerivedItems, [])
    }

    func testSchemasSurviveAJSONRoundTrip() throws {
        for name in datasets {
            let schema = try schema(name)
            XCTAssertEqual(try Schema.decode(try schema.jsonData(), source: name), schema, name)
        }
    }

    func testJSONSchemaEnumsMatchTheSwiftTypes() throws {
        let url = SharedData.repositoryRoot.appendingPathComponent("Schemas/dpsynth-schema.json")
        let root = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let definitions = try XCTUnwrap(root["$defs"] as? [String: Any])
        func enumValues(_ path: [String]) throws -> Set<String> {
            var node: Any = definitions
            for key in path { node = try XCTUnwrap((node as? [String: Any])?[key], path.joined(separator: ".")) }
            return Set(try XCTUnwrap((node as? [String: Any])?["enum"] as? [String]))
        }
        XCTAssertEqual(try enumValues(["column", "properties", "kind"]), Set(ColumnKind.allCases.map(\.rawValue)))
        XCTAssertEqual(try enumValues(["column", "properties", "role"]), Set(ColumnRole.allCases.map(\.rawValue)))
        XCTAssertEqual(try enumValues(["provenance"]), Set(Provenance.allCases.map(\.rawValue)))
        XCTAssertEqual(try enumValues(["transform", "properties", "method"]), Set(TransformMethod.allCases.map(\.rawValue)))
        XCTAssertEqual(try enumValues(["source", "properties", "decimalSeparator"]), Set(DecimalSeparator.allCases.map(\.rawValue)))
        XCTAssertEqual(try enumValues(["source", "properties", "groupingSeparator"]), Set(GroupingSeparator.allCases.map(\.rawValue)))
    }

    func testInvalidSchemasAreRefusedWithTheReason() {
        func reason(_ json: String) -> String {
            do { _ = try Schema.decode(Data(json.utf8), source: "s.json"); return "accepted" } catch { return "\(error)" }
        }
        XCTAssertEqual(reason(#"{"format":"dpsynth-schema/1","name":"x","columns":[{"name":"a","kind":"integer"}]}"#),
                       "s.json: invalid schema: column 'a': a integer column needs bounds (min and max)")
        XCTAssertEqual(reason(#"{"format":"dpsynth-schema/1","name":"x","columns":[{"name":"a","kind":"colour"}]}"#).prefix(40),
                       "s.json: invalid schema: .columns[0].kind")
        XCTAssertEqual(reason(#"{"format":"other","name":"x","columns":[]}"#),
                       "s.json: invalid schema: format is \"other\"; expected \"dpsynth-schema/1\"")
        XCTAssertEqual(reason(#"{"format":"dpsynth-schema/1","name":"x","columns":[{"name":"a","kind":"boolean","categories":{"values":["n","y","?"],"provenance":"public"}}]}"#),
                       "s.json: invalid schema: column 'a': a boolean column lists exactly two values (false first, then true), found 3")
    }
}
