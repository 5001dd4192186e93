import DPSynthAccounting

/// The privacy arithmetic of one run, all from accountant calls: the label marginal's noise,
/// DP-SGD's σ calibrated over the COMPOSED event (schema + label marginal + discriminator
/// steps), and ε after any number of steps.
public struct PrivacyPlan: Equatable {
    public let budget: PrivacyBudget
    public let samplingProbability: Double
    public let plannedSteps: Int
    /// σ of DP-SGD (noise standard deviation = σ·C).
    public let noiseMultiplier: Double
    /// σ of the Gaussian mechanism on the label counts (sensitivity 1), nil without a label release.
    public let labelNoiseMultiplier: Double?

    /// Calibrates σ_label to `labelShare` of the budget left after the schema, then the smallest
    /// DP-SGD σ for which the composed event after `plannedSteps` steps has ε ≤ budget.
    init(budget: PrivacyBudget, samplingProbability: Double, plannedSteps: Int, releasesLabelMarginal: Bool,
         labelShare: Double) throws {
        guard budget.epsilon.isFinite, budget.epsilon > 0 else { throw TrainingError.invalidBudget("ε must be a positive number, found \(budget.epsilon)") }
        guard budget.delta > 0, budget.delta < 1 else { throw TrainingError.invalidBudget("δ must be in (0, 1), found \(budget.delta)") }
        guard budget.schemaEpsilon >= 0, budget.schemaEpsilon.isFinite else { throw TrainingError.invalidBudget("schema ε must be ≥ 0, found \(budget.schemaEpsilon)") }
        guard budget.schemaEpsilon < budget.epsilon else {
            throw TrainingError.budgetTooSmall(epsilon: budget.epsilon, schemaEpsilon: budget.schemaEpsilon)
        }
        self.budget = budget
        self.samplingProbability = samplingProbability
        self.plannedSteps = plannedSteps
        if releasesLabelMarginal {
            labelNoiseMultiplier = try PrivacyCalibration.smallestNoiseMultiplier(
                targetEpsilon: labelShare * (budget.epsilon - budget.schemaEpsilon), delta: budget.delta,
                makeAccountant: budget.accountant.makeAccountant, event: { .gaussian(noiseMultiplier: $0) })
        } else {
            labelNoiseMultiplier = nil
        }
        let label = labelNoiseMultiplier
        noiseMultiplier = try PrivacyCalibration.smallestNoiseMultiplier(
            targetEpsilon: budget.epsilon, delta: budget.delta, makeAccountant: budget.accountant.makeAccountant,
            event: { sigma in
                PrivacyPlan.event(schemaEpsilon: budget.schemaEpsilon, labelNoiseMultiplier: label,
                                  samplingProbability: samplingProbability, noiseMultiplier: sigma, steps: plannedSteps)
            })
    }

    /// Everything released after `steps` discriminator steps, as one event.
    static func event(schemaEpsilon: Double, labelNoiseMultiplier: Double?, samplingProbability: Double,
                      noiseMultiplier: Double, steps: Int) -> DPEvent {
        var events: [DPEvent] = []
        if schemaEpsilon > 0 { events.append(.pureDP(epsilon: schemaEpsilon)) }
        if let labelNoiseMultiplier { events.append(.gaussian(noiseMultiplier: labelNoiseMultiplier)) }
        events.append(.dpsgd(samplingProbability: samplingProbability, noiseMultiplier: noiseMultiplier, steps: steps))
        return .composed(events)
    }

    /// The composed event after `steps` steps.
    public func event(afterSteps steps: Int) -> DPEvent {
        Self.event(schemaEpsilon: budget.schemaEpsilon, labelNoiseMultiplier: labelNoiseMultiplier,
                   samplingProbability: samplingProbability, noiseMultiplier: noiseMultiplier, steps: steps)
    }

    /// ε at the budget's δ after `steps` steps, by the budget's accountant.
    public func epsilon(afterSteps steps: Int) throws -> Double {
        var accountant = budget.accountant.makeAccountant()
        try accountant.compose(event(afterSteps: steps))
        return try accountant.epsilon(forDelta: budget.delta)
    }

    /// The privacy record after `steps` steps: ε by the chosen accountant (and RDP's curve and
    /// optimal order, kept so releases can be composed later).
    func record(steps: Int, datasetSize: Int, clippingNorm: Double, secureRandomness: Bool, randomnessDescription: String,
                history: [PrivacyRecord.EpsilonPoint]) throws -> PrivacyRecord {
        var rdp = RDPAccountant()
        try rdp.compose(event(afterSteps: steps))
        let rdpEpsilon = try rdp.epsilonAndOrder(forDelta: budget.delta)
        var byAccountant = ["rdp": rdpEpsilon.epsilon]
        let epsilon: Double
        if budget.accountant == .rdp {
            epsilon = rdpEpsilon.epsilon
        } else {
            epsilon = try self.epsilon(afterSteps: steps)
            byAccountant[budget.accountant.rawValue] = epsilon
        }
        return PrivacyRecord(
            isPrivate: true, accountant: budget.accountant.rawValue, epsilon: epsilon, delta: budget.delta,
            epsilonByAccountant: byAccountant, optimalOrder: rdpEpsilon.order, optimalOrderAtEdge: rdpEpsilon.orderIsAtEdge,
            noiseMultiplier: noiseMultiplier, samplingProbability: samplingProbability, clippingNorm: clippingNorm,
            steps: steps, plannedSteps: plannedSteps, datasetSize: datasetSize, schemaEpsilon: budget.schemaEpsilon,
            schemaBounds: budget.schemaBounds, acceptedDataBoundColumns: budget.acceptedDataBoundColumns,
            secureRandomness: secureRandomness, randomnessDescription: randomnessDescription,
            rdpOrders: rdp.orders, rdpValues: rdp.rdp, epsilonHistory: history,
            labelNoiseMultiplier: labelNoiseMultiplier)
    }

    /// The record of a run without privacy: ε = ∞, nothing clipped or noised.
    static func nonPrivateRecord(steps: Int, plannedSteps: Int, datasetSize: Int, samplingProbability: Double,
                                 secureRandomness: Bool, randomnessDescription: String) -> PrivacyRecord {
        PrivacyRecord(
            isPrivate: false, accountant: "none", epsilon: .infinity, delta: 0, epsilonByAccountant: [:],
            optimalOrder: nil, optimalOrderAtEdge: false, noiseMultiplier: 0, samplingProbability: samplingProbability,
            clippingNorm: .infinity, steps: steps, plannedSteps: plannedSteps, datasetSize: datasetSize, schemaEpsilon: 0,
            schemaBounds: .acceptedDataBounds, acceptedDataBoundColumns: [], secureRandomness: secureRandomness,
            randomnessDescription: randomnessDescription, rdpOrders: [], rdpValues: [], epsilonHistory: [],
            labelNoiseMultiplier: nil)
    }
}
