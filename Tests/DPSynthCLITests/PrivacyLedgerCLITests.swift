import ArgumentParser
@testable import DPSynthPrivacy
import Foundation
import XCTest
@testable import dpsynth

/// `dpsynth ledger set-budget` and `ledger show` on a temporary ledger.
final class PrivacyLedgerCLITests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("dpsynth-ledger-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    func testSetBudgetThenShowByFileAndFingerprint() throws {
        let data = directory.appendingPathComponent("patients.csv")
        try Data("age,stage\n51,2\n64,3\n".utf8).write(to: data)
        let ledgerPath = directory.appendingPathComponent("nested/ledger.sqlite").path
        let fingerprint = try DatasetFingerprint(contentsOf: data)

        let setBudget = try XCTUnwrap(try DPSynthCommand.parseAsRoot(
            ["ledger", "set-budget", data.path, "--epsilon", "4", "--delta", "1e-5", "--ledger", ledgerPath]) as? LedgerSetBudgetCommand)
        XCTAssertEqual(try setBudget.output(),
                       "budget of dataset \(fingerprint): ε = 4 at δ = 1e-05; spent so far ε = 0 over 0 release(s)")

        let ledger = try BudgetLedger(url: URL(fileURLWithPath: ledgerPath))
        let training = DPSGDPrivacyFacts(samplingProbability: 0.01, noiseMultiplier: 1.1, steps: 1000, noiseIsCryptographicallySecure: true)
        try ledger.record(try .dpsgd(dataset: fingerprint, label: "model-a", training: training, clippingNorm: 1, schemaEpsilon: 0.1, delta: 1e-5))

        let show = try XCTUnwrap(try DPSynthCommand.parseAsRoot(
            ["ledger", "show", "--dataset", fingerprint.hexDigest, "--json", "--ledger", ledgerPath]) as? LedgerShowCommand)
        let array = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(try show.output().utf8)) as? [[String: Any]])
        XCTAssertEqual(array.count, 1)
        let report = try XCTUnwrap(array.first)
        XCTAssertEqual(report["fingerprint"] as? String, fingerprint.hexDigest)
        let budget = try XCTUnwrap(report["budget"] as? [String: Any])
        XCTAssertEqual(budget["epsilon"] as? Double, 4)
        let spent = try XCTUnwrap(report["spent"] as? [String: Any])
        let expected = try ledger.spending(for: fingerprint)
        XCTAssertEqual(try XCTUnwrap(spent["epsilon"] as? Double), expected.epsilon, accuracy: 1e-12)
        XCTAssertEqual(spent["release_count"] as? Int, 1)
        XCTAssertEqual(spent["accountant"] as? String, "rdp")
        let releases = try XCTUnwrap(report["releases"] as? [[String: Any]])
        XCTAssertEqual(releases.first?["label"] as? String, "model-a")
        XCTAssertEqual(releases.first?["steps"] as? Int, 1000)
        XCTAssertEqual(releases.first?["schema_epsilon"] as? Double, 0.1)

        let pldShow = try XCTUnwrap(try DPSynthCommand.parseAsRoot(
            ["ledger", "show", "--json", "--accountant", "pld", "--ledger", ledgerPath]) as? LedgerShowCommand)
        let pldReport = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(try pldShow.output().utf8)) as? [[String: Any]])?.first)
        let pldSpent = try XCTUnwrap(pldReport["spent"] as? [String: Any])
        XCTAssertEqual(pldSpent["accountant"] as? String, "pld")
        XCTAssertNil(pldSpent["order"])
        XCTAssertLessThan(try XCTUnwrap(pldSpent["epsilon"] as? Double), expected.epsilon)

        let text = try XCTUnwrap(try DPSynthCommand.parseAsRoot(
            ["ledger", "show", "--dataset", data.path, "--ledger", ledgerPath]) as? LedgerShowCommand).output()
        let lines = text.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines[0], "dataset \(fingerprint)")
        XCTAssertEqual(lines[1], "  budget: ε = 4 at δ = 1e-05")
        XCTAssertTrue(lines[2].hasPrefix("  spent:  ε = \(formatted(expected.epsilon)) at δ = 1e-05 over 1 release(s)"), lines[2])
        XCTAssertTrue(lines[3].contains("model-a  q=0.01 σ=1.1 C=1 steps=1000  δ=1e-05  ε_rdp="), lines[3])
    }

    /// A reservation whose process died is listed as unsettled with a note saying what to do;
    /// `settle-reservation` records its plan as spent, `withdraw-reservation` needs the declaration
    /// that no training happened.
    func testStaleReservationsAreListedThenSettledOrWithdrawn() throws {
        let ledgerPath = directory.appendingPathComponent("ledger.sqlite").path
        let ledger = try BudgetLedger(url: URL(fileURLWithPath: ledgerPath))
        let fingerprint = DatasetFingerprint(data: Data("age\n51\n".utf8))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        let dead = ReservationHolder(processID: process.processIdentifier, host: ReservationHolder.currentHost)
        let training = DPSGDPrivacyFacts(samplingProbability: 0.01, noiseMultiplier: 1.1, steps: 500, noiseIsCryptographicallySecure: true)
        let planned = try LedgerRelease.dpsgd(dataset: fingerprint, label: "died", training: training, clippingNorm: 1, delta: 1e-5)
        let first = try ledger.reserve(planned, accountant: .rdp, holder: dead)
        let second = try ledger.reserve(planned, accountant: .rdp, holder: dead)

        func command(_ arguments: [String]) throws -> ParsableCommand {
            try DPSynthCommand.parseAsRoot(["ledger"] + arguments + ["--ledger", ledgerPath])
        }
        let shown = try XCTUnwrap(try command(["show"]) as? LedgerShowCommand).output()
        XCTAssertTrue(shown.contains("over 0 release(s) and 2 unsettled reservation(s)"), shown)
        XCTAssertTrue(shown.contains("#\(first.id)  reserved (unsettled) since "), shown)
        XCTAssertTrue(shown.contains("by process \(dead.processID) on \(dead.host), no longer running  died  q=0.01"), shown)
        XCTAssertTrue(shown.contains("note: the process of reservation #\(first.id) is gone"), shown)

        let settle = try XCTUnwrap(try command(["settle-reservation", "\(first.id)"]) as? LedgerSettleReservationCommand)
        XCTAssertEqual(try settle.output(), "settled reservation #\(first.id) (died) at its planned spend: 500 steps")
        XCTAssertThrowsError(try command(["withdraw-reservation", "\(second.id)"])) {
            XCTAssertEqual(DPSynthCommand.fullMessage(for: $0),
                           "Error: withdrawing a reservation declares that its run never trained on the data: pass --confirm-no-training-happened if that is so, or use `dpsynth ledger settle-reservation \(second.id)`")
        }
        let withdraw = try XCTUnwrap(try command(["withdraw-reservation", "\(second.id)", "--confirm-no-training-happened"])
                                     as? LedgerWithdrawReservationCommand)
        XCTAssertEqual(try withdraw.output(), "withdrew reservation #\(second.id) (died); its planned spend no longer counts")
        XCTAssertThrowsError(try withdraw.output()) {
            XCTAssertEqual("\($0)", "budget ledger '\(ledgerPath)': entry \(second.id) is not an unsettled reservation (already withdrawn); `dpsynth ledger show` lists the reservations")
        }

        let json = try XCTUnwrap(try command(["show", "--json"]) as? LedgerShowCommand).output()
        let report = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])?.first)
        let spent = try XCTUnwrap(report["spent"] as? [String: Any])
        XCTAssertEqual(spent["release_count"] as? Int, 1)
        XCTAssertEqual(spent["reservation_count"] as? Int, 0)
        XCTAssertEqual(try XCTUnwrap(spent["epsilon"] as? Double), try XCTUnwrap(planned.epsilonByAccountant[.rdp]), accuracy: 1e-12)
        let releases = try XCTUnwrap(report["releases"] as? [[String: Any]])
        XCTAssertEqual(releases.map { $0["status"] as? String }, ["settled", "withdrawn"])
        XCTAssertNotNil(releases[0]["reserved_at"])
        XCTAssertNotNil(releases[1]["withdrawn_at"])
    }

    func testLedgerArgumentErrors() throws {
        XCTAssertThrowsError(try DPSynthCommand.parseAsRoot(
            ["ledger", "set-budget", "x.csv", "--epsilon=-1", "--delta", "1e-5"])) {
            XCTAssertEqual(DPSynthCommand.fullMessage(for: $0), "Error: --epsilon must be a finite number > 0, found -1.0")
        }
        let show = try XCTUnwrap(try DPSynthCommand.parseAsRoot(
            ["ledger", "show", "--dataset", "no-such-file.csv", "--ledger", directory.appendingPathComponent("l.sqlite").path]) as? LedgerShowCommand)
        XCTAssertThrowsError(try show.output()) {
            XCTAssertEqual("\($0)", "expected a dataset file or a 64-hex-digit SHA-256 fingerprint, found \"no-such-file.csv\"")
        }
    }
}
