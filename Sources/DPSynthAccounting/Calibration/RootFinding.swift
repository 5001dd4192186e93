/// Brent's method for a decreasing function with a sign change on [lower, upper]
/// (Brent 1973, "Algorithms for Minimization without Derivatives", ch. 4): inverse quadratic
/// interpolation or secant steps where they stay inside the bracket, bisection otherwise.
enum RootFinding {
    /// Returns the end of the final bracket where f ≤ 0 (for a decreasing f: the side at or past
    /// the root), once the bracket is narrower than `relativeTolerance`·|upper|.
    static func brent(lower: Double, upper: Double, valueAtLower: Double, valueAtUpper: Double,
                      relativeTolerance: Double, _ f: (Double) throws -> Double) throws -> Double {
        precondition(valueAtLower > 0 && valueAtUpper <= 0, "Brent needs f(lower) > 0 ≥ f(upper)")
        var a = lower, fa = valueAtLower
        var b = upper, fb = valueAtUpper
        var c = a, fc = fa
        var d = b - a, e = d
        for _ in 0..<200 {
            if (fb > 0) == (fc > 0) {
                c = a; fc = fa; d = b - a; e = d
            }
            if abs(fc) < abs(fb) {
                a = b; b = c; c = a
                fa = fb; fb = fc; fc = fa
            }
            let tolerance = 0.5 * relativeTolerance * abs(b)
            let middle = 0.5 * (c - b)
            if abs(middle) <= tolerance || fb == 0 {
                break
            }
            if abs(e) >= tolerance && abs(fa) > abs(fb) {
                var p: Double, q: Double
                let s = fb / fa
                if a == c {
                    p = 2 * middle * s
                    q = 1 - s
                } else {
                    let qa = fa / fc, r = fb / fc
                    p = s * (2 * middle * qa * (qa - r) - (b - a) * (r - 1))
                    q = (qa - 1) * (r - 1) * (s - 1)
                }
                if p > 0 { q = -q } else { p = -p }
                if 2 * p < min(3 * middle * q - abs(tolerance * q), abs(e * q)) {
                    e = d
                    d = p / q
                } else {
                    d = middle; e = d
                }
            } else {
                d = middle; e = d
            }
            a = b; fa = fb
            b += abs(d) > tolerance ? d : (middle > 0 ? tolerance : -tolerance)
            fb = try f(b)
        }
        // b and c bracket the root; return the one with f ≤ 0.
        if fb <= 0 { return b }
        return c
    }
}
