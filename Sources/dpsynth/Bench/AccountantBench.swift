import DPSynthAccounting
import Foundation

/// `dpsynth bench --suite accountant`: RDP ε for 10⁵ steps, PLD ε for 10⁴ steps, σ calibration,
/// beside dp_accounting 0.6.0 timed on the same settings by `scripts/bench-accountant-reference.py`
/// (run when its Python is found: `DPSYNTH_ACCOUNTING_PYTHON`, else `../.venv-acct/bin/python` beside the repository).
/// Goals: RDP and calibration under 10 ms each; PLD faster than dp_accounting.
enum AccountantBench: BenchSuite {
    static let name = "accountant"

    // Keep in sync with scripts/bench-accountant-reference.py.
    static let samplingProbability = 0.01, noiseMultiplier = 1.0, delta = 1e-5
    static let rdpSteps = 100_000, pldSteps = 10_000
    static let targetEpsilon = 2.0, calibrationSteps = 10_000

    static func run(options: BenchOptions) throws -> BenchTable {
        var table = BenchTable(columns: ["case", "setting", "value", "dpsynth_ms", "dp_accounting_ms", "speedup"])
        let setting = "q=\(samplingProbability) σ=\(noiseMultiplier) δ=\(delta)"
        var cases: [(name: String, setting: String, body: () throws -> Double)] = [
            ("rdp_epsilon", "\(setting) steps=\(rdpSteps)", {
                var accountant = RDPAccountant()
                try accountant.compose(.dpsgd(samplingProbability: samplingProbability,
                                              noiseMultiplier: noiseMultiplier, steps: rdpSteps))
                return try accountant.epsilon(forDelta: delta)
            }),
            ("pld_epsilon", "\(setting) steps=\(pldSteps)", {
                var accountant = PLDAccountant()
                try accountant.compose(.dpsgd(samplingProbability: samplingProbability,
                                              noiseMultiplier: noiseMultiplier, steps: pldSteps))
                return try accountant.epsilon(forDelta: delta)
            }),
            ("rdp_calibration", "target ε=\(targetEpsilon) q=\(samplingProbability) steps=\(calibrationSteps) δ=\(delta)", {
                try PrivacyCalibration.noiseMultiplier(targetEpsilon: targetEpsilon, delta: delta,
                                                       samplingProbability: samplingProbability,
                                                       steps: calibrationSteps, relativeTolerance: 1e-6)
            }),
        ]
        options.progress("timing dp_accounting 0.6.0 (scripts/bench-accountant-reference.py)…")
        let reference = referenceTimings(quick: options.quick)
        for index in cases.indices {
            let (name, caseSetting, body) = cases[index]
            options.progress("timing \(name)…")
            var value = Double.nan
            let slow = name == "pld_epsilon"
            let samples = try timeRepeatedly(warmup: options.quick || slow ? 1 : 3,
                                             minimumIterations: options.quick ? 1 : (slow ? 3 : 10),
                                             minimumSeconds: options.quick ? 0 : 1) { value = try body() }
            let milliseconds = median(samples)
            if let referenceMilliseconds = reference.timings[name] {
                table.append([.text(name), .text(caseSetting), .number(value), .number(milliseconds),
                              .number(referenceMilliseconds), .number(referenceMilliseconds / milliseconds)])
            } else {
                table.append([.text(name), .text(caseSetting), .number(value), .number(milliseconds),
                              .text("n/a"), .text("n/a")])
            }
        }
        cases.removeAll()
        table.notes.append(reference.note)
        return table
    }

    /// dp_accounting's median milliseconds by case, from the reference script's JSON.
    private static func referenceTimings(quick: Bool) -> (timings: [String: Double], note: String) {
        let environment = ProcessInfo.processInfo.environment
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        // The venv lives beside the repository, like scripts/bench-jax.sh's.
        let python = environment["DPSYNTH_ACCOUNTING_PYTHON"]
            ?? repository.deletingLastPathComponent().appendingPathComponent(".venv-acct/bin/python").path
        let script = repository.appendingPathComponent("scripts/bench-accountant-reference.py")
        guard FileManager.default.isExecutableFile(atPath: python),
              FileManager.default.fileExists(atPath: script.path) else {
            return ([:], "dp_accounting not timed: set DPSYNTH_ACCOUNTING_PYTHON to a Python with dp-accounting==0.6.0 (see \(script.lastPathComponent))")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script.path, "--json"] + (quick ? ["--quick"] : [])
        let output = Pipe()
        process.standardOutput = output
        process.standardError = Pipe()
        do {
            try process.run()
        } catch {
            return ([:], "dp_accounting not timed: \(error)")
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
              let rows = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]] else {
            return ([:], "dp_accounting not timed: \(script.lastPathComponent) exited with \(process.terminationStatus)")
        }
        var timings: [String: Double] = [:]
        var values: [String] = []
        for row in rows {
            guard let name = row["case"] as? String, let milliseconds = row["median_ms"] as? Double else { continue }
            timings[name] = milliseconds
            if let value = row["value"] as? Double { values.append("\(name) \(String(format: "%.6f", value))") }
        }
        return (timings, "dp_accounting 0.6.0 values: " + values.joined(separator: ", "))
    }
}
