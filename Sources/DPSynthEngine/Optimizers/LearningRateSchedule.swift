import Foundation

/// A multiplier of the base learning rate as a function of the step (0-based).
public enum LearningRateSchedule {
    case constant
    /// × factor every `interval` steps.
    case stepDecay(interval: Int, factor: Float)
    /// × decay^step.
    case exponential(decay: Float)
    /// Cosine annealing from 1 to `minimumFactor` over `totalSteps` (Loshchilov & Hutter 2017, eq. 5).
    case cosine(totalSteps: Int, minimumFactor: Float)
    /// Linear warm-up from 0 to 1 over `steps`, constant afterwards.
    case linearWarmup(steps: Int)
    /// Any rule.
    case custom((Int) -> Float)

    public func factor(atStep step: Int) -> Float {
        switch self {
        case .constant: return 1
        case .stepDecay(let interval, let factor): return Float(pow(Double(factor), Double(step / Swift.max(interval, 1))))
        case .exponential(let decay): return Float(pow(Double(decay), Double(step)))
        case .cosine(let total, let minimum):
            let progress = Double(Swift.min(step, total)) / Double(Swift.max(total, 1))
            return minimum + (1 - minimum) * Float(0.5 * (1 + cos(Double.pi * progress)))
        case .linearWarmup(let steps): return steps <= 0 ? 1 : Swift.min(1, Float(step + 1) / Float(steps))
        case .custom(let rule): return rule(step)
        }
    }
}
