import ArgumentParser
import DPSynthAccounting
import DPSynthEngine
import DPSynthModels
import DPSynthPrivacy
import DPSynthRandom
import DPSynthTabular
import Foundation

/// `dpsynth fit`: trains a GAN or AC-GAN on a table with the discriminator under DP-SGD and
/// writes one model file holding the generator and the privacy record.
struct FitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit",
        abstract: "Train a differentially private generator on a table.",
        discussion: """
        --epsilon/--delta is the TOTAL budget of the release: the schema spend (--schema-epsilon), \
        the label marginal of an AC-GAN and DP-SGD are composed by the accountant, σ is calibrated \
        for the planned steps, and training never takes more. The number of records is treated as \
        public (it sets the sampling probability). See docs/privacy.md.
        """)

    @Argument(help: "Training data: a CSV file, or sqlite:PATH with --table or --query.")
    var data: String

    @Option(help: "Schema file (JSON, see Schemas/).")
    var schema: String

    @OptionGroup var selection: TableSelectionOptions

    @Option(help: "Model: gan or acgan (conditional on the label column).")
    var model: ModelKind = .acgan

    @Option(help: "Label column (overrides the schema's label role).")
    var label: String?

    @Option(help: "Total privacy budget ε (schema spend included).")
    var epsilon: Double?

    @Option(help: "δ of the guarantee, below 1/records (default: 1e-5, or a power of ten at most 1/(10·records) for larger tables).")
    var delta: Double?

    @Option(help: "Part of --epsilon spent making data-derived schema bounds and categories private.")
    var schemaEpsilon: Double?

    @Flag(help: "Accept the schema's data-derived bounds and categories as public (the record says so).")
    var acceptDataBounds = false

    @Flag(help: "Train without differential privacy (ε = ∞). For comparison only.")
    var noPrivacy = false

    @Option(help: "Accountant for ε: rdp or pld.")
    var accountant: AccountantKind = .rdp

    @Option(help: "Epochs (expected passes over the data; default 40 under DP, 80 with --no-privacy).")
    var epochs: Int?

    @Option(help: "Expected batch size (sampling probability = batch size / records).")
    var batchSize: Int?

    @Option(help: "Per-example clipping norm C.")
    var clippingNorm: Float?

    @Option(help: "Share of the budget released as the marginals the generator matches (default 0.5; the rest, less the label counts' 0.1, goes to DP-SGD).")
    var marginalShare: Double?

    @Option(help: "Hold this fraction of rows out of training (the same rows `audit --holdout-fraction` uses).")
    var holdoutFraction: Double?

    @Option(help: "Seed: reproducible run, NOT cryptographically secure noise (the record says so).")
    var seed: UInt64?

    @Option(help: "Budget ledger database (default: ~/.local/share/dpsynth/ledger.sqlite).")
    var ledger: String?

    @Flag(help: "Do not record the release in the ledger.")
    var noLedger = false

    @Option(help: "Worker threads for OpenBLAS (default: DPSYNTH_THREADS or the cores).")
    var threads: Int?

    @Flag(help: "Replace an existing model file.")
    var force = false

    @Option(name: .shortAndLong, help: "Model file to write.")
    var output: String

    func validate() throws {
        if noPrivacy {
            if epsilon != nil || schemaEpsilon != nil {
                throw ValidationError("--no-privacy cannot be combined with --epsilon or --schema-epsilon")
            }
        } else {
            guard let epsilon else { throw ValidationError("give a privacy budget with --epsilon (and --delta), or --no-privacy") }
            guard epsilon.isFinite, epsilon > 0 else { throw ValidationError("--epsilon must be a positive number, found \(epsilon)") }
            if let schemaEpsilon, !(schemaEpsilon > 0 && schemaEpsilon < epsilon) {
                throw ValidationError("--schema-epsilon must lie in (0, --epsilon = \(epsilon)), found \(schemaEpsilon)")
            }
            if schemaEpsilon != nil && acceptDataBounds {
                throw ValidationError("choose one: --schema-epsilon (pay for data-derived bounds) or --accept-data-bounds (declare them public)")
            }
        }
        if let delta, !(delta > 0 && delta < 1) { throw ValidationError("--delta must lie in (0, 1), found \(delta)") }
        if let epochs, epochs < 1 { throw ValidationError("--epochs must be at least 1, found \(epochs)") }
        if let batchSize, batchSize < 1 { throw ValidationError("--batch-size must be at least 1, found \(batchSize)") }
        if let clippingNorm, !(clippingNorm > 0) { throw ValidationError("--clipping-norm must be positive, found \(clippingNorm)") }
        if let marginalShare, !(marginalShare > 0 && marginalShare < 0.9) {
            throw ValidationError("--marginal-share must lie in (0, 0.9) (the label counts take 0.1 and DP-SGD the rest), found \(marginalShare)")
        }
        if let holdoutFraction, !(holdoutFraction > 0 && holdoutFraction < 1) {
            throw ValidationError("--holdout-fraction must lie in (0, 1), found \(holdoutFraction)")
        }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, found \(threads)") }
    }

    func run() throws {
        if let threads { Engine.threadCount = threads } else { Engine.applyEnvironmentThreadCount() }
        let outputURL = URL(fileURLWithPath: output)
        if !force && FileManager.default.fileExists(atPath: outputURL.path) {
            throw ValidationError("\(output) exists; pass --force to replace it")
        }
        // Before any privacy is spent: a model that cannot be written is a spend with nothing to show.
        try AtomicFile.checkWritable(outputURL, overwrite: force)
        let reporter = ProgressReporter()
        let fit = try FitRun(command: self)
        let trained = try fit.train(reporter: reporter)
        try trained.model.write(to: outputURL, toolVersion: DPSynthVersion.string, overwrite: true)
        print(FitRun.summary(of: trained.model, output: output, stoppedEarly: trained.interrupted))
    }
}

