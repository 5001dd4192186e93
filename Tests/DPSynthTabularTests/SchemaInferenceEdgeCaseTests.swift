import Foundation
import XCTest
@testable import DPSynthTabular

/// `schema infer` on the tables a hospital team brings that the bundled data sets never show:
/// an empty column, keys named every which way, row numbers, free text, R's `NA`, UCI's ` ?`,
/// decimal commas, constants, and labels a model cannot take.
final class SchemaInferenceEdgeCaseTests: XCTestCase {
    private let rows = 30

    private func table(_ columns: [String: [String?]]) -> TextTable {
        let names = columns.keys.sorted()
        return TextTable(source: "t.csv", columnNames: names, columns: names.map { columns[$0] ?? [] })
    }

    private func column(_ schema: Schema, _ name: String) throws -> ColumnSchema {
        try XCTUnwrap(schema.columns.first { $0.name == name })
    }

    /// A column with no value made `infer` fail validating its own schema ("a categorical
    /// column needs a category list"); it is now dropped, and the schema is valid.
    func testAnEntirelyMissingColumnIsDropped() throws {
        let table = table(["empty": Array(repeating: nil, count: rows), "age": (0..<rows).map { String(40 + $0 % 7) }])
        let schema = try SchemaInference.infer(table, name: "t")
        let empty = try column(schema, "empty")
        XCTAssertEqual(empty.role, .drop)
        XCTAssertTrue(empty.nullable)
        XCTAssertEqual(schema.released.columns.map(\.name), ["age"])
        XCTAssertTrue(SchemaInference.notes(for: table, schema: schema).contains("column 'empty': no value in any row; dropped"))
    }

    /// Keys are named `PatientID`, `patientId`, `record.id`, `MRN`; a pandas index column is a run
    /// 0…n−1 or 1…n under any name. A distinct measurement is not a key.
    func testIdentifiersByNameAndByRowNumbers() throws {
        XCTAssertEqual(SchemaInference.nameWords("PatientID"), ["patient", "id"])
        XCTAssertEqual(SchemaInference.nameWords("patientId"), ["patient", "id"])
        XCTAssertEqual(SchemaInference.nameWords("record.id"), ["record", "id"])
        XCTAssertEqual(SchemaInference.nameWords("HbA1c_value"), ["hb", "a1c", "value"])
        for name in ["PatientID", "patientId", "record.id", "MRN", "subject_uuid", "pid", "id"] {
            XCTAssertTrue(SchemaInference.isNamedLikeIdentifier(name), name)
        }
        for name in ["valid", "fluid", "acid_level", "width", "Idle"] {
            XCTAssertFalse(SchemaInference.isNamedLikeIdentifier(name), name)
        }
        let table = table([
            "PatientID": (0..<rows).map { String(1000 + 7 * $0) },
            "Unnamed: 0": (0..<rows).map { String($0) },
            "creatinine_umol": (0..<rows).map { String(50 + 3 * $0) },
            "year": (0..<rows).map { String(1990 + $0) },
        ])
        let schema = try SchemaInference.infer(table, name: "t")
        XCTAssertEqual(try column(schema, "PatientID").kind, .identifier)
        XCTAssertEqual(try column(schema, "Unnamed: 0").kind, .identifier)
        XCTAssertEqual(try column(schema, "creatinine_umol").kind, .integer, "distinct but not consecutive: a measurement")
        XCTAssertEqual(try column(schema, "year").kind, .integer, "consecutive, but not from 0 or 1: a year, an age")
        let notes = SchemaInference.notes(for: table, schema: schema)
        XCTAssertTrue(notes.contains("column 'PatientID': identifier (every value distinct); never modelled, and sample writes new ones (1, 2, …). If it is a measurement, set its kind"), "\(notes)")
    }

    /// Free text was taken for an identifier and released as 1, 2, 3; it is dropped. Short
    /// distinct codes stay identifiers; repeated phrases stay categories.
    func testFreeTextIsDroppedButCodesAndPhrasesAreNot() throws {
        let table = table([
            "note": (0..<rows).map { "patient reports mild pain after visit \($0)" },
            "code": (0..<rows).map { "C\($0 * 13)" },
            "diagnosis": (0..<rows).map { $0 % 2 == 0 ? "type 2 diabetes mellitus" : "essential hypertension" },
        ])
        let schema = try SchemaInference.infer(table, name: "t")
        XCTAssertEqual(try column(schema, "note").role, .drop)
        XCTAssertEqual(try column(schema, "code").kind, .identifier)
        XCTAssertEqual(try column(schema, "code").role, .feature)
        XCTAssertEqual(try column(schema, "diagnosis").kind, .categorical)
        XCTAssertTrue(SchemaInference.notes(for: table, schema: schema)
            .contains("column 'note': free text; dropped (never modelled or released). Replace it by coded columns if it matters"))
    }

