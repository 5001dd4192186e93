import ArgumentParser
import DPSynthAudit
import DPSynthModels
import DPSynthPrivacy
import DPSynthTabular
import Foundation

/// `dpsynth audit`: the report a data custodian hands over — privacy spent (from the model
/// file and the ledger) and utility and disclosure risk of the synthetic rows against the real.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Write an audit (report.json + self-contained report.html) of a synthetic release.",
        discussion: """
        The report compares real and synthetic rows; it reads the private data and is for the data \
        custodian: it is not itself differentially private. With a holdout (rows the model never saw) \
        it adds train-on-synthetic/test-on-real and the holdout-based risk measures.
        """)

    @Option(help: "The real (training) data: CSV or sqlite:PATH.")
    var real: String

    @Option(help: "The synthetic data: CSV or sqlite:PATH.")
    var synthetic: String

    @Option(help: "Schema file of the real data.")
    var schema: String

    @Option(help: "Table of the real data when it is sqlite:PATH.")
    var table: String?

    @Option(help: "Table of the synthetic data when it is sqlite:PATH.")
    var syntheticTable: String?

    @Option(help: "Real rows the model never saw (CSV or sqlite:PATH with --holdout-table).")
    var holdout: String?

    @Option(help: "Table of the holdout data when it is sqlite:PATH.")
    var holdoutTable: String?

    @Option(help: "Split this fraction of --real off as holdout (must match `fit --holdout-fraction`).")
    var holdoutFraction: Double?

    @Option(help: "Model file: its privacy record fills the privacy section.")
    var model: String?

    @Option(help: "Budget ledger: adds the dataset's totals over all releases.")
    var ledger: String?

    @Option(help: "Label value counted as positive for ROC AUC (default: inferred).")
    var positiveClass: String?

    @Option(help: "Name of the dataset in the report (default: the schema's name).")
    var name: String?

    @Option(name: .shortAndLong, help: "Directory for report.json and report.html.")
    var output: String

    func validate() throws {
        if holdout != nil && holdoutFraction != nil { throw ValidationError("give --holdout or --holdout-fraction, not both") }
        if let f = holdoutFraction, !(f > 0 && f < 1) { throw ValidationError("--holdout-fraction must lie in (0, 1), found \(f)") }
    }

    func run() throws {
        let report = try AuditRun(realSpecification: real, syntheticSpecification: synthetic, schemaPath: schema,
                                  realTable: table, syntheticTable: syntheticTable, holdoutSpecification: holdout,
                                  holdoutTable: holdoutTable, holdoutFraction: holdoutFraction, modelPath: model,
                                  ledgerPath: ledger, positiveClass: positiveClass, datasetName: name).report()
        let files = try report.write(to: URL(fileURLWithPath: output, isDirectory: true))
        print(report.textSummary)
        print("wrote \(files.json.path) and \(files.html.path)")
    }
}

/// One audit, shared by `audit` and `demo`.
struct AuditRun {
    var realSpecification: String
    var syntheticSpecification: String
    var schemaPath: String
    var realTable: String? = nil
    var syntheticTable: String? = nil
    var holdoutSpecification: String? = nil
    var holdoutTable: String? = nil
    var holdoutFraction: Double? = nil
    var modelPath: String? = nil
    var ledgerPath: String? = nil
    var positiveClass: String? = nil
    var datasetName: String? = nil

    func report() throws -> AuditReport {
        var schema = try loadSchema(schemaPath)
        var privacy = PrivacySummary.noPrivacy(modelKind: "not stated (no model file given)")
        if let modelPath {
            let model = try TrainedModel(contentsOf: URL(fileURLWithPath: modelPath))
            // The model's schema carries the label it was trained with (fit --label).
            if let labelIndex = model.schema.labelColumnIndex {
                let label = model.schema.columns[labelIndex].name
                for i in schema.columns.indices {
                    if schema.columns[i].name == label {
                        schema.columns[i].role = .label
                    } else if schema.columns[i].role == .label {
                        schema.columns[i].role = .feature
                    }
                }
            }
            var totals: LedgerTotals?
            if let ledgerPath, model.privacy.isPrivate {
                let ledger = try BudgetLedger(url: URL(fileURLWithPath: ledgerPath))
                let realSource = try DataSource(specification: realSpecification, table: realTable)
                let spending = try ledger.spending(for: try DatasetFingerprint(contentsOf: dataFileURL(realSource)),
                                                   delta: model.privacy.delta)
                totals = LedgerTotals(epsilon: spending.epsilon, delta: spending.delta, releases: spending.releaseCount,
                                      unsettledReservations: spending.reservationCount)
            }
            privacy = PrivacySummary(record: model.privacy, modelKind: model.configuration.modelKind == .acgan ? "AC-GAN" : "GAN",
                                     configuration: model.configuration,
                                     ledger: totals)
        }
        var real = try Table.read(try DataSource(specification: realSpecification, table: realTable), schema: schema)
        var holdout: Table?
        if let holdoutFraction {
            (real, holdout) = real.split(holdoutFraction: holdoutFraction)
        } else if let holdoutSpecification {
            holdout = try Table.read(try DataSource(specification: holdoutSpecification, table: holdoutTable), schema: schema)
        }
        let synthetic = try Table.read(try DataSource(specification: syntheticSpecification, table: syntheticTable),
                                       schema: schema.released)
        return try Audit.run(real: try AuditTable(real, positiveClass: positiveClass),
                             synthetic: try AuditTable(synthetic, positiveClass: positiveClass),
                             holdout: try holdout.map { try AuditTable($0, positiveClass: positiveClass) },
                             privacy: privacy, options: AuditOptions(datasetName: datasetName ?? schema.name))
    }
}