extension ModelKind: ExpressibleByArgument {}


/// One `fit`, from reading the data to the trained model; shared by `fit` and `demo`.
struct FitRun {
    let source: DataSource
    let table: Table
    let schema: Schema
    let configuration: TabularGANConfiguration
    let privacy: TrainingPrivacy
    let randomness: TrainingRandomness
    let ledger: BudgetLedger?
    let fingerprint: DatasetFingerprint
    let outputLabel: String

    struct Result {
        var model: TrainedModel
        var interrupted: Bool
    }

    init(command: FitCommand) throws {
        var configuration = TabularGANConfiguration()
        configuration.modelKind = command.model
        if let epochs = command.epochs { configuration.epochs = epochs }
        if let batchSize = command.batchSize { configuration.expectedBatchSize = batchSize }
        if let clippingNorm = command.clippingNorm { configuration.clippingNorm = clippingNorm }
        if let marginalShare = command.marginalShare { configuration.marginalBudgetShare = marginalShare }
        try self.init(data: command.data, schemaPath: command.schema, table: command.selection.table, query: command.selection.query,
                      label: command.label, configuration: configuration,
                      epsilon: command.noPrivacy ? nil : command.epsilon, delta: command.delta,
                      schemaEpsilon: command.schemaEpsilon, acceptDataBounds: command.acceptDataBounds,
                      accountant: command.accountant, holdoutFraction: command.holdoutFraction, seed: command.seed,
                      ledgerPath: command.noLedger ? nil : (command.ledger ?? BudgetLedger.defaultURL().path),
                      outputLabel: command.output)
    }

