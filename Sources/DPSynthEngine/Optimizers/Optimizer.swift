/// Updates parameters from gradients computed elsewhere (plain backprop, or the DP-SGD step's
/// clipped and noised sums: for DP the optimizer is post-processing of the noised gradient).
public protocol Optimizer: AnyObject {
    var parameters: [Parameter] { get }
    /// The base learning rate; the schedule multiplies it.
    var learningRate: Float { get set }
    var schedule: LearningRateSchedule { get set }
    /// Steps taken so far.
    var stepCount: Int { get }
    /// Applies one update; `gradients` are in `parameters` order and shape.
    func step(gradients: [Tensor])
}

extension Optimizer {
    /// The learning rate the next step will use.
    public var currentLearningRate: Float { learningRate * schedule.factor(atStep: stepCount) }

    func checkGradients(_ gradients: [Tensor]) {
        precondition(gradients.count == parameters.count,
                     "\(gradients.count) gradients for \(parameters.count) parameters")
        for (parameter, gradient) in zip(parameters, gradients) {
            precondition(parameter.shape == gradient.shape,
                         "gradient of \(parameter.name) has shape \(gradient.shape), parameter \(parameter.shape)")
        }
    }
}

/// Stochastic gradient descent with optional momentum (heavy ball, PyTorch's form: v ← μv + g,
/// θ ← θ − ηv) and L2 weight decay added to the gradient.
public final class SGD: Optimizer {
    public let parameters: [Parameter]
    public var learningRate: Float
    public var schedule: LearningRateSchedule = .constant
    public let momentum: Float
    public let weightDecay: Float
    public private(set) var stepCount = 0
    private var velocities: [[Float]]

    public init(parameters: [Parameter], learningRate: Float, momentum: Float = 0, weightDecay: Float = 0) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.momentum = momentum
        self.weightDecay = weightDecay
        velocities = parameters.map { [Float](repeating: 0, count: momentum == 0 ? 0 : $0.count) }
    }

    public func step(gradients: [Tensor]) {
        checkGradients(gradients)
        let rate = currentLearningRate, momentum = momentum, decay = weightDecay
        for index in parameters.indices {
            gradients[index].withUnsafeBufferPointer { g in
                velocities[index].withUnsafeMutableBufferPointer { v in
                    parameters[index].update { theta in
                        for i in theta.indices {
                            var gradient = g[i] + decay * theta[i]
                            if momentum != 0 { v[i] = momentum * v[i] + gradient; gradient = v[i] }
                            theta[i] -= rate * gradient
                        }
                    }
                }
            }
        }
        stepCount += 1
    }
}

/// Adam (Kingma & Ba 2015, Algorithm 1) and AdamW (Loshchilov & Hutter 2019, Algorithm 2):
/// with `decoupledWeightDecay` the decay multiplies θ directly instead of entering the moments.
public final class Adam: Optimizer {
    public let parameters: [Parameter]
    public var learningRate: Float
    public var schedule: LearningRateSchedule = .constant
    public let beta1: Float, beta2: Float, epsilon: Float
    public let weightDecay: Float
    public let decoupledWeightDecay: Bool
    public private(set) var stepCount = 0
    private var firstMoments: [[Float]]
    private var secondMoments: [[Float]]

    public init(parameters: [Parameter], learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
                epsilon: Float = 1e-8, weightDecay: Float = 0, decoupledWeightDecay: Bool = false) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.decoupledWeightDecay = decoupledWeightDecay
        firstMoments = parameters.map { [Float](repeating: 0, count: $0.count) }
        secondMoments = firstMoments
    }

    /// AdamW: Adam with decoupled weight decay (default decay 0.01, as in PyTorch).
    public static func adamW(parameters: [Parameter], learningRate: Float = 1e-3, weightDecay: Float = 0.01,
                             beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8) -> Adam {
        Adam(parameters: parameters, learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
             weightDecay: weightDecay, decoupledWeightDecay: true)
    }

    public func step(gradients: [Tensor]) {
        checkGradients(gradients)
        let rate = currentLearningRate
        let t = Float(stepCount + 1)
        let correction1 = 1 - powf(beta1, t), correction2 = 1 - powf(beta2, t)
        // θ ← θ − η·m̂/(√v̂ + ε) with m̂ = m/c1, v̂ = v/c2, folded into one step size.
        let stepSize = rate / correction1, inverseRootCorrection = 1 / correction2.squareRoot()
        for index in parameters.indices {
            var gradient = gradients[index]
            if weightDecay != 0 {
                let current = parameters[index].value.detached()
                if decoupledWeightDecay {
                    // AdamW: θ ← θ − η·λ·θ, apart from the moments.
                    let factor = 1 - rate * weightDecay
                    parameters[index].update { theta in for i in theta.indices { theta[i] *= factor } }
                } else {
                    gradient = withoutGradients { gradient.detached() + current * weightDecay }
                }
            }
            gradient.withUnsafeBufferPointer { g in
                firstMoments[index].withUnsafeMutableBufferPointer { m in
                    secondMoments[index].withUnsafeMutableBufferPointer { v in
                        parameters[index].update { theta in
                            guard let t = theta.baseAddress, let gp = g.baseAddress, let mp = m.baseAddress,
                                  let vp = v.baseAddress else { return }
                            Kernels.adamUpdate(parameters: t, gradients: gp, firstMoments: mp, secondMoments: vp,
                                               count: theta.count, beta1: beta1, beta2: beta2, stepSize: stepSize,
                                               inverseRootCorrection: inverseRootCorrection, epsilon: epsilon)
                        }
                    }
                }
            }
        }
        stepCount += 1
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
