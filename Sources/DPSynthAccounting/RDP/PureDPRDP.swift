import Numerics

/// Rényi DP of pure-DP mechanisms.
enum PureDPRDP {
    /// Exact RDP of the Laplace mechanism with ε = sensitivity/scale (Mironov 2017, "Rényi
    /// Differential Privacy", Prop. 6):
    /// ε + log[1 + (α − 1)(e^{(1−2α)ε} − 1)/(2α − 1)]/(α − 1).
    /// For α ≤ 1.1 the log is expanded as a series to avoid cancellation, as dp_accounting does.
    static func laplace(epsilon: Double, order alpha: Double) -> Double {
        if epsilon == .infinity { return .infinity }
        if alpha < 1.1 {
            let c = Double.expMinusOne(epsilon * (1 - 2 * alpha)) / (2 * alpha - 1)
            let v = -c * (alpha - 1)
            // log(1 − v)/(−v)·… : Σ_{k≥1} v^{k−1}/k = −log(1 − v)/v
            var sum = 0.0, power = 1.0
            for k in 1..<100 {
                sum += power / Double(k)
                power *= v
            }
            return epsilon + c * sum
        }
        return epsilon + Double.log(onePlus: (alpha - 1) * Double.expMinusOne(epsilon * (1 - 2 * alpha))
                                    / (2 * alpha - 1)) / (alpha - 1)
    }

    /// RDP bound of an arbitrary ε-DP mechanism: min(ε, αε²/2). D_α ≤ ε for every α (Mironov 2017,
    /// Prop. 3) and ε-DP implies ε²/2-zCDP, i.e. D_α ≤ αε²/2 (Bun & Steinke 2016, Prop. 1.4).
    static func pureDP(epsilon: Double, order alpha: Double) -> Double {
        min(epsilon, alpha * epsilon * epsilon / 2)
    }
}