    init(data: String, schemaPath: String, table tableName: String?, query: String?, label: String?,
         configuration: TabularGANConfiguration, epsilon: Double?, delta requestedDelta: Double?, schemaEpsilon: Double?,
         acceptDataBounds: Bool, accountant: AccountantKind, holdoutFraction: Double?, seed: UInt64?,
         ledgerPath: String?, outputLabel: String) throws {
        var schema = try loadSchema(schemaPath)
        if let label {
            guard let index = schema.columnIndex(named: label) else {
                throw ValidationError("--label \(label): no such column in \(schemaPath) (columns: \(schema.columns.map(\.name).joined(separator: ", ")))")
            }
            for i in schema.columns.indices where schema.columns[i].role == .label { schema.columns[i].role = .feature }
            schema.columns[index].role = .label
        }
        if configuration.modelKind == .acgan && schema.labelColumnIndex == nil {
            throw ValidationError("an AC-GAN needs a label column: mark one with \"role\": \"label\" in \(schemaPath) or pass --label COL (or use --model gan: an unconditional GAN, whose audit has no prediction-utility section)")
        }
        source = try DataSource(specification: data, table: tableName, query: query)
        var table = try Table.read(source, schema: schema, threadCount: Engine.threadCount)
        if let holdoutFraction { table = table.split(holdoutFraction: holdoutFraction).train }
        fingerprint = try DatasetFingerprint(contentsOf: dataFileURL(source))
        randomness = seed.map { .seeded($0) } ?? .secure
        self.configuration = configuration
        self.outputLabel = outputLabel

        let delta = try resolvedDelta(requestedDelta, records: table.rowCount, isPrivate: epsilon != nil)
        var schemaSpend = SchemaSpend()
        var boundsSource = PrivacyRecord.SchemaBoundsSource.declaredPublic
        var acceptedColumns: [String] = []
        if let epsilon {
            let items = schema.dataDerivedItems
            if !items.isEmpty {
                if acceptDataBounds {
                    acceptedColumns = Array(Set(items.map(\.column))).sorted()
                    schema = schema.acceptingDataDerivedValuesAsPublic()
                    boundsSource = .acceptedDataBounds
                } else if let schemaEpsilon {
                    let random: RandomSource = try seed.map { SeededGenerator(seed: $0 ^ 0x5C4E_3A11) } ?? SecureGenerator()
                    (schema, schemaSpend) = try SchemaPrivatizer.privatize(schema, table: table, epsilon: schemaEpsilon, random: random)
                    boundsSource = .paidFor
                } else {
                    throw ValidationError("""
                    the schema holds values read off the private data, which a DP release must not leak:
                      \(items.map(\.description).joined(separator: "\n  "))
                    Declare them public in the schema if they are known a priori, pass --accept-data-bounds \
                    to accept them as public (the record and the audit will say so), or pass --schema-epsilon E \
                    to make them private with part of the budget.
                    """)
                }
                // Re-read so the rows are typed by the final schema (bounds, categories).
                table = try Table.read(source, schema: schema, threadCount: Engine.threadCount)
                if let holdoutFraction { table = table.split(holdoutFraction: holdoutFraction).train }
            }
            privacy = .differentiallyPrivate(PrivacyBudget(
                epsilon: epsilon, delta: delta, accountant: accountant, schemaEpsilon: schemaSpend.totalEpsilon,
                schemaDelta: schemaSpend.totalDelta, schemaBounds: boundsSource, acceptedDataBoundColumns: acceptedColumns))
        } else {
            privacy = .noPrivacy
        }
        self.schema = schema
        self.table = table
        ledger = try epsilon == nil ? nil : ledgerPath.map { try BudgetLedger(url: URL(fileURLWithPath: $0)) }
    }

    /// Trains, showing progress; Ctrl-C stops after the current step with a valid checkpoint.
    func train(reporter: ProgressReporter) throws -> Result {
        let encoder = try TableEncoder(schema: schema)
        let (matrix, report) = try encoder.encode(table)
        for (index, name) in report.columnNames.enumerated() where report.clippedBelow[index] + report.clippedAbove[index] > 0 {
            reporter.message("note: column '\(name)': \(report.clippedBelow[index]) values below and \(report.clippedAbove[index]) above the schema bounds were clipped")
        }
        for note in unknownCategoryNotes(columnNames: report.columnNames, counts: report.unknownCategoriesReadAsMissing) {
            reporter.message(note)
        }
        let trainer = try TabularGANTrainer(configuration: configuration, encoder: encoder, data: matrix,
                                            privacy: privacy, randomness: randomness)
        var reservation: LedgerReservation?
        if let ledger, let plan = trainer.plan {
            // Check the budget and reserve the planned spend in one transaction, before any
            // training step: a second fit of this dataset started meanwhile sees this one's plan.
            reservation = try ledger.reserve(try ledgerRelease(plan: plan, trainer: trainer, steps: trainer.plannedSteps),
                                             accountant: plan.budget.accountant)
        }
        if case .seeded = randomness {
            reporter.message("warning: --seed makes the DP noise reproducible and NOT cryptographically secure; use it for tests only")
        }
        if case .noPrivacy = privacy {
            reporter.message("warning: --no-privacy: this model has NO differential privacy guarantee (ε = ∞)")
        } else if let plan = trainer.plan {
            reporter.message(String(format: "privacy: ε = %g, δ = %g, q = %.4f, σ = %.4f, C = %g, %d steps planned",
                                    plan.budget.epsilon, plan.budget.delta, plan.samplingProbability,
                                    plan.noiseMultiplier, Double(configuration.clippingNorm), trainer.plannedSteps))
        }
        reporter.beginTraining(steps: trainer.plannedSteps)
        Interruption.install()
        let model: TrainedModel
        do {
            model = try trainer.train(progress: { progress in
                let fields: KeyValuePairs<String, Double> = ["D": progress.discriminatorLoss, "G": progress.generatorLoss, "ε": progress.epsilon]
                if progress.isEpochEnd {
                    reporter.epochFinished(progress.epoch, step: progress.step, fields: fields)
                } else {
                    reporter.step(progress.step, epoch: progress.epoch, fields: fields)
                }
            }, shouldStop: { Interruption.isRequested })
        } catch {
            // A step that failed may have read its batch: settle for the steps taken and that one.
            if let ledger, let plan = trainer.plan, let reservation {
                try? ledger.settle(reservation, with: ledgerRelease(plan: plan, trainer: trainer,
                                                                    steps: min(trainer.stepsTaken + 1, trainer.plannedSteps)))
            }
            throw error
        }
        if Interruption.isRequested {
            reporter.message("interrupted: writing a checkpoint after \(trainer.stepsTaken) of \(trainer.plannedSteps) steps; its record states the privacy spent so far")
        }
        if let ledger, let plan = trainer.plan, let reservation {
            // Replace the reservation by what was spent (fewer steps after Ctrl-C), before the model
            // is written: the spend has happened whether or not the file is.
            try ledger.settle(reservation, with: ledgerRelease(plan: plan, trainer: trainer, steps: model.privacy.steps))
        }
        return Result(model: model, interrupted: Interruption.isRequested)
    }

