/// Minimises a smooth convex function with limited-memory BFGS (Nocedal & Wright 2006,
/// "Numerical Optimization", Algorithm 7.4 two-loop recursion, Algorithm 3.1 backtracking).
///
/// Used for the L2-regularised linear models of train-on-synthetic / test-on-real, whose
/// objectives are strongly convex: the minimiser is unique, so running to a tight gradient
/// tolerance gives the same answer as any other exact solver (scikit-learn's lbfgs included,
/// up to its own tolerance). Deterministic: no randomness, fixed arithmetic order.
struct LimitedMemoryBFGS {
    var memory = 10
    var maximumIterations = 5_000
    /// Stop when the largest gradient component is below this.
    var gradientTolerance = 1e-9

    /// `objective(x, &gradient)` returns f(x) and writes ∇f(x) into `gradient`.
    func minimize(from start: [Double], objective: ([Double], inout [Double]) -> Double) -> [Double] {
        let dimension = start.count
        var x = start
        var gradient = [Double](repeating: 0, count: dimension)
        var value = objective(x, &gradient)
        var steps: [[Double]] = []          // s_k = x_{k+1} − x_k
        var gradientChanges: [[Double]] = [] // y_k = g_{k+1} − g_k
        var curvatures: [Double] = []        // 1 / (y_kᵀ s_k)
        var nextGradient = gradient
        for iteration in 0..<maximumIterations {
            if gradient.reduce(0, { Swift.max($0, Swift.abs($1)) }) < gradientTolerance { break }
            // Two-loop recursion: direction = −H_k g.
            var direction = gradient
            var alphas = [Double](repeating: 0, count: steps.count)
            for k in steps.indices.reversed() {
                alphas[k] = curvatures[k] * dot(steps[k], direction)
                axpy(-alphas[k], gradientChanges[k], &direction)
            }
            if let last = steps.indices.last {
                let scale = dot(steps[last], gradientChanges[last]) / dot(gradientChanges[last], gradientChanges[last])
                for i in direction.indices { direction[i] *= scale }
            } else {
                let norm = dot(gradient, gradient).squareRoot()
                for i in direction.indices { direction[i] /= Swift.max(norm, 1) }
            }
            for k in steps.indices {
                let beta = curvatures[k] * dot(gradientChanges[k], direction)
                axpy(alphas[k] - beta, steps[k], &direction)
            }
            for i in direction.indices { direction[i] = -direction[i] }
            var slope = dot(gradient, direction)
            if slope >= 0 { // Not a descent direction (numerical trouble): restart from −g.
                steps.removeAll(); gradientChanges.removeAll(); curvatures.removeAll()
                direction = gradient.map { -$0 }
                slope = dot(gradient, direction)
            }
            // Backtracking line search with the Armijo condition.
            var stepLength = 1.0
            var candidate = x
            var candidateValue = value
            var accepted = false
            for _ in 0..<60 {
                for i in 0..<dimension { candidate[i] = x[i] + stepLength * direction[i] }
                candidateValue = objective(candidate, &nextGradient)
                if candidateValue <= value + 1e-4 * stepLength * slope { accepted = true; break }
                stepLength *= 0.5
            }
            guard accepted else { break }
            var step = [Double](repeating: 0, count: dimension)
            var change = [Double](repeating: 0, count: dimension)
            for i in 0..<dimension {
                step[i] = candidate[i] - x[i]
                change[i] = nextGradient[i] - gradient[i]
            }
            let curvature = dot(step, change)
            let previousValue = value
            x = candidate
            value = candidateValue
            gradient = nextGradient
            if curvature > 1e-300 {
                steps.append(step); gradientChanges.append(change); curvatures.append(1 / curvature)
                if steps.count > memory {
                    steps.removeFirst(); gradientChanges.removeFirst(); curvatures.removeFirst()
                }
            }
            if iteration > 0 && Swift.abs(previousValue - value) <= 1e-15 * Swift.max(1, Swift.abs(value)) { break }
        }
        return x
    }
}

@inline(__always)
func dot(_ a: [Double], _ b: [Double]) -> Double {
    var sum = 0.0
    for i in a.indices { sum += a[i] * b[i] }
    return sum
}

@inline(__always)
func axpy(_ alpha: Double, _ x: [Double], _ y: inout [Double]) {
    for i in x.indices { y[i] += alpha * x[i] }
}
