import ArgumentParser
import DPSynthModels
import DPSynthRandom
import DPSynthTabular
import Foundation

/// `dpsynth demo`: the README's first command. Trains a DP AC-GAN on the bundled breast-cancer
/// trial data at ε = 1, δ = 1e-5 (20% of the rows held out), samples a synthetic copy and audits
/// it, all under one directory.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Train a DP AC-GAN on the bundled example at ε = 1, sample it and audit it.")

    @Option(help: "Directory for the model, the synthetic data and the audit.")
    var output: String = "dpsynth-demo"

    @Option(help: "Total privacy budget ε.")
    var epsilon: Double = 1

    @Option(help: "δ of the guarantee.")
    var delta: Double = 1e-5

    @Option(help: "Example data (default: Examples/gbsg2.csv beside the executable's repository).")
    var data: String?

    @Option(help: "Schema of the example data (default: Schemas/gbsg2.json).")
    var schema: String?

    @Option(help: "Seed: reproducible demo with NOT cryptographically secure noise.")
    var seed: UInt64?

    func validate() throws {
        guard epsilon.isFinite, epsilon > 0 else { throw ValidationError("--epsilon must be a positive number, found \(epsilon)") }
        guard delta > 0, delta < 1 else { throw ValidationError("--delta must lie in (0, 1), found \(delta)") }
    }

    func run() throws {
        let dataPath = try data ?? Self.bundled("Examples/gbsg2.csv")
        let schemaPath = try schema ?? Self.bundled("Schemas/gbsg2.json")
        let directory = URL(fileURLWithPath: output, isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let modelPath = directory.appendingPathComponent("model.dpsynth").path
        let syntheticPath = directory.appendingPathComponent("synthetic.csv").path
        let auditPath = directory.appendingPathComponent("audit").path
        // The demo keeps its own ledger so that running it twice does not eat a real budget.
        let ledgerPath = directory.appendingPathComponent("ledger.sqlite").path
        let holdoutFraction = 0.2

        let reporter = ProgressReporter()
        reporter.message("1/3 fit: DP AC-GAN on \(dataPath) (80% of rows; 20% held out for the audit), ε = \(epsilon), δ = \(delta)")
        let fit = try FitRun(data: dataPath, schemaPath: schemaPath, table: nil, query: nil, label: nil,
                             configuration: TabularGANConfiguration(), epsilon: epsilon, delta: delta, schemaEpsilon: nil,
                             acceptDataBounds: false, accountant: .rdp, holdoutFraction: holdoutFraction, seed: seed,
                             ledgerPath: ledgerPath, outputLabel: modelPath)
        let trained = try fit.train(reporter: reporter)
        try trained.model.write(to: URL(fileURLWithPath: modelPath), toolVersion: DPSynthVersion.string, overwrite: true)

        reporter.message("2/3 sample: \(fit.table.rowCount) synthetic rows")
        let random: RandomSource = try seed.map { SeededGenerator(seed: $0 &+ 1) } ?? SecureGenerator()
        _ = try SampleCommand.write(trained.model, rows: fit.table.rowCount, labels: .marginal, random: random,
                                    to: .csv(URL(fileURLWithPath: syntheticPath)), overwrite: true)

        reporter.message("3/3 audit: utility and risk against the real rows and the holdout")
        let report = try AuditRun(realSpecification: dataPath, syntheticSpecification: syntheticPath, schemaPath: schemaPath,
                                  holdoutFraction: holdoutFraction, modelPath: modelPath, ledgerPath: ledgerPath).report()
        let files = try report.write(to: URL(fileURLWithPath: auditPath, isDirectory: true))

        print(FitRun.summary(of: trained.model, output: modelPath, stoppedEarly: trained.interrupted))
        print("wrote \(syntheticPath)")
        print(report.textSummary)
        print("open \(files.html.path) in a browser for the full audit")
    }

    /// A file shipped in the repository, found from the working directory or beside the
    /// executable (.build/<configuration>/dpsynth → repository root).
    static func bundled(_ relativePath: String) throws -> String {
        var candidates = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath)]
        var executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(executable)
            executable = executable.deletingLastPathComponent()
        }
        for base in candidates {
            let url = base.appendingPathComponent(relativePath)
            if FileManager.default.fileExists(atPath: url.path) { return url.path }
        }
        throw ValidationError("cannot find the bundled \(relativePath); run from the repository root or pass --data and --schema")
    }
}
