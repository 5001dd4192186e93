import Numerics

/// An ε read off an RDP curve, with the order that attains it.
public struct RDPEpsilon: Equatable, Sendable {
    public var epsilon: Double
    public var delta: Double
    /// The Rényi order α at which the conversion is tightest.
    public var order: Double
    /// True when that order is the smallest or largest of the order list: a wider list could
    /// give a smaller ε, so the figure should be reported with that caveat.
    public var orderIsAtEdge: Bool
}

/// Conversion between an RDP curve and (ε, δ)-DP.
///
/// ε(δ) = min_α ρ(α) + log((α − 1)/α) − (log δ + log α)/(α − 1) for α > 1.01 (Canonne, Kamath &
/// Steinke 2020, Prop. 12; Asoodeh et al. 2020), and ε = 0 when δ ≥ √(1 − e^{−ρ}) (Pinsker-type
/// bound through KL). 10–16% tighter than the classic ρ − log δ/(α − 1).
/// Source: dp_accounting `rdp/rdp_privacy_accountant.py` `compute_epsilon`, `compute_delta`.
enum RDPConversion {
    /// The per-order ε candidates; the optimum is their minimum (first one on ties).
    static func epsilonCandidates(orders: [Double], rdp: [Double], delta: Double) -> [Double] {
        let logDelta = Double.log(delta)
        return zip(orders, rdp).map { alpha, rho in
            if rho < 0 { return 0 }
            if delta * delta + Double.expMinusOne(-rho) > 0 { return 0 }
            if alpha > 1.01 {
                return rho + Double.log(onePlus: -1 / alpha) - (logDelta + Double.log(alpha)) / (alpha - 1)
            }
            return .infinity
        }
    }

    static func epsilon(orders: [Double], rdp: [Double], delta: Double) -> RDPEpsilon {
        let candidates = epsilonCandidates(orders: orders, rdp: rdp, delta: delta)
        var best = 0
        for index in candidates.indices where candidates[index] < candidates[best] { best = index }
        return RDPEpsilon(epsilon: max(0, candidates[best]), delta: delta, order: orders[best],
                          orderIsAtEdge: best == 0 || best == orders.count - 1)
    }

    /// δ(ε) = min_α min(√(1 − e^{−ρ}), exp((α − 1)(ρ − ε + log(1 − 1/α)) − log α)).
    static func delta(orders: [Double], rdp: [Double], epsilon: Double) -> (delta: Double, order: Double) {
        var bestLogDelta = Double.infinity
        var bestOrder = orders.first ?? .nan
        for (alpha, rho) in zip(orders, rdp) {
            var logDelta: Double
            if rho <= 0 {
                logDelta = -.infinity
            } else {
                logDelta = 0.5 * Double.log(onePlus: -Double.exp(-rho))
            }
            if alpha > 1.01 {
                let bound = (alpha - 1) * (rho - epsilon + Double.log(onePlus: -1 / alpha)) - Double.log(alpha)
                logDelta = min(logDelta, bound)
            }
            if logDelta < bestLogDelta {
                bestLogDelta = logDelta
                bestOrder = alpha
            }
        }
        return (min(Double.exp(bestLogDelta), 1), bestOrder)
    }
}
