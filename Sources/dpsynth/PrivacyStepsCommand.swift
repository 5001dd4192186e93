import ArgumentParser
import DPSynthAccounting

/// `dpsynth privacy steps`: how long training can run within a budget.
struct PrivacyStepsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "steps", abstract: "Largest number of DP-SGD steps with ε ≤ --epsilon.")

    @OptionGroup var common: PrivacyCommonOptions

    @Option(help: "Target ε, > 0.")
    var epsilon: Double

    @Option(help: "Noise standard deviation divided by the clipping norm, ≥ 0.")
    var noiseMultiplier: Double

    func validate() throws {
        try PrivacyArgumentCheck.targetEpsilon(epsilon)
        try PrivacyArgumentCheck.noiseMultiplier(noiseMultiplier)
    }

    func run() throws { print(try output()) }

    func output() throws -> String {
        let steps = try PrivacyCalibration.maximumSteps(
            targetEpsilon: epsilon, delta: common.delta, samplingProbability: common.samplingRate,
            noiseMultiplier: noiseMultiplier, accountant: common.accountant)
        let unlimited = steps == Int.max
        let achieved = unlimited ? 0 : try PrivacyCalibration.epsilonSpent(
            samplingProbability: common.samplingRate, noiseMultiplier: noiseMultiplier, steps: steps,
            delta: common.delta, accountant: common.accountant)
        var object = JSONObject()
        if unlimited { object.set("steps", "unlimited") } else { object.set("steps", steps) }
        object.set("epsilon", achieved)
        object.set("target_epsilon", epsilon)
        object.set("delta", common.delta)
        object.set("accountant", common.accountant.rawValue)
        object.set("sampling_rate", common.samplingRate)
        object.set("noise_multiplier", noiseMultiplier)
        if common.json { return object.text }
        if unlimited { return "unlimited steps: with sampling rate 0 no step spends privacy" }
        return "\(steps) steps (ε = \(formatted(achieved)) ≤ \(formatted(epsilon)) at δ = \(formatted(common.delta)), \(common.accountant.rawValue.uppercased()))"
    }
}
