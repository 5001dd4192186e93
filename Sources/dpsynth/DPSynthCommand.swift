import ArgumentParser
import Foundation

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

    /// Parses and runs as ArgumentParser's `main` does, except for a `ValidationError` thrown
    /// while a command runs (a refusal found after reading the data, the schema or the model):
    /// it prints its message alone, because the usage text ArgumentParser appends there is the
    /// root command's ("Usage: dpsynth <subcommand>"), which tells the user nothing.
    static func main() {
        var command: ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exit(withError: error)
        }
        do {
            try command.run()
        } catch {
            guard error is ValidationError else { exit(withError: error) }
            FileHandle.standardError.write(Data((runFailureText(for: error) + "\n").utf8))
            Foundation.exit(exitCode(for: error).rawValue)
        }
    }

    /// What `main` prints when `run()` throws a `ValidationError`: the message, no usage.
    static func runFailureText(for error: Error) -> String {
        "Error: \(message(for: error))"
    }
}

enum DPSynthVersion {
    static let string = "0.1.0"
}
