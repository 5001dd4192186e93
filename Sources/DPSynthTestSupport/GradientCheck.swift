import DPSynthEngine
import DPSynthRandom

/// Finite-difference checks of the engine's gradients (tinygrad's `helper_test_op` idea: one
/// helper that checks any op on seeded inputs).
///
/// A check projects the op's output on fixed random weights w (so f(x) = Σ w ⊙ op(x) is a
/// scalar that exercises every output element) and compares the analytic directional derivative
/// ⟨∇f(x), u⟩ along a seeded random direction u with the central difference
/// D(h) = (f(x + hu) − f(x − hu)) / 2h, extrapolated (Richardson) as (4·D(h) − D(2h))/3 so that
/// the truncation error is O(h⁴). Float arithmetic limits the accuracy to about ε_float·|f|/h,
/// hence the default h = 1e-2 and tolerances |analytic − numeric| ≤ 2e-3 + 2e-3·|numeric|.
public struct GradientCheck {
    public var step: Float = 1e-2
    public var absoluteTolerance: Double = 2e-3
    public var relativeTolerance: Double = 2e-3
    public let random: SeededGenerator

    public init(seed: UInt64 = 1, step: Float = 1e-2, absoluteTolerance: Double = 2e-3, relativeTolerance: Double = 2e-3) {
        random = SeededGenerator(seed: seed)
        self.step = step
        self.absoluteTolerance = absoluteTolerance
        self.relativeTolerance = relativeTolerance
    }

    /// The outcome of one comparison.
    public struct Report: CustomStringConvertible {
        public let analytic: Double
        public let numeric: Double
        public let tolerance: Double
        public var passes: Bool { analytic.isFinite && numeric.isFinite && Swift.abs(analytic - numeric) <= tolerance }
        public var description: String {
            "analytic \(analytic), numeric \(numeric), difference \(Swift.abs(analytic - numeric)), tolerance \(tolerance)"
        }
    }

    /// A tensor of `shape` with entries drawn uniformly from `range`, kept at least `margin`
    /// away from 0 in magnitude when `margin` > 0 (for ops with a kink at 0).
    public func input(_ shape: [Int], range: ClosedRange<Float> = -2...2, margin: Float = 0) -> Tensor {
        var scalars = [Float](repeating: 0, count: shape.reduce(1, *))
        for i in scalars.indices {
            var value: Float
            repeat {
                value = range.lowerBound + (range.upperBound - range.lowerBound) * Float(random.nextUnitDouble())
            } while Swift.abs(value) < margin
            scalars[i] = value
        }
        return Tensor(shape: shape, scalars: scalars)
    }

    func gaussian(_ shape: [Int]) -> Tensor {
        Tensor(shape: shape, scalars: random.gaussianFloats(count: shape.reduce(1, *)))
    }

    /// f(x) = Σ w ⊙ op(x) in Double from the Float output.
    private func projected(_ output: Tensor, _ weights: Tensor) -> Double {
        zip(output.scalars, weights.scalars).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
    }

    /// (4·D(h) − D(2h))/3 with D(h) = (f(h) − f(−h))/2h, for f evaluated along a direction.
    private func extrapolatedDifference(_ f: (Float) -> Double) -> Double {
        let h = step
        let near = (f(h) - f(-h)) / (2 * Double(h))
        let far = (f(2 * h) - f(-2 * h)) / (4 * Double(h))
        return (4 * near - far) / 3
    }

    /// First-order check of `op` at `inputs`.
    public func firstOrder(_ inputs: [Tensor], _ op: ([Tensor]) -> Tensor) -> Report {
        let variables = inputs.map { $0.requiringGradient() }
        let output = op(variables)
        let weights = gaussian(output.shape)
        let grads = gradients(of: (output * weights).sum(), withRespectTo: variables)
        let directions = inputs.map { gaussian($0.shape) }
        var analytic = 0.0
        for (gradient, direction) in zip(grads, directions) {
            analytic += zip(gradient.scalars, direction.scalars).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        }
        let numeric = extrapolatedDifference { h in
            withoutGradients { projected(op(zip(inputs, directions).map { $0 + $1 * h }), weights) }
        }
        return Report(analytic: analytic, numeric: numeric,
                      tolerance: absoluteTolerance + relativeTolerance * Swift.abs(numeric))
    }

    /// Second-order check, as gradient penalties use it: with f(x) = Σ w ⊙ op(x), the penalty
    /// P(x) = ‖∇f(x)‖² is differentiated through the gradient graph (`createGraph: true`), and
    /// its directional derivative compared with central differences of P.
    public func secondOrder(_ inputs: [Tensor], _ op: ([Tensor]) -> Tensor) -> Report {
        let weightsShape = withoutGradients { op(inputs).shape }
        let weights = gaussian(weightsShape)
        func penalty(_ values: [Tensor], createGraph: Bool) -> (Tensor, [Tensor]) {
            let variables = values.map { $0.requiringGradient() }
            let grads = gradients(of: (op(variables) * weights).sum(), withRespectTo: variables, createGraph: createGraph)
            var total = Tensor(0)
            for gradient in grads { total = total + gradient.squared().sum() }
            return (total, variables)
        }
        let (value, variables) = penalty(inputs, createGraph: true)
        let grads = gradients(of: value, withRespectTo: variables)
        let directions = inputs.map { gaussian($0.shape) }
        var analytic = 0.0
        for (gradient, direction) in zip(grads, directions) {
            analytic += zip(gradient.scalars, direction.scalars).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        }
        let numeric = extrapolatedDifference { h in
            Double(penalty(zip(inputs, directions).map { ($0 + $1 * h).detached() }, createGraph: false).0.scalar)
        }
        return Report(analytic: analytic, numeric: numeric,
                      tolerance: absoluteTolerance + relativeTolerance * Swift.abs(numeric))
    }
}

/// Relative difference of two arrays: max |a − b| / max(max |b|, floor).
public func maximumRelativeDifference(_ a: [Float], _ b: [Float], floor: Double = 1e-6) -> Double {
    precondition(a.count == b.count, "arrays of \(a.count) and \(b.count) values")
    var difference = 0.0, scale = floor
    for (x, y) in zip(a, b) {
        difference = Swift.max(difference, Swift.abs(Double(x) - Double(y)))
        scale = Swift.max(scale, Swift.abs(Double(y)))
    }
    return difference / scale
}
