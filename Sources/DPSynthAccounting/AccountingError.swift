import Foundation

/// Why an accountant or a calibration refused its input. Each case carries the value found, so the
/// message can say what was wrong and what is allowed.
public enum AccountingError: Error, Equatable, Sendable {
    case invalidSamplingProbability(Double)
    case invalidNoiseMultiplier(Double)
    case invalidLaplaceScale(Double)
    case invalidEpsilon(Double)
    case invalidDelta(Double)
    case invalidCount(Int)
    case invalidSteps(Int)
    case invalidOrder(Double)
    /// The accountant cannot cost this event (e.g. RDP of a Poisson-sampled Laplace mechanism).
    case unsupportedEvent(accountant: String, event: String)
    /// The PLD accountant's loss grid would exceed `limit` points (a per-step ε far above 1, or a
    /// composition spread over more than `limit` grid steps).
    case lossGridTooLarge(points: Int, limit: Int)
    /// No noise multiplier up to `searchedUpTo` reaches the target (numerically unreachable).
    case calibrationFailed(targetEpsilon: Double, searchedUpTo: Double)
}

extension AccountingError: LocalizedError, CustomStringConvertible {
    public var errorDescription: String? { description }

    public var description: String {
        switch self {
        case .invalidSamplingProbability(let q):
            return "sampling probability must be in [0, 1], found \(q)"
        case .invalidNoiseMultiplier(let sigma):
            return "noise multiplier must be a finite number ≥ 0, found \(sigma)"
        case .invalidLaplaceScale(let scale):
            return "Laplace scale must be a finite number ≥ 0, found \(scale)"
        case .invalidEpsilon(let epsilon):
            return "epsilon must be a finite number ≥ 0, found \(epsilon)"
        case .invalidDelta(let delta):
            return "delta must be in (0, 1), found \(delta)"
        case .invalidCount(let count):
            return "composition count must be ≥ 0, found \(count)"
        case .invalidSteps(let steps):
            return "steps must be ≥ 0, found \(steps)"
        case .invalidOrder(let order):
            return "RDP orders must be finite and > 1, found \(order)"
        case .unsupportedEvent(let accountant, let event):
            return "the \(accountant) accountant cannot account for \(event)"
        case .lossGridTooLarge(let points, let limit):
            return "the PLD accountant would need \(points) loss grid points (limit \(limit)); the privacy loss is too large for its grid: use the RDP accountant or more noise"
        case .calibrationFailed(let target, let limit):
            return "no noise multiplier up to \(limit) reaches epsilon \(target); raise the target or lower the steps"
        }
    }
}

/// Checks a δ given by a user: accountants answer for δ in (0, 1).
@inlinable
func validateDelta(_ delta: Double) throws {
    guard delta > 0, delta < 1 else { throw AccountingError.invalidDelta(delta) }
}

/// Checks a target ε given by a user (finite, ≥ 0).
@inlinable
func validateEpsilon(_ epsilon: Double) throws {
    guard epsilon.isFinite, epsilon >= 0 else { throw AccountingError.invalidEpsilon(epsilon) }
}
