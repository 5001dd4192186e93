import Numerics

/// Inverse problems on an accountant: the noise for a target ε, the steps a budget allows, the ε
/// spent so far. Generic over the accountant (dp_accounting `mechanism_calibration.py`): each
/// function takes a factory for empty accountants and builds the event it evaluates.
public enum PrivacyCalibration {
    /// The smallest noise multiplier σ whose event has ε ≤ `targetEpsilon` at `delta`.
    ///
    /// ε is decreasing in σ. A bracket [σ/2, σ] is found by doubling from 1 (or halving), then
    /// Brent's method on log ε(σ) − log target narrows it until its width is below
    /// `relativeTolerance`·σ; the upper end (ε ≤ target) is returned.
    /// - Parameters:
    ///   - makeAccountant: an empty accountant (e.g. `{ RDPAccountant() }`).
    ///   - event: the event for a given noise multiplier (e.g. `{ .dpsgd(…, noiseMultiplier: $0, …) }`).
    public static func smallestNoiseMultiplier(
        targetEpsilon: Double, delta: Double,
        makeAccountant: () -> any PrivacyAccountant,
        event: (Double) -> DPEvent,
        relativeTolerance: Double = 1e-6,
        maximumNoiseMultiplier: Double = 1e6
    ) throws -> Double {
        try validateDelta(delta)
        guard targetEpsilon.isFinite, targetEpsilon > 0 else { throw AccountingError.invalidEpsilon(targetEpsilon) }
        try event(1).validate()
        func epsilon(_ sigma: Double) throws -> Double {
            var accountant = makeAccountant()
            do {
                try accountant.compose(event(sigma))
            } catch AccountingError.lossGridTooLarge {
                return .infinity  // σ so small that the PLD grid overflows: far above any target
            }
            return try accountant.epsilon(forDelta: delta)
        }
        // Bracket: eps(lower) > target ≥ eps(upper).
        var upper = 1.0
        var epsilonUpper = try epsilon(upper)
        var lower = 0.5
        var epsilonLower: Double
        if epsilonUpper > targetEpsilon {
            repeat {
                lower = upper
                epsilonLower = epsilonUpper
                upper *= 2
                guard upper <= maximumNoiseMultiplier else {
                    throw AccountingError.calibrationFailed(targetEpsilon: targetEpsilon, searchedUpTo: maximumNoiseMultiplier)
                }
                epsilonUpper = try epsilon(upper)
            } while epsilonUpper > targetEpsilon
        } else {
            epsilonLower = try epsilon(lower)
            while epsilonLower <= targetEpsilon {
                upper = lower
                epsilonUpper = epsilonLower
                lower /= 2
                if lower < 1e-12 { return upper }  // ε ≤ target with (almost) no noise
                epsilonLower = try epsilon(lower)
            }
        }
        // log ε − log target, capped so that ε = ∞ stays a usable (positive) value for Brent.
        let logTarget = Double.log(targetEpsilon)
        func gap(_ epsilon: Double) -> Double { min(Double.log(epsilon) - logTarget, 700) }
        return try RootFinding.brent(
            lower: lower, upper: upper, valueAtLower: gap(epsilonLower), valueAtUpper: gap(epsilonUpper),
            relativeTolerance: relativeTolerance) { sigma in gap(try epsilon(sigma)) }
    }

    /// The largest number of steps whose ε stays ≤ `targetEpsilon` (0 if even one step exceeds
    /// it; `Int.max` if ε never reaches it, e.g. q = 0).
    ///
    /// ε is non-decreasing in the step count: doubling finds a bracket, bisection the boundary.
    /// - Parameter epsilonAfterSteps: ε after n steps (use `epsilonAfterSteps(…)` to build it).
    public static func largestSteps(targetEpsilon: Double,
                                    epsilonAfterSteps: (Int) throws -> Double,
                                    maximumSteps: Int = 1 << 40) throws -> Int {
        try validateEpsilon(targetEpsilon)
        if try epsilonAfterSteps(1) > targetEpsilon { return 0 }
        var good = 1, bad = 2
        while try epsilonAfterSteps(bad) <= targetEpsilon {
            good = bad
            bad *= 2
            if bad > maximumSteps { return Int.max }
        }
        while bad - good > 1 {
            let middle = good + (bad - good) / 2
            if try epsilonAfterSteps(middle) <= targetEpsilon { good = middle } else { bad = middle }
        }
        return good
    }

    /// ε after `steps` repetitions of `step` under `accountant`, in a form `largestSteps` can
    /// call many times. RDP computes the one-step curve once and scales it (RDP is additive).
    public static func epsilonAfterSteps(step: DPEvent, delta: Double,
                                         accountant kind: AccountantKind) throws -> (Int) throws -> Double {
        try validateDelta(delta)
        try step.validate()
        switch kind {
        case .rdp:
            var single = RDPAccountant()
            try single.compose(step)
            return { steps in try single.repeated(steps).epsilon(forDelta: delta) }
        case .pld:
            return { steps in
                var accountant = PLDAccountant()
                try accountant.compose(.selfComposed(step, count: steps))
                return try accountant.epsilon(forDelta: delta)
            }
        }
    }

    /// ε spent after `steps` steps of DP-SGD: the figure a training loop reports as it goes.
    public static func epsilonSpent(samplingProbability: Double, noiseMultiplier: Double, steps: Int,
                                    delta: Double, accountant kind: AccountantKind = .rdp) throws -> Double {
        guard steps >= 0 else { throw AccountingError.invalidSteps(steps) }
        var accountant = kind.makeAccountant()
        try accountant.compose(.dpsgd(samplingProbability: samplingProbability,
                                      noiseMultiplier: noiseMultiplier, steps: steps))
        return try accountant.epsilon(forDelta: delta)
    }

    /// The smallest DP-SGD noise multiplier for `steps` steps at sampling probability q with
    /// ε ≤ `targetEpsilon` at `delta`.
    public static func noiseMultiplier(targetEpsilon: Double, delta: Double, samplingProbability: Double,
                                       steps: Int, accountant kind: AccountantKind = .rdp,
                                       relativeTolerance: Double = 1e-6) throws -> Double {
        guard steps >= 0 else { throw AccountingError.invalidSteps(steps) }
        return try smallestNoiseMultiplier(
            targetEpsilon: targetEpsilon, delta: delta, makeAccountant: kind.makeAccountant,
            event: { .dpsgd(samplingProbability: samplingProbability, noiseMultiplier: $0, steps: steps) },
            relativeTolerance: relativeTolerance)
    }

    /// The largest number of DP-SGD steps at (q, σ) with ε ≤ `targetEpsilon` at `delta`.
    public static func maximumSteps(targetEpsilon: Double, delta: Double, samplingProbability: Double,
                                    noiseMultiplier: Double, accountant kind: AccountantKind = .rdp) throws -> Int {
        let step = DPEvent.poissonSampled(probability: samplingProbability, .gaussian(noiseMultiplier: noiseMultiplier))
        return try largestSteps(targetEpsilon: targetEpsilon,
                                epsilonAfterSteps: try epsilonAfterSteps(step: step, delta: delta, accountant: kind))
    }
}
