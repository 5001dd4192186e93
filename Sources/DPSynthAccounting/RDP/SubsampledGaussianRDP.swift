import Numerics

/// Rényi DP of one step of the Poisson-subsampled Gaussian mechanism.
///
/// ε_RDP(α) = log A_α / (α − 1) with A_α = E_{z∼μ₀}[(μ(z)/μ₀(z))^α], μ₀ = N(0, σ²),
/// μ = (1 − q)μ₀ + q N(1, σ²) (Mironov, Talwar & Zhang 2019, "Rényi Differential Privacy of the
/// Sampled Gaussian Mechanism", §3.3). Special cases: q = 0 → 0; q = 1 → α/(2σ²); σ = 0 → ∞.
///
/// Reproduces dp_accounting 0.6.0 (`rdp/rdp_privacy_accountant.py`) term for term, including its
/// treatment of fractional orders: the two-sided series sums the absolute values of the terms,
/// stops once both terms decrease and sit 30 nats below the running total, and gives up after
/// 1000 terms, in which case the order is reported as +∞ (excluded from the conversion).
enum SubsampledGaussianRDP {
    /// Terms summed before a fractional order is given up (dp_accounting `_MAX_STEPS_LOG_A_FRAC`).
    static let maximumFractionalTerms = 1000

    /// RDP of one step at each order.
    static func curve(samplingProbability q: Double, noiseMultiplier sigma: Double,
                      orders: [Double]) -> [Double] {
        orders.map { rdp(samplingProbability: q, noiseMultiplier: sigma, order: $0) }
    }

    /// RDP of one step at `order` (> 1).
    static func rdp(samplingProbability q: Double, noiseMultiplier sigma: Double, order alpha: Double) -> Double {
        if q == 0 { return 0 }
        if sigma == 0 || alpha.isInfinite { return .infinity }
        if q == 1 { return alpha / (2 * sigma * sigma) }
        let logA: Double
        if alpha == alpha.rounded(), alpha < Double(Int.max) {
            logA = logAIntegerOrder(q: q, sigma: sigma, alpha: Int(alpha))
        } else {
            logA = logAFractionalOrder(q: q, sigma: sigma, alpha: alpha)
        }
        return logA / (alpha - 1)
    }

    /// log A_α for integer α: Σ_{i=0..α} C(α, i) qⁱ (1 − q)^{α−i} exp((i² − i)/(2σ²)), in log space.
    static func logAIntegerOrder(q: Double, sigma: Double, alpha: Int) -> Double {
        let logQ = Double.log(q)
        let logOneMinusQ = Double.log(onePlus: -q)
        let inverseTwoSigmaSquared = 1 / (2 * sigma * sigma)
        var logA = -Double.infinity
        var logBinomial = 0.0  // log C(α, i), updated by C(α, i) = C(α, i−1)·(α − i + 1)/i
        for i in 0...alpha {
            if i > 0 { logBinomial += Double.log(Double(alpha - i + 1)) - Double.log(Double(i)) }
            let di = Double(i)
            let term = logBinomial + di * logQ + Double(alpha - i) * logOneMinusQ
                + (di * di - di) * inverseTwoSigmaSquared
            logA = LogSpace.add(logA, term)
        }
        return logA
    }

    /// log A_α for fractional α, splitting the integral at z₀ = σ² log(1/q − 1) + ½ where μ = μ₀
    /// changes side (Mironov et al. 2019, §3.3). Returns +∞ when the series has not converged
    /// after `maximumFractionalTerms` terms.
    static func logAFractionalOrder(q: Double, sigma: Double, alpha: Double) -> Double {
        let logQ = Double.log(q)
        let logOneMinusQ = Double.log(onePlus: -q)
        let z0 = sigma * sigma * Double.log(1 / q - 1) + 0.5
        let inverseTwoSigmaSquared = 1 / (2 * sigma * sigma)
        let inverseSqrtTwoSigma = 1 / (2.0.squareRoot() * sigma)
        let logHalf = -Double.log(2)
        var logA0 = -Double.infinity, logA1 = -Double.infinity
        var lastTerm0 = -Double.infinity, lastTerm1 = -Double.infinity
        var logAbsBinomial = 0.0  // log |C(α, i)|; C(α, i) = C(α, i−1)·(α − i + 1)/i
        for i in 0..<maximumFractionalTerms {
            let di = Double(i)
            if i > 0 { logAbsBinomial += Double.log(abs(alpha - di + 1)) - Double.log(di) }
            let j = alpha - di
            let logT0 = logAbsBinomial + di * logQ + j * logOneMinusQ
            let logT1 = logAbsBinomial + j * logQ + di * logOneMinusQ
            let logE0 = logHalf + LogSpace.logErfc((di - z0) * inverseSqrtTwoSigma)
            let logE1 = logHalf + LogSpace.logErfc((z0 - j) * inverseSqrtTwoSigma)
            let term0 = logT0 + (di * di - di) * inverseTwoSigmaSquared + logE0
            let term1 = logT1 + (j * j - j) * inverseTwoSigmaSquared + logE1
            logA0 = LogSpace.add(logA0, term0)
            logA1 = LogSpace.add(logA1, term1)
            let total = LogSpace.add(logA0, logA1)
            if term0 < lastTerm0, term1 < lastTerm1, max(term0, term1) < total - 30 {
                return total
            }
            lastTerm0 = term0
            lastTerm1 = term1
        }
        return .infinity
    }
}