    /// R writes `NA`, UCI writes ` ?`: read as values they made a lab column categorical and
    /// "?" a workclass. They are found, counted, made missing and written into the schema's
    /// tokens (as the file spells them, so reading the file again agrees).
    func testConventionalMissingTokensAreFoundAndRecorded() throws {
        let table = table([
            "chol": (0..<rows).map { $0 % 5 == 0 ? "NA" : String(150 + $0) },
            "work": (0..<rows).map { $0 % 4 == 0 ? " ?" : ($0 % 2 == 0 ? " Private" : " State-gov") },
            "note": (0..<rows).map { $0 % 3 == 0 ? "None" : "some" },
        ])
        let (read, format, found) = SchemaInference.treatingConventionalMissingTokensAsMissing(table, format: SourceFormat())
        XCTAssertEqual(found.map(\.token), [" ?", "NA"])
        XCTAssertEqual(found.map(\.cells), [8, 6])
        XCTAssertEqual(format.missingTokens, ["", " ?", "NA"])
        let schema = try SchemaInference.infer(read, name: "t", format: format)
        let chol = try column(schema, "chol")
        XCTAssertEqual(chol.kind, .integer)
        XCTAssertTrue(chol.nullable)
        XCTAssertEqual(try column(schema, "work").categories?.values, [" Private", " State-gov"])
        XCTAssertEqual(try column(schema, "note").categories?.values, ["None", "some"], "None is as often a real answer")
        let notes = SchemaInference.notes(for: read, schema: schema)
        XCTAssertTrue(notes.contains("every value of 1 column ('work') starts or ends with a space; pass --trim to strip them"), "\(notes)")
        let unchanged = self.table(["x": ["1", "2"]])
        XCTAssertTrue(SchemaInference.treatingConventionalMissingTokensAsMissing(unchanged, format: SourceFormat()).found.isEmpty)
    }

