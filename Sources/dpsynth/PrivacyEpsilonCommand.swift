import ArgumentParser
import DPSynthAccounting

/// `dpsynth privacy epsilon`: ε spent by `--steps` DP-SGD steps.
struct PrivacyEpsilonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "epsilon", abstract: "ε of DP-SGD after a number of steps.")

    @OptionGroup var common: PrivacyCommonOptions

    @Option(help: "Noise standard deviation divided by the clipping norm, ≥ 0.")
    var noiseMultiplier: Double

    @Option(help: "Number of DP-SGD steps, ≥ 0.")
    var steps: Int

    func validate() throws {
        try PrivacyArgumentCheck.noiseMultiplier(noiseMultiplier)
        try PrivacyArgumentCheck.steps(steps)
    }

    func run() throws { print(try output()) }

    /// What `run` prints.
    func output() throws -> String {
        let event = DPEvent.dpsgd(samplingProbability: common.samplingRate, noiseMultiplier: noiseMultiplier, steps: steps)
        var object = JSONObject()
        var sentence: String
        switch common.accountant {
        case .rdp:
            var accountant = RDPAccountant()
            try accountant.compose(event)
            let result = try accountant.epsilonAndOrder(forDelta: common.delta)
            object.set("epsilon", result.epsilon)
            object.set("delta", common.delta)
            object.set("accountant", "rdp")
            object.set("order", result.order)
            object.set("order_at_edge", result.orderIsAtEdge)
            sentence = "ε = \(formatted(result.epsilon)) at δ = \(formatted(common.delta)) (RDP, optimal order α = \(formatted(result.order)))"
            if result.orderIsAtEdge && result.epsilon.isFinite {
                sentence += "\nwarning: the optimal order is at the edge of the order list; the bound may be loose"
            }
        case .pld:
            var accountant = PLDAccountant()
            try accountant.compose(event)
            let epsilon = try accountant.epsilon(forDelta: common.delta)
            object.set("epsilon", epsilon)
            object.set("delta", common.delta)
            object.set("accountant", "pld")
            object.set("value_discretization_interval", accountant.valueDiscretizationInterval)
            sentence = "ε = \(formatted(epsilon)) at δ = \(formatted(common.delta)) (PLD)"
        }
        object.set("sampling_rate", common.samplingRate)
        object.set("noise_multiplier", noiseMultiplier)
        object.set("steps", steps)
        return common.json ? object.text : sentence
    }
}
