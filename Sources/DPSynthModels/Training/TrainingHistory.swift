/// What a run did, epoch by epoch: stored in the model file and shown by `dpsynth inspect`.
public struct TrainingHistory: Codable, Equatable {
    public struct Epoch: Codable, Equatable {
        public var epoch: Int
        /// Discriminator steps taken when the epoch ended.
        public var step: Int
        /// Mean per-row discriminator loss and mean generator loss over the epoch's steps.
        public var discriminatorLoss: Double
        public var generatorLoss: Double
        /// ε spent when the epoch ended (by the accountant; ∞ without privacy).
        public var epsilon: Double
    }

    public var epochs: [Epoch] = []
    /// True when training stopped before its planned steps (Ctrl-C, a callback).
    public var stoppedEarly = false
    public var plannedSteps = 0
    public var stepsTaken = 0

    public init() {}
}

/// What the trainer reports after each step.
public struct TrainingProgress: Equatable {
    public var epoch: Int
    public var step: Int
    public var plannedSteps: Int
    public var discriminatorLoss: Double
    public var generatorLoss: Double
    /// ε spent so far (accountant); refreshed at the end of every epoch, ∞ without privacy.
    public var epsilon: Double
    public var isEpochEnd: Bool
}
