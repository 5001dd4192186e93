import ArgumentParser
import DPSynthAccounting
import Foundation

/// `dpsynth privacy`: the accountants from the command line, for planning a training run.
struct PrivacyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "privacy",
        abstract: "Compute ε, the noise multiplier, or the number of steps of DP-SGD.",
        discussion: """
            DP-SGD with Poisson sampling (each record in a step with probability --sampling-rate), \
            Gaussian noise of standard deviation --noise-multiplier × the clipping norm, add/remove-one \
            adjacency. See docs/privacy.md.
            """,
        subcommands: [PrivacyEpsilonCommand.self, PrivacyNoiseCommand.self, PrivacyStepsCommand.self])
}

/// Options every `privacy` subcommand shares.
struct PrivacyCommonOptions: ParsableArguments {
    @Option(help: "Target δ, in (0, 1).")
    var delta: Double

    @Option(help: "Probability that a record is in a step's Poisson sample, in [0, 1].")
    var samplingRate: Double

    @Option(help: "Accountant: rdp (Rényi DP, dp_accounting's orders) or pld (privacy loss distributions, tighter, slower).")
    var accountant: AccountantKind = .rdp

    @Flag(help: "Print a JSON object instead of a sentence.")
    var json = false

    func validate() throws {
        guard delta > 0, delta < 1 else { throw InvalidArgument("--delta must be in (0, 1), found \(delta)") }
        guard samplingRate >= 0, samplingRate <= 1 else {
            throw InvalidArgument("--sampling-rate must be in [0, 1], found \(samplingRate)")
        }
    }
}

extension AccountantKind: ExpressibleByArgument {}

/// A flag value out of range, thrown from `validate()`. Not a `ValidationError`, so ArgumentParser
/// prints exactly one line ("Error: --delta must be in (0, 1), found 2.0") and exits with 1.
struct InvalidArgument: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Shared checks of the remaining flags, so every subcommand words them the same way.
enum PrivacyArgumentCheck {
    static func noiseMultiplier(_ sigma: Double) throws {
        guard sigma >= 0, sigma.isFinite else {
            throw InvalidArgument("--noise-multiplier must be a finite number ≥ 0, found \(sigma)")
        }
    }

    static func steps(_ steps: Int) throws {
        guard steps >= 0 else { throw InvalidArgument("--steps must be ≥ 0, found \(steps)") }
    }

    static func targetEpsilon(_ epsilon: Double) throws {
        guard epsilon > 0, epsilon.isFinite else {
            throw InvalidArgument("--epsilon must be a finite number > 0, found \(epsilon)")
        }
    }
}

/// One line of JSON with keys in a fixed order; numbers as JSON numbers (∞ as null).
struct JSONObject {
    private var fields: [(String, String)] = []

    mutating func set(_ key: String, _ value: Double) {
        fields.append((key, value.isFinite ? "\(value)" : "null"))
    }

    mutating func set(_ key: String, _ value: Int) { fields.append((key, "\(value)")) }
    mutating func set(_ key: String, _ value: Bool) { fields.append((key, value ? "true" : "false")) }

    mutating func set(_ key: String, _ value: String) {
        let data = (try? JSONEncoder().encode(value)) ?? Data("\"\"".utf8)
        fields.append((key, String(decoding: data, as: UTF8.self)))
    }

    var text: String { "{" + fields.map { "\"\($0)\": \($1)" }.joined(separator: ", ") + "}" }
}

/// Numbers in sentences: enough digits to compare with papers, no float noise.
func formatted(_ value: Double) -> String {
    value.isFinite ? String(format: "%.6g", value) : "∞"
}
