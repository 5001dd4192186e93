import ArgumentParser
import Foundation
import XCTest
@testable import dpsynth

/// `dpsynth privacy …`: parsing, validation messages, and output, through the command types; plus
/// the built binary's exit status for a bad argument.
final class PrivacyCLITests: XCTestCase {
    private func command<C: ParsableCommand>(_ arguments: [String], as type: C.Type) throws -> C {
        let parsed = try DPSynthCommand.parseAsRoot(arguments)
        guard let command = parsed as? C else {
            XCTFail("\(arguments) parsed as \(Swift.type(of: parsed))")
            throw CocoaError(.featureUnsupported)
        }
        return command
    }

    private func jsonObject(_ text: String) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return try XCTUnwrap(object as? [String: Any], text)
    }

    func testEpsilonJSONHasTheDocumentedKeys() throws {
        let epsilon = try command(["privacy", "epsilon", "--sampling-rate", "0.01", "--noise-multiplier", "1.0",
                                   "--steps", "1000", "--delta", "1e-5", "--json"], as: PrivacyEpsilonCommand.self)
        let object = try jsonObject(try epsilon.output())
        // rdp_orders.csv: q = 0.01, σ = 1, 1000 steps, δ = 1e-5 → ε = 2.101366525420273
        XCTAssertEqual(try XCTUnwrap(object["epsilon"] as? Double), 2.101366525420273, accuracy: 1e-9)
        XCTAssertEqual(object["delta"] as? Double, 1e-5)
        XCTAssertEqual(object["accountant"] as? String, "rdp")
        XCTAssertNotNil(object["order"] as? Double)
        XCTAssertEqual(object["order_at_edge"] as? Bool, false)
    }

    func testEpsilonWithPLDIsTighter() throws {
        let arguments = ["privacy", "epsilon", "--sampling-rate", "0.01", "--noise-multiplier", "1.1",
                         "--steps", "600", "--delta", "1e-5", "--json"]
        let rdp = try jsonObject(try command(arguments, as: PrivacyEpsilonCommand.self).output())
        let pld = try jsonObject(try command(arguments + ["--accountant", "pld"], as: PrivacyEpsilonCommand.self).output())
        XCTAssertEqual(pld["accountant"] as? String, "pld")
        XCTAssertNil(pld["order"])
        XCTAssertLessThan(try XCTUnwrap(pld["epsilon"] as? Double), try XCTUnwrap(rdp["epsilon"] as? Double))
    }

    func testEpsilonSentence() throws {
        let text = try command(["privacy", "epsilon", "--sampling-rate", "0.01", "--noise-multiplier", "1.0",
                                "--steps", "1000", "--delta", "1e-5"], as: PrivacyEpsilonCommand.self).output()
        XCTAssertEqual(text, "ε = 2.10137 at δ = 1e-05 (RDP, optimal order α = 7.8)")
    }

    func testNoiseMatchesCalibrationReference() throws {
        // rdp_sigma_for_eps.csv: target 1.0, δ = 1e-5, q = 0.01, 1000 steps → σ ≈ 1.513132
        let noise = try command(["privacy", "noise", "--epsilon", "1", "--delta", "1e-5", "--sampling-rate", "0.01",
                                 "--steps", "1000", "--json"], as: PrivacyNoiseCommand.self)
        let object = try jsonObject(try noise.output())
        XCTAssertEqual(try XCTUnwrap(object["noise_multiplier"] as? Double), 1.513131986689706, accuracy: 1.5e-4)
        XCTAssertLessThanOrEqual(try XCTUnwrap(object["epsilon"] as? Double), 1)
    }

    func testStepsIsTheLargestWithinTarget() throws {
        let steps = try command(["privacy", "steps", "--epsilon", "2", "--delta", "1e-5", "--sampling-rate", "0.01",
                                 "--noise-multiplier", "1", "--json"], as: PrivacyStepsCommand.self)
        let object = try jsonObject(try steps.output())
        let count = try XCTUnwrap(object["steps"] as? Int)
        XCTAssertLessThanOrEqual(try XCTUnwrap(object["epsilon"] as? Double), 2)
        let next = try command(["privacy", "epsilon", "--sampling-rate", "0.01", "--noise-multiplier", "1",
                                "--steps", "\(count + 1)", "--delta", "1e-5", "--json"], as: PrivacyEpsilonCommand.self)
        XCTAssertGreaterThan(try XCTUnwrap(try jsonObject(next.output())["epsilon"] as? Double), 2)
    }

    /// Golden one-line messages naming the value found.
    func testInvalidArgumentsGiveOneLineErrors() {
        let cases: [([String], String)] = [
            (["privacy", "epsilon", "--sampling-rate", "1.5", "--noise-multiplier", "1", "--steps", "10", "--delta", "1e-5"],
             "Error: --sampling-rate must be in [0, 1], found 1.5"),
            (["privacy", "epsilon", "--sampling-rate", "0.1", "--noise-multiplier", "1", "--steps", "10", "--delta", "0"],
             "Error: --delta must be in (0, 1), found 0.0"),
            (["privacy", "epsilon", "--sampling-rate", "0.1", "--noise-multiplier", "1", "--steps", "10", "--delta", "1"],
             "Error: --delta must be in (0, 1), found 1.0"),
            (["privacy", "epsilon", "--sampling-rate", "0.1", "--noise-multiplier=-2", "--steps", "10", "--delta", "1e-5"],
             "Error: --noise-multiplier must be a finite number ≥ 0, found -2.0"),
            (["privacy", "epsilon", "--sampling-rate", "0.1", "--noise-multiplier", "1", "--steps=-5", "--delta", "1e-5"],
             "Error: --steps must be ≥ 0, found -5"),
            (["privacy", "noise", "--epsilon=-1", "--sampling-rate", "0.1", "--steps", "5", "--delta", "1e-5"],
             "Error: --epsilon must be a finite number > 0, found -1.0"),
            (["privacy", "steps", "--epsilon", "1", "--sampling-rate", "0.1", "--noise-multiplier", "1", "--delta", "1e-5",
              "--accountant", "gdp"],
             "Error: The value 'gdp' is invalid for '--accountant <accountant>'. Please provide one of 'rdp' and 'pld'."),
        ]
        for (arguments, expected) in cases {
            XCTAssertThrowsError(try DPSynthCommand.parseAsRoot(arguments), "\(arguments)") { error in
                let message = DPSynthCommand.fullMessage(for: error)
                // Our range checks print one line; ArgumentParser's own parse errors add usage lines.
                XCTAssertEqual(message.split(separator: "\n").first.map(String.init), expected)
                if !arguments.contains("gdp") { XCTAssertFalse(message.contains("\n"), message) }
                XCTAssertNotEqual(DPSynthCommand.exitCode(for: error), .success)
            }
        }
    }

    /// The help text is part of the interface: golden.
    func testEpsilonHelpIsGolden() {
        XCTAssertEqual(PrivacyEpsilonCommand.helpMessage(for: PrivacyEpsilonCommand.self, columns: 100), """
            OVERVIEW: ε of DP-SGD after a number of steps.

            USAGE: epsilon --delta <delta> --sampling-rate <sampling-rate> [--accountant <accountant>] [--json] --noise-multiplier <noise-multiplier> --steps <steps>

            OPTIONS:
              --delta <delta>         Target δ, in (0, 1).
              --sampling-rate <sampling-rate>
                                      Probability that a record is in a step's Poisson sample, in [0, 1].
              --accountant <accountant>
                                      Accountant: rdp (Rényi DP, dp_accounting's orders) or pld (privacy loss
                                      distributions, tighter, slower). (values: rdp, pld; default: rdp)
              --json                  Print a JSON object instead of a sentence.
              --noise-multiplier <noise-multiplier>
                                      Noise standard deviation divided by the clipping norm, ≥ 0.
              --steps <steps>         Number of DP-SGD steps, ≥ 0.
              -h, --help              Show help information.

            """)
    }

    /// The built binary exits non-zero with the one-line message on stderr.
    func testBinaryExitsNonZeroOnBadArgument() throws {
        let binary = try CLIBinary.url()
        let process = Process()
        process.executableURL = binary
        process.arguments = ["privacy", "epsilon", "--sampling-rate", "2", "--noise-multiplier", "1",
                             "--steps", "10", "--delta", "1e-5"]
        let errorPipe = Pipe()
        process.standardError = errorPipe
        process.standardOutput = Pipe()
        try process.run()
        process.waitUntilExit()
        let message = String(decoding: errorPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertNotEqual(process.terminationStatus, 0)
        XCTAssertEqual(message, "Error: --sampling-rate must be in [0, 1], found 2.0\n")
    }
}

/// Finds the `dpsynth` binary built beside the test bundle (`.build/<configuration>/`).
enum CLIBinary {
    static func url() throws -> URL {
        var candidates: [URL] = []
        if let executable = Bundle.main.executableURL { candidates.append(executable.deletingLastPathComponent()) }
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent())
        candidates.append(Bundle.main.bundleURL)
        for directory in candidates {
            var current = directory
            for _ in 0..<4 {
                let candidate = current.appendingPathComponent("dpsynth")
                if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
                current = current.deletingLastPathComponent()
            }
        }
        XCTFail("dpsynth binary not found near \(candidates.map(\.path)); build with --build-tests")
        throw CocoaError(.fileNoSuchFile)
    }
}