    /// The ledger's view of this run after `steps` discriminator steps: the planned release when
    /// `steps` is the plan, the actual one once training has ended.
    private func ledgerRelease(plan: PrivacyPlan, trainer: TabularGANTrainer, steps: Int) throws -> LedgerRelease {
        try LedgerRelease(
            dataset: fingerprint, label: outputLabel, event: plan.trainingEvent(afterSteps: steps),
            training: DPSGDPrivacyFacts(samplingProbability: plan.samplingProbability, noiseMultiplier: plan.noiseMultiplier,
                                        steps: steps, noiseIsCryptographicallySecure: trainer.usesSecureRandomness),
            clippingNorm: Double(configuration.clippingNorm),
            schemaEpsilon: plan.budget.schemaEpsilon, schemaDelta: plan.budget.schemaDelta, delta: plan.budget.delta,
            accountants: [plan.budget.accountant])
    }

    /// The lines `fit` and `demo` print when a model is written.
    static func summary(of model: TrainedModel, output: String, stoppedEarly: Bool) -> String {
        let record = model.privacy
        var lines = ["wrote \(output)\(stoppedEarly ? " (checkpoint: training was interrupted)" : "")"]
        if record.isPrivate {
            lines.append(String(format: "privacy: (ε = %.4g, δ = %g) by the %@ accountant after %d of %d steps; q = %.4f, σ = %.4f, C = %g; schema ε = %g",
                                record.epsilon, record.delta, record.accountant.uppercased(), record.steps, record.plannedSteps,
                                record.samplingProbability, record.noiseMultiplier, record.clippingNorm, record.schemaEpsilon))
            if !record.secureRandomness { lines.append("warning: seeded run — noise was not cryptographically secure") }
            if let marginal = model.labelMarginal, let warning = noisyLabelCountsWarning(marginal) { lines.append(warning) }
        } else {
            lines.append("privacy: none (ε = ∞) — trained with --no-privacy")
        }
        return lines.joined(separator: "\n")
    }
}

/// A warning when an AC-GAN's released label counts are mostly noise: a class whose released
/// count is under three noise standard deviations gets a share in samples that says little
/// about the data (tiny tables, small ε). Reads released numbers only.
func noisyLabelCountsWarning(_ marginal: LabelMarginal) -> String? {
    guard let sigma = marginal.noiseMultiplier else { return nil }
    let weak = zip(marginal.classNames, marginal.counts).filter { $0.1 < 3 * sigma }
    guard !weak.isEmpty else { return nil }
    let names = weak.map { "'\($0.0)' (\(Int($0.1.rounded())))" }.joined(separator: ", ")
    return "warning: the label counts were released with noise σ = \(String(format: "%.1f", sigma)); released counts under 3σ: \(names). "
        + "Their classes' shares in samples are mostly noise: give sample --label-counts or --label-proportions from a public source, or use a larger ε"
}

/// The δ of a fit: the one asked for, refused when it is at least 1/records ((0, 1/n)-DP allows
/// publishing one whole record picked at random), or without one the suggested δ. The row
/// count is public here, as it is to the accountant (q = batch / rows).
func resolvedDelta(_ requested: Double?, records: Int, isPrivate: Bool) throws -> Double {
    guard let requested else { return suggestedDelta(records: records) }
    if isPrivate, requested * Double(records) >= 1 {
        throw ValidationError("--delta \(requested) is at least 1/records (1/\(records) training records): a release that publishes one whole record at random meets such a guarantee. Give δ well below 1/\(records), such as \(String(format: "%g", suggestedDelta(records: records)))")
    }
    return requested
}

/// A δ for `records` records: 1e-5, or a power of ten at most 1/(10·records) when that is smaller.
func suggestedDelta(records: Int) -> Double {
    min(1e-5, pow(10, (-log10(Double(max(records, 1)) * 10)).rounded(.down)))
}
