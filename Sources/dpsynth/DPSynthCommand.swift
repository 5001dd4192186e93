import ArgumentParser

/// The `dpsynth` command line: train a differentially private generator on a table,
/// release a synthetic copy, and audit what was spent and what was kept.
@main
struct DPSynthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dpsynth",
        abstract: "Differentially private synthetic data: fit, sample, audit.",
        version: DPSynthVersion.string,
        subcommands: [
            FitCommand.self,
            SampleCommand.self,
            InspectCommand.self,
            AuditCommand.self,
            DemoCommand.self,
            BenchCommand.self,
            PrivacyCommand.self,
            LedgerCommand.self,
            SchemaCommand.self,
        ]
    )
}

enum DPSynthVersion {
    static let string = "0.1.0"
}
