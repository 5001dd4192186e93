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
    /// σ of the Gaussian mechanism on the categorical marginals (`CategoricalMarginals`), nil
    /// without that release.
    public let marginalNoiseMultiplier: Double?
    /// The private label classifier's DP-SGD release (`LabelClassifier`), nil without one.
    let classifierRelease: PrivacyRecord.ClassifierRelease?

    /// What the private label classifier's training will be, before its σ is known.
    struct ClassifierSchedule: Equatable {
        var samplingProbability: Double
        var steps: Int
        var clippingNorm: Double
        var budgetShare: Double
    }

    /// Calibrates σ_label to `labelShare` of the budget left after the schema, then the smallest
    /// DP-SGD σ for which the composed event after `plannedSteps` steps has ε ≤ budget.
    init(budget: PrivacyBudget, samplingProbability: Double, plannedSteps: Int, releasesLabelMarginal: Bool,
         labelShare: Double, releasesCategoricalMarginals: Bool = false, marginalShare: Double = 0.1,
         classifier: ClassifierSchedule? = nil) throws {
        guard budget.epsilon.isFinite, budget.epsilon > 0 else { throw TrainingError.invalidBudget("ε must be a positive number, found \(budget.epsilon)") }
        guard budget.delta > 0, budget.delta < 1 else { throw TrainingError.invalidBudget("δ must be in (0, 1), found \(budget.delta)") }
        guard budget.schemaEpsilon >= 0, budget.schemaEpsilon.isFinite else { throw TrainingError.invalidBudget("schema ε must be ≥ 0, found \(budget.schemaEpsilon)") }
        guard budget.schemaDelta >= 0, budget.schemaDelta < budget.delta else {
            throw TrainingError.invalidBudget("the schema's δ = \(budget.schemaDelta) must be below the total δ = \(budget.delta)")
        }
        guard budget.schemaEpsilon < budget.epsilon else {
            throw TrainingError.budgetTooSmall(epsilon: budget.epsilon, schemaEpsilon: budget.schemaEpsilon)
        }
        self.budget = budget
        self.samplingProbability = samplingProbability
        self.plannedSteps = plannedSteps
        let accountedDelta = budget.delta - budget.schemaDelta
        // σ of a release calibrated alone to `share` of what the schema left.
        let calibrateAlone = { (share: Double, event: @escaping (Double) -> DPEvent) throws -> Double in
            try PrivacyCalibration.smallestNoiseMultiplier(
                targetEpsilon: share * (budget.epsilon - budget.schemaEpsilon), delta: accountedDelta,
                makeAccountant: budget.accountant.makeAccountant, event: event)
        }
        labelNoiseMultiplier = releasesLabelMarginal ? try calibrateAlone(labelShare) { .gaussian(noiseMultiplier: $0) } : nil
        marginalNoiseMultiplier = releasesCategoricalMarginals ? try calibrateAlone(marginalShare) { .gaussian(noiseMultiplier: $0) } : nil
        classifierRelease = try classifier.map { schedule in
            PrivacyRecord.ClassifierRelease(
                samplingProbability: schedule.samplingProbability,
                noiseMultiplier: try calibrateAlone(schedule.budgetShare) {
                    .dpsgd(samplingProbability: schedule.samplingProbability, noiseMultiplier: $0, steps: schedule.steps)
                },
                steps: schedule.steps, clippingNorm: schedule.clippingNorm)
        }
        let label = labelNoiseMultiplier, marginal = marginalNoiseMultiplier, classifierEvent = classifierRelease
        let pureSchemaEpsilon = budget.schemaDelta == 0 ? budget.schemaEpsilon : 0
        noiseMultiplier = try PrivacyCalibration.smallestNoiseMultiplier(
            targetEpsilon: budget.epsilon - (budget.schemaEpsilon - pureSchemaEpsilon), delta: accountedDelta,
            makeAccountant: budget.accountant.makeAccountant,
            event: { sigma in
                PrivacyPlan.event(schemaEpsilon: pureSchemaEpsilon, labelNoiseMultiplier: label, marginalNoiseMultiplier: marginal,
                                  classifier: classifierEvent, samplingProbability: samplingProbability, noiseMultiplier: sigma, steps: plannedSteps)
            })
    }

    /// The schema's ε composed inside the accountant (pure ε-DP), or 0 when it is added outside.
    private var accountedSchemaEpsilon: Double { budget.schemaDelta == 0 ? budget.schemaEpsilon : 0 }
    /// The schema's (ε, δ) added by basic composition when its mechanisms are not pure.
    private var additiveSchemaEpsilon: Double { budget.schemaEpsilon - accountedSchemaEpsilon }
    private var accountedDelta: Double { budget.delta - budget.schemaDelta }

    /// Everything released after `steps` discriminator steps, as one event.
    static func event(schemaEpsilon: Double, labelNoiseMultiplier: Double?, marginalNoiseMultiplier: Double?,
                      classifier: PrivacyRecord.ClassifierRelease?, samplingProbability: Double, noiseMultiplier: Double,
                      steps: Int) -> DPEvent {
        var events: [DPEvent] = []
        if schemaEpsilon > 0 { events.append(.pureDP(epsilon: schemaEpsilon)) }
        if let labelNoiseMultiplier { events.append(.gaussian(noiseMultiplier: labelNoiseMultiplier)) }
        if let marginalNoiseMultiplier { events.append(.gaussian(noiseMultiplier: marginalNoiseMultiplier)) }
        if let classifier {
            events.append(.dpsgd(samplingProbability: classifier.samplingProbability, noiseMultiplier: classifier.noiseMultiplier,
                                 steps: classifier.steps))
        }
        events.append(.dpsgd(samplingProbability: samplingProbability, noiseMultiplier: noiseMultiplier, steps: steps))
        return .composed(events)
    }

    /// The event the accountant composes after `steps` steps (the schema's spend is in it when
    /// pure; otherwise it is added to the accountant's ε by basic composition).
    public func event(afterSteps steps: Int) -> DPEvent {
        Self.event(schemaEpsilon: accountedSchemaEpsilon, labelNoiseMultiplier: labelNoiseMultiplier,
                   marginalNoiseMultiplier: marginalNoiseMultiplier, classifier: classifierRelease,
                   samplingProbability: samplingProbability, noiseMultiplier: noiseMultiplier, steps: steps)
    }

    /// Total ε at the budget's δ after `steps` steps, by the budget's accountant.
    public func epsilon(afterSteps steps: Int) throws -> Double {
        var accountant = budget.accountant.makeAccountant()
        try accountant.compose(event(afterSteps: steps))
        return additiveSchemaEpsilon + (try accountant.epsilon(forDelta: accountedDelta))
    }

    /// The privacy record after `steps` steps: ε by the chosen accountant (and RDP's curve and
    /// optimal order, kept so releases can be composed later).
    func record(steps: Int, datasetSize: Int, clippingNorm: Double, secureRandomness: Bool, randomnessDescription: String,
                history: [PrivacyRecord.EpsilonPoint]) throws -> PrivacyRecord {
        var rdp = RDPAccountant()
        try rdp.compose(event(afterSteps: steps))
        let rdpEpsilon = try rdp.epsilonAndOrder(forDelta: accountedDelta)
        var byAccountant = ["rdp": additiveSchemaEpsilon + rdpEpsilon.epsilon]
        let epsilon: Double
        if budget.accountant == .rdp {
            epsilon = additiveSchemaEpsilon + rdpEpsilon.epsilon
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
            labelNoiseMultiplier: labelNoiseMultiplier, marginalNoiseMultiplier: marginalNoiseMultiplier,
            classifier: classifierRelease)
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