    /// What the user must decide is said: a decimal comma, a constant, a numeric label, a
    /// label with many classes, no label at all.
    func testNotesNameWhatToCheck() throws {
        let table = table([
            "weight": (0..<rows).map { "\(60 + $0),\($0 % 10)" },
            "site": Array(repeating: "A", count: rows),
            "dose": Array(repeating: "5", count: rows),
            "score": (0..<rows).map { String(100 + 2 * $0) },
        ])
        let numericLabel = try SchemaInference.infer(table, name: "t", label: "score")
        let notes = SchemaInference.notes(for: table, schema: numericLabel)
        XCTAssertTrue(notes.contains("column 'weight': values such as '60,0' look like numbers with a decimal comma, but the schema reads '.' decimals, so it is identifier. If ',' is the decimal mark, infer again with --decimal-separator ,"), "\(notes)")
        XCTAssertTrue(notes.contains("column 'site': one value only ('A'): nothing to learn; consider role \"drop\""), "\(notes)")
        XCTAssertTrue(notes.contains("column 'dose': one value only ('5'): nothing to learn; consider role \"drop\""), "\(notes)")
        XCTAssertTrue(notes.contains("label 'score' is integer: fit's default AC-GAN needs a categorical label, so fit with --model gan (the audit then reports R²), or make it categorical"), "\(notes)")
        let unlabelled = try SchemaInference.infer(table, name: "t")
        XCTAssertEqual(SchemaInference.notes(for: table, schema: unlabelled).last,
                       "no label column: fit's default AC-GAN refuses to run (fit --model gan trains an unconditional GAN instead), and the audit has no prediction-utility section (train on synthetic, test on real), only column shapes, pair trends and risk. No column looks like one (none is boolean or has 2–10 categories). Infer again with --label COL, or pass fit --label COL, for the outcome you mean")
        let manyClasses = self.table(["ward": (0..<200).map { "W\($0 % 60)" }, "x": (0..<200).map { String($0 % 3) }])
        let wards = try SchemaInference.infer(manyClasses, name: "t", label: "ward")
        XCTAssertTrue(SchemaInference.notes(for: manyClasses, schema: wards).contains("label 'ward' has 60 classes: the AC-GAN conditions on each; check that it is the outcome you mean"))
    }
    /// ISO times with a `Z`, slashed and dotted dates were taken for identifiers (all distinct
    /// text); they are datetimes, and a day-first reading that could be month-first is said.
    /// A number column with one stray value ('inf', a typo) is named instead of passing as an
    /// identifier or a category.
    func testMoreDateFormatsAndStrayValuesInNumberColumns() throws {
        let table = table([
            "utc": (0..<rows).map { String(format: "2020-01-%02dT10:%02d:00Z", 1 + $0 % 28, $0) },
            "visit": (0..<rows).map { String(format: "%02d/%02d/2020", 1 + $0 % 12, 1 + $0 % 9) },
            "uk": (0..<rows).map { String(format: "%02d/%02d/2020", 13 + $0 % 15, 1 + $0 % 12) },
            "dotted": (0..<rows).map { String(format: "%02d.%02d.1999", 1 + $0 % 28, 1 + $0 % 12) },
            "x": (0..<rows).map { $0 == 3 ? "inf" : String(Double($0) / 7) },
        ])
        let schema = try SchemaInference.infer(table, name: "t")
        XCTAssertEqual(try column(schema, "utc").datetimeFormat, "%Y-%m-%dT%H:%M:%SZ")
        XCTAssertEqual(try column(schema, "visit").datetimeFormat, "%d/%m/%Y")
        XCTAssertEqual(try column(schema, "uk").datetimeFormat, "%d/%m/%Y")
        XCTAssertEqual(try column(schema, "dotted").datetimeFormat, "%d.%m.%Y")
        XCTAssertEqual(try column(schema, "dotted").bounds?.min, try DatetimeFormat(pattern: "%Y-%m-%d").seconds(parsing: "1999-01-01"))
        let notes = SchemaInference.notes(for: table, schema: schema)
        XCTAssertTrue(notes.contains("column 'visit': dates such as '01/01/2020' were read day first (%d/%m/%Y); if the month comes first, set datetimeFormat to %m/%d/%Y"), "\(notes)")
        XCTAssertFalse(notes.contains { $0.hasPrefix("column 'uk'") }, "days above 12: not ambiguous")
        XCTAssertTrue(notes.contains("column 'x': 29 of 30 values are numbers, but not 'inf', so it is identifier. Correct those values or make them missing (--missing), then infer again"), "\(notes)")
    }

    /// Without a label, the notes named no column: the user had to know that the AC-GAN and
    /// the prediction audit need one. They now name the binary and low-cardinality columns,
    /// those named like an outcome first, with why, and pick none.
    func testNoLabelNamesTheCandidatesAndPicksNone() throws {
        let table = table([
            "age": (0..<rows).map { String(30 + $0) },
            "ward": (0..<rows).map { ["A", "B", "C"][$0 % 3] },
            "sex": (0..<rows).map { $0 % 2 == 0 ? "F" : "M" },
            "death_status": (0..<rows).map { $0 % 5 == 0 ? "yes" : "no" },
            "code": (0..<rows).map { "K\($0 % 15)" },
        ])
        let schema = try SchemaInference.infer(table, name: "t")
        XCTAssertNil(schema.labelColumnIndex)
        XCTAssertEqual(SchemaInference.notes(for: table, schema: schema).last,
                       "no label column: fit's default AC-GAN refuses to run (fit --model gan trains an unconditional GAN instead), and the audit has no prediction-utility section (train on synthetic, test on real), only column shapes, pair trends and risk. Candidates: 'death_status' (binary, named like an outcome), 'sex' (binary), 'ward' (categorical, 3 classes); none was picked for you. Infer again with --label COL, or pass fit --label COL, for the outcome you mean")
    }

