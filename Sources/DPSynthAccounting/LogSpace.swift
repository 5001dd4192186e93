import Foundation
import Numerics

/// Log-space arithmetic shared by both accountants. Probabilities far below 1e-300 appear in the
/// RDP series and in PLD tails, so sums are kept as logarithms.
enum LogSpace {
    /// log(eˣ + eʸ), exact when one side is −∞.
    @inlinable
    static func add(_ x: Double, _ y: Double) -> Double {
        let (small, large) = x < y ? (x, y) : (y, x)
        if small == -.infinity { return large }
        return large + Double.log(onePlus: Double.exp(small - large))
    }

    /// log(eˣ − eʸ) for x ≥ y (−∞ when equal).
    @inlinable
    static func subtract(_ x: Double, _ y: Double) -> Double {
        if y == -.infinity { return x }
        if y >= x { return -.infinity }
        return x + Double.log(onePlus: -Double.exp(y - x))
    }

    /// log(a·eᵇ + c) for a·eᵇ + c > 0 (dp_accounting `pld/common.py` `log_a_times_exp_b_plus_c`).
    static func logOf(_ a: Double, timesExp b: Double, plus c: Double) -> Double {
        if a == 0 { return Double.log(c) }
        if a < 0 { return subtract(Double.log(c), Double.log(-a) + b) }
        if b == 0 { return Double.log(a + c) }
        let d = b + Double.log(a)
        if c == 0 { return d }
        if c < 0 { return subtract(d, Double.log(-c)) }
        return add(d, Double.log(c))
    }

    /// log(erfc(x)), accurate where erfc underflows.
    ///
    /// Below x = 20 glibc's erfc has full relative precision (erfc(20) ≈ 5e-176). Above, the
    /// asymptotic series erfc(x) ≈ e^{−x²}/(x√π) · Σₖ (−1)ᵏ (2k−1)!!/(2x²)ᵏ (Abramowitz & Stegun
    /// 7.1.23), whose first omitted term is below 1e-18 at x = 20.
    static func logErfc(_ x: Double) -> Double {
        if x < 20 { return Double.log(Double.erfc(x)) }
        let inverseTwoXSquared = 1 / (2 * x * x)
        var term = 1.0
        var sum = 1.0
        for k in 1...8 {
            term *= -Double(2 * k - 1) * inverseTwoXSquared
            sum += term
        }
        return -x * x - Double.log(x) - 0.5 * Double.log(Double.pi) + Double.log(sum)
    }

    /// log Φ(x) for the standard normal CDF Φ(x) = erfc(−x/√2)/2.
    @inlinable
    static func logNormalCDF(_ x: Double) -> Double {
        -Double.log(2) + logErfc(-x / 2.0.squareRoot())
    }

    /// Φ(x) for the standard normal.
    @inlinable
    static func normalCDF(_ x: Double) -> Double {
        0.5 * Double.erfc(-x / 2.0.squareRoot())
    }

    /// The x with log Φ(x) = `logProbability` (x < 0), by Newton's method on log Φ.
    static func normalQuantile(logProbability target: Double) -> Double {
        var x = -(-2 * target).squareRoot()
        for _ in 0..<100 {
            let logCDF = logNormalCDF(x)
            // d/dx log Φ(x) = φ(x)/Φ(x)
            let logDensity = -0.5 * x * x - 0.5 * Double.log(2 * Double.pi)
            let step = (logCDF - target) / Double.exp(logDensity - logCDF)
            x -= step
            if abs(step) < 1e-14 * max(1, abs(x)) { break }
        }
        return x
    }
}
