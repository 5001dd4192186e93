import ArgumentParser
import DPSynthAccounting

/// `dpsynth privacy noise`: the smallest noise multiplier that keeps ε within a target.
struct PrivacyNoiseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "noise", abstract: "Smallest noise multiplier with ε ≤ --epsilon after --steps steps.")

    @OptionGroup var common: PrivacyCommonOptions

    @Option(help: "Target ε, > 0.")
    var epsilon: Double

    @Option(help: "Number of DP-SGD steps, ≥ 0.")
    var steps: Int

    func validate() throws {
        try PrivacyArgumentCheck.targetEpsilon(epsilon)
        try PrivacyArgumentCheck.steps(steps)
    }

    func run() throws { print(try output()) }

    func output() throws -> String {
        let sigma = try PrivacyCalibration.noiseMultiplier(
            targetEpsilon: epsilon, delta: common.delta, samplingProbability: common.samplingRate, steps: steps,
            accountant: common.accountant, relativeTolerance: common.accountant == .rdp ? 1e-6 : 1e-4)
        let achieved = try PrivacyCalibration.epsilonSpent(
            samplingProbability: common.samplingRate, noiseMultiplier: sigma, steps: steps,
            delta: common.delta, accountant: common.accountant)
        var object = JSONObject()
        object.set("noise_multiplier", sigma)
        object.set("epsilon", achieved)
        object.set("target_epsilon", epsilon)
        object.set("delta", common.delta)
        object.set("accountant", common.accountant.rawValue)
        object.set("sampling_rate", common.samplingRate)
        object.set("steps", steps)
        return common.json ? object.text
            : "noise multiplier σ = \(formatted(sigma)) (ε = \(formatted(achieved)) ≤ \(formatted(epsilon)) at δ = \(formatted(common.delta)), \(common.accountant.rawValue.uppercased()))"
    }
}