    /// The 64 pixels of digits.csv (0–16 each) came out categorical, boolean or integer
    /// depending on how many intensities each showed. Siblings (names equal but for their
    /// digits) of whole numbers now share the integer kind and the family's bounds, and a note
    /// says so; a family that already agrees, text siblings and declared kinds are left alone.
    func testSiblingColumnsOfOneDomainGetOneKind() throws {
        var columns: [String: [String?]] = [:]
        for pixel in 0..<6 {
            // Pixel 0 shows 0/1 only, pixels 1–2 six values, pixels 3–5 all seventeen.
            let spread = pixel == 0 ? 2 : pixel < 3 ? 6 : 17
            columns["px_\(pixel / 3)_\(pixel % 3)"] = (0..<rows).map { String(($0 * (pixel + 1)) % spread) }
        }
        columns["visit1"] = (0..<rows).map { String($0 % 3) }
        columns["visit2"] = (0..<rows).map { String($0 % 4) }
        columns["visit3"] = (0..<rows).map { String($0 % 2 + 1) }
        columns["site1"] = (0..<rows).map { ["a", "b"][$0 % 2] }
        columns["site2"] = (0..<rows).map { ["a", "b", "c"][$0 % 3] }
        columns["site3"] = (0..<rows).map { ["b", "c"][$0 % 2] }
        let table = table(columns)
        let schema = try SchemaInference.infer(table, name: "t")
        for pixel in 0..<6 {
            let column = try column(schema, "px_\(pixel / 3)_\(pixel % 3)")
            XCTAssertEqual(column.kind, .integer, column.name)
            XCTAssertEqual(column.bounds?.min, 0)
            XCTAssertEqual(column.bounds?.max, 16)
            XCTAssertEqual(column.bounds?.provenance, .data)
        }
        XCTAssertEqual(try (1...3).map { try column(schema, "visit\($0)").kind }, [.categorical, .categorical, .categorical])
        XCTAssertEqual(try (1...3).map { try column(schema, "site\($0)").kind }, [.categorical, .categorical, .categorical])
        XCTAssertTrue(SchemaInference.notes(for: table, schema: schema).contains(
            "columns px_#_# ('px_0_0' … 'px_1_2', 6 columns): whole numbers of one domain (0–16) that the distinct-count rule would have split between categorical, boolean and integer; all made integer with the family's bounds. If they are codes, declare them categorical"),
            "\(SchemaInference.notes(for: table, schema: schema))")

        // Kinds declared by a starting schema are kept.
        var start = schema
        start.columns = schema.columns.map { column in
            var column = column
            if column.name == "px_0_0" { column.kind = .boolean }
            return column
        }
        XCTAssertEqual(try column(try SchemaInference.infer(table, name: "t", start: start), "px_0_0").kind, .boolean)
    }

    /// Adjacent columns of one range with unrelated names (`a` … `d`, each 0–16) get one kind
    /// as a named family does; a neighbour of another range (`age`, `e` 0–15), a block of two,
    /// and a block that already agrees are left alone.
    func testAdjacentColumnsOfOneRangeGetOneKindWhateverTheirNames() throws {
        let names = ["age", "a", "b", "c", "d", "e", "f", "g", "h", "x", "y"]
        let values: [[Int]] = [
            (0..<rows).map { 18 + 2 * $0 },
            (0..<rows).map { $0 % 2 == 0 ? 0 : 16 },   // categorical alone
            (0..<rows).map { $0 % 17 },                 // integer alone
            (0..<rows).map { [0, 4, 8, 12, 16][$0 % 5] },
            (0..<rows).map { ($0 * 3) % 17 },
            (0..<rows).map { $0 % 16 },                 // 0–15: another range
            (0..<rows).map { 1 + $0 % 3 }, (0..<rows).map { 1 + $0 % 2 * 2 }, (0..<rows).map { 3 - $0 % 3 },
            (0..<rows).map { $0 % 2 == 0 ? 0 : 20 }, (0..<rows).map { $0 % 21 },
        ]
        let table = TextTable(source: "t.csv", columnNames: names, columns: values.map { $0.map { String($0) } })
        let schema = try SchemaInference.infer(table, name: "t")
        for name in ["a", "b", "c", "d"] {
            let column = try column(schema, name)
            XCTAssertEqual(column.kind, .integer, name)
            XCTAssertEqual(column.bounds?.min, 0, name)
            XCTAssertEqual(column.bounds?.max, 16, name)
            XCTAssertEqual(column.bounds?.provenance, .data, name)
        }
        XCTAssertEqual(try column(schema, "age").bounds?.min, 18)
        XCTAssertEqual(try column(schema, "e").bounds?.max, 15)
        XCTAssertEqual(try ["f", "g", "h", "x", "y"].map { try column(schema, $0).kind },
                       [.categorical, .categorical, .categorical, .categorical, .integer])
        let notes = SchemaInference.notes(for: table, schema: schema)
        XCTAssertTrue(notes.contains("columns 'a' … 'd' (4 adjacent columns): whole numbers of one range (0–16) that the distinct-count rule would have split between categorical, boolean and integer; all made integer with that range, although their names differ. If they are codes, or unrelated, declare their kinds"), "\(notes)")
        XCTAssertEqual(notes.filter { $0.contains("adjacent columns") }.count, 1, "\(notes)")
    }
}
