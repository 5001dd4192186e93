import DPSynthTestSupport
import Foundation
import XCTest

/// `dpsynth schema infer` and `dpsynth schema check`, run as the built executable: exit codes,
/// printed violations (golden text) and the files left behind.
final class SchemaCommandTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("dpsynth-cli-schema-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(at: directory)
    }

    /// Runs the dpsynth executable built beside this test bundle.
    private func dpsynth(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        let executable = Bundle.main.bundleURL.appendingPathComponent("dpsynth")
        let candidates = [executable, SharedData.repositoryRoot.appendingPathComponent(".build/release/dpsynth"),
                          SharedData.repositoryRoot.appendingPathComponent(".build/debug/dpsynth")]
        let binary = try XCTUnwrap(candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) },
                                   "build the dpsynth executable first")
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outputData, as: UTF8.self), String(decoding: errorData, as: UTF8.self))
    }

    private func write(_ name: String, _ text: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    func testInferWritesASchemaAndListsWhatCameFromTheData() throws {
        let result = try dpsynth(["schema", "infer", SharedData.url("data/gbsg2.csv").path, "--label", "cens", "-o", "gbsg2.json"])
        XCTAssertEqual(result.status, 0, result.error)
        let lines = result.output.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "wrote gbsg2.json: 10 columns, 686 rows read")
        XCTAssertTrue(lines.contains("  column 'age': bounds"), result.output)
        XCTAssertTrue(lines.contains("  column 'tgrade': categories"), result.output)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("gbsg2.json"))) as? [String: Any]
        let columns = try XCTUnwrap(json?["columns"] as? [[String: Any]])
        XCTAssertEqual(columns.first { $0["name"] as? String == "cens" }?["role"] as? String, "label")
        XCTAssertEqual(columns.first { $0["name"] as? String == "horTh" }?["kind"] as? String, "boolean")

        let again = try dpsynth(["schema", "infer", SharedData.url("data/gbsg2.csv").path, "-o", "gbsg2.json"])
        XCTAssertNotEqual(again.status, 0)
        XCTAssertTrue(again.error.contains("gbsg2.json already exists; pass --force to replace it"), again.error)
    }

    func testInferOnBadInputFailsAndWritesNothing() throws {
        let bad = try write("bad.csv", "a,b\n1,2\n3,4,5\n")
        let result = try dpsynth(["schema", "infer", bad, "-o", "out.json"])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.error.contains("bad.csv line 3: too many fields: expected 2 (as in the header), found 3"), result.error)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted(), ["bad.csv"])
    }

    func testCheckPrintsEveryViolationWithLineAndColumnThenACount() throws {
        let schema = SharedData.repositoryRoot.appendingPathComponent("Schemas/gbsg2.json").path
        let data = try write("g.csv", """
            horTh,age,menostat,tsize,tgrade,pnodes,progrec,estrec,time,cens
            no,70,Post,21,II,3,48,66,1814,1
            maybe,56,Post,12,II,7,61,77,2018,1
            no,5O,Post,12,IV,7,61,77,2018,1
            no,56,Post,12
            no,156,Post,12,II,0,61,77,2018,

            """)
        let result = try dpsynth(["schema", "check", data, "--schema", schema, "--limit", "4"])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.output, """
            \(data) line 3, column 'horTh': "maybe" is not one of the schema's categories ("no", "yes"); add it to the schema or read with unknown categories mapped to null
            \(data) line 4, column 'age': expected an integer, found "5O"
            \(data) line 4, column 'tgrade': "IV" is not one of the schema's categories ("I", "II", "III"); add it to the schema or read with unknown categories mapped to null
            \(data) line 5: too few fields: expected 10 (as in the header), found 4
            … and 3 more violations (7 in all)

            """)
        let clean = try dpsynth(["schema", "check", SharedData.url("data/gbsg2.csv").path, "--schema", schema])
        XCTAssertEqual(clean.status, 0, clean.error)
        XCTAssertEqual(clean.output, "\(SharedData.url("data/gbsg2.csv").path): 686 rows match the schema\n")
    }

    func testSQLiteSourcesNeedATableOrAQuery() throws {
        let result = try dpsynth(["schema", "infer", "sqlite:\(directory.path)/none.db", "-o", "x.json"])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.error.contains("a SQLite source needs exactly one of --table NAME and --query SQL"), result.error)
        let missing = try dpsynth(["schema", "infer", "sqlite:\(directory.path)/none.db", "--table", "t", "-o", "x.json"])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.error.contains("none.db: no such SQLite database"), missing.error)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("none.db").path))
    }
    /// The path a new user takes on an R export with `;` and `NA`: infer (which finds `NA`),
    /// fit, sample, audit. The release is comma-separated whatever the input; the audit reads
    /// it so (it read it with the input's `;` and refused it). A refusal found while running
    /// prints its message without ArgumentParser's root usage text.
    func testAnInferredSemicolonFileWithNAGoesThroughFitSampleAndAudit() throws {
        var text = "PatientID;age;ward;chol;outcome\n"
        for row in 0..<48 {
            text += "\(9000 + 7 * row);\(30 + row % 40);\(["A", "B", "C"][row % 3]);\(row % 6 == 0 ? "NA" : String(150 + row));\(row % 4 == 0 ? "yes" : "no")\n"
        }
        let data = try write("r.csv", text)
        let infer = try dpsynth(["schema", "infer", data, "--delimiter", ";", "--label", "outcome", "-o", "r.json"])
        XCTAssertEqual(infer.status, 0, infer.error)
        XCTAssertTrue(infer.output.contains("read as missing: 'NA' (8 cells); pass --missing TOKEN to choose the missing tokens yourself"), infer.output)
        XCTAssertTrue(infer.output.contains("  column 'PatientID': identifier (every value distinct)"), infer.output)

        let refused = try dpsynth(["fit", data, "--schema", "r.json", "--epsilon", "1", "--no-ledger", "-o", "m.dpsynth"])
        XCTAssertEqual(refused.status, 64)
        XCTAssertTrue(refused.error.hasPrefix("Error: the schema holds values read off the private data"), refused.error)
        XCTAssertFalse(refused.error.contains("Usage:"), refused.error)

        let fit = try dpsynth(["fit", data, "--schema", "r.json", "--epsilon", "1", "--accept-data-bounds", "--epochs", "1",
                               "--seed", "1", "--no-ledger", "-o", "m.dpsynth"])
        XCTAssertEqual(fit.status, 0, fit.error)
        let sample = try dpsynth(["sample", "m.dpsynth", "-n", "30", "--seed", "2", "-o", "s.csv"])
        XCTAssertEqual(sample.status, 0, sample.error)
        let released = try String(contentsOf: directory.appendingPathComponent("s.csv"), encoding: .utf8)
        XCTAssertTrue(released.hasPrefix("PatientID,age,ward,chol,outcome\n1,"), released)
        let audit = try dpsynth(["audit", "--real", data, "--synthetic", "s.csv", "--schema", "r.json", "--model", "m.dpsynth",
                                 "-o", "audit"])
        XCTAssertEqual(audit.status, 0, audit.error)
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory.appendingPathComponent("audit/report.html").path))
    }

    /// A European export (BOM, CRLF, `;`, `37,5`, `1.234,5`, dotted dates) goes through infer
    /// without flags, fit, sample and audit: the schema records the marks, the release is
    /// written with `,` and `.`, the audit reads both, and the temperatures keep their scale.
    func testAEuropeanExportGoesThroughInferFitSampleAndAudit() throws {
        var text = "\u{FEFF}Fallnummer;Temperatur;Gewicht_g;Aufnahme;Verstorben\r\n"
        for row in 0..<60 {
            text += "\(5000 + 3 * row);\(36 + row % 3),\(row % 10);\(1 + row % 3).\(200 + row),\(row % 10);\(10 + row % 18).0\(1 + row % 9).2025;\(row % 4 == 0 ? "ja" : "nein")\r\n"
        }
        let data = try write("eu.csv", text)
        let infer = try dpsynth(["schema", "infer", data, "-o", "eu.json"])
        XCTAssertEqual(infer.status, 0, infer.error)
        XCTAssertTrue(infer.output.contains("  delimiter ';' chosen (source.delimiter)"), infer.output)
        XCTAssertTrue(infer.output.contains("  decimal mark ',' chosen (source.decimalSeparator): columns 'Temperatur' ('36,0'), 'Gewicht_g' ('1.200,0')"), infer.output)
        XCTAssertTrue(infer.output.contains("Candidates: 'Verstorben' (binary); none was picked for you"), infer.output)
        let fit = try dpsynth(["fit", data, "--schema", "eu.json", "--label", "Verstorben", "--epsilon", "1", "--delta", "1e-3",
                               "--accept-data-bounds", "--epochs", "1", "--seed", "1", "--no-ledger", "-o", "m.dpsynth"])
        XCTAssertEqual(fit.status, 0, fit.error)
        let sample = try dpsynth(["sample", "m.dpsynth", "-n", "40", "--seed", "2", "-o", "s.csv"])
        XCTAssertEqual(sample.status, 0, sample.error)
        let released = try String(contentsOf: directory.appendingPathComponent("s.csv"), encoding: .utf8)
        let lines = released.split(separator: "\n")
        XCTAssertEqual(lines.first, "Fallnummer,Temperatur,Gewicht_g,Aufnahme,Verstorben")
        for line in lines.dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            XCTAssertEqual(fields.count, 5, String(line))
            let temperature = try XCTUnwrap(Double(fields[1]), String(line))
            XCTAssertTrue((36...38.9).contains(temperature), String(line))
            let weight = try XCTUnwrap(Double(fields[2]), String(line))
            XCTAssertTrue((1200...3259.9).contains(weight), String(line))
        }
        let audit = try dpsynth(["audit", "--real", data, "--synthetic", "s.csv", "--schema", "eu.json", "--model", "m.dpsynth",
                                 "--holdout-fraction", "0.3", "-o", "audit"])
        XCTAssertEqual(audit.status, 0, audit.error)
        XCTAssertTrue(audit.output.contains("TSTR:     'Verstorben'"), audit.output)

        // The release read as the source format is refused with the mark named, not misread.
        let misread = try dpsynth(["schema", "check", "s.csv", "--schema", "eu.json"])
        XCTAssertNotEqual(misread.status, 0)
        let ambiguous = try write("amb.csv", "a,b;c\n1,2;3\n")
        let refused = try dpsynth(["schema", "infer", ambiguous, "-o", "amb.json"])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.error.contains("the delimiter is ambiguous: ',', ';'"), refused.error)
    }

    /// A French export grouped by a narrow no-break space, and a ','-delimited file with quoted
    /// decimal commas: infer finds the marks without flags and says so, the schema stores them,
    /// check reads the file; `--grouping-separator U+00A0` names a mark that is hard to type.
    func testFrenchGroupingAndQuotedDecimalCommasGoThroughInferAndCheck() throws {
        var text = "Patient;Poids_g;Temp\r\n"
        for row in 0..<20 {
            text += "\(row + 1);\(1 + row % 3)\u{202F}\(200 + row),\(row % 10);\(36 + row % 3),5\r\n"
        }
        let data = try write("fr.csv", text)
        let infer = try dpsynth(["schema", "infer", data, "-o", "fr.json"])
        XCTAssertEqual(infer.status, 0, infer.error)
        XCTAssertTrue(infer.output.contains("  '\u{202F}' (U+202F) read as the thousands separator (source.groupingSeparator): columns 'Poids_g' ('1\u{202F}200,0') need it"), infer.output)
        let schema = try String(contentsOf: directory.appendingPathComponent("fr.json"), encoding: .utf8)
        XCTAssertTrue(schema.contains("\"groupingSeparator\" : \"\u{202F}\""), schema)
        let check = try dpsynth(["schema", "check", data, "--schema", "fr.json"])
        XCTAssertEqual(check.status, 0, check.output + check.error)

        let spaced = try write("nbsp.csv", "a;b\n1\u{00A0}234,5;1\n2,5;2\n")
        let declared = try dpsynth(["schema", "infer", spaced, "--grouping-separator", "U+00A0", "-o", "nbsp.json"])
        XCTAssertEqual(declared.status, 0, declared.error)
        XCTAssertEqual(try dpsynth(["schema", "check", spaced, "--schema", "nbsp.json"]).status, 0)
        let unknown = try dpsynth(["schema", "infer", spaced, "--grouping-separator", "U+0041", "-o", "x.json"])
        XCTAssertNotEqual(unknown.status, 0)

        let quoted = try write("q.csv", "id,temp\n1,\"37,5\"\n2,38\n3,\"36,5\"\n")
        let quotedInfer = try dpsynth(["schema", "infer", quoted, "-o", "q.json"])
        XCTAssertEqual(quotedInfer.status, 0, quotedInfer.error)
        XCTAssertTrue(quotedInfer.output.contains("decimal mark ',' chosen (source.decimalSeparator): columns 'temp' ('37,5')"), quotedInfer.output)
        XCTAssertEqual(try dpsynth(["schema", "check", quoted, "--schema", "q.json"]).status, 0)
    }
}
