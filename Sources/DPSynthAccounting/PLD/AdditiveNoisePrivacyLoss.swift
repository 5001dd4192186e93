import Numerics

/// Which neighbour is the "upper" distribution of a privacy loss (dp_accounting `AdjacencyType`).
///
/// Under add/remove-one adjacency with Poisson sampling the two directions have different loss
/// distributions (Zhu, Dong & Wang 2022); the mechanism's ε is the worse of the two.
enum Adjacency: CaseIterable {
    /// μ_upper = μ, μ_lower = (1 − q)μ + q μ(· − 1): the neighbour has one more record.
    case add
    /// μ_upper = (1 − q)μ + q μ(· + 1), μ_lower = μ: the neighbour has one record fewer.
    case remove
}

/// The privacy loss of a Poisson-sampled additive-noise mechanism on a sensitivity-1 query.
///
/// The loss at an output x is log(μ_upper(x)/μ_lower(x)); it decreases in x, so the hockey-stick
/// divergence at ε is μ_upper(X ≤ x_ε) − e^ε μ_lower(X ≤ x_ε) with x_ε the inverse loss.
/// Source: dp_accounting 0.6.0 `pld/privacy_loss_mechanism.py` (`AdditiveNoisePrivacyLoss`,
/// `GaussianPrivacyLoss`, `LaplacePrivacyLoss`).
struct AdditiveNoisePrivacyLoss {
    enum Noise {
        case gaussian(standardDeviation: Double)
        case laplace(scale: Double)
    }

    let noise: Noise
    let samplingProbability: Double
    let adjacency: Adjacency

    /// log of the noise mass dp_accounting leaves out of the Gaussian's support (−50 nats).
    static let logMassTruncationBound = -50.0

    // MARK: Noise distribution

    func noiseCDF(_ x: Double) -> Double {
        switch noise {
        case .gaussian(let sigma):
            return LogSpace.normalCDF(x / sigma)
        case .laplace(let b):
            return x < 0 ? 0.5 * Double.exp(x / b) : 1 - 0.5 * Double.exp(-x / b)
        }
    }

    func noiseLogCDF(_ x: Double) -> Double {
        switch noise {
        case .gaussian(let sigma):
            return LogSpace.logNormalCDF(x / sigma)
        case .laplace(let b):
            return x < 0 ? -Double.log(2) + x / b : Double.log(onePlus: -0.5 * Double.exp(-x / b))
        }
    }

    /// Loss without sampling for the remove direction: log(μ(x + 1)/μ(x)).
    func lossWithoutSampling(_ x: Double) -> Double {
        switch noise {
        case .gaussian(let sigma): return (-0.5 - x) / (sigma * sigma)
        case .laplace(let b): return (abs(x) - abs(x + 1)) / b
        }
    }

    /// The largest x whose loss without sampling (remove direction) is ≥ `loss`.
    func inverseLossWithoutSampling(_ loss: Double) -> Double {
        switch noise {
        case .gaussian(let sigma):
            return -0.5 - loss * sigma * sigma
        case .laplace(let b):
            if loss <= -1 / b { return .infinity }
            if loss <= 1 / b { return 0.5 * (-1 - loss * b) }
            return -.infinity
        }
    }

    // MARK: Sampled mechanism

    var muUpperCDF: (Double) -> Double {
        { x in
            switch self.adjacency {
            case .add: return self.noiseCDF(x)
            case .remove:
                let q = self.samplingProbability
                if q == 1 { return self.noiseCDF(x + 1) }
                return (1 - q) * self.noiseCDF(x) + q * self.noiseCDF(x + 1)
            }
        }
    }

    func muLowerLogCDF(_ x: Double) -> Double {
        switch adjacency {
        case .add:
            let q = samplingProbability
            if q == 1 { return noiseLogCDF(x - 1) }
            return LogSpace.add(Double.log(onePlus: -q) + noiseLogCDF(x), Double.log(q) + noiseLogCDF(x - 1))
        case .remove:
            return noiseLogCDF(x)
        }
    }

    func privacyLoss(_ x: Double) -> Double {
        switch adjacency {
        case .remove: return removeLoss(x)
        case .add: return -removeLoss(-x)
        }
    }

    /// log(1 − q + q·e^{L₀(x)}) (Balle, Barthe & Gaboardi 2018 amplification by subsampling).
    private func removeLoss(_ x: Double) -> Double {
        let loss = lossWithoutSampling(x)
        if samplingProbability == 1 { return loss }
        return LogSpace.logOf(samplingProbability, timesExp: loss, plus: 1 - samplingProbability)
    }

    /// The largest x whose loss is ≥ `loss`.
    func inversePrivacyLoss(_ loss: Double) -> Double {
        let q = samplingProbability
        switch adjacency {
        case .remove:
            if q == 1 { return inverseLossWithoutSampling(loss) }
            if isClose(loss, Double.log(onePlus: -q)) { return inverseLossWithoutSampling(-.infinity) }
            return inverseLossWithoutSampling(LogSpace.logOf(1 / q, timesExp: loss, plus: 1 - 1 / q))
        case .add:
            if q == 1 { return 1 + inverseLossWithoutSampling(loss) }
            if isClose(loss, -Double.log(onePlus: -q)) { return 1 + inverseLossWithoutSampling(.infinity) }
            return 1 + inverseLossWithoutSampling(-LogSpace.logOf(1 / q, timesExp: -loss, plus: 1 - 1 / q))
        }
    }

    private func isClose(_ a: Double, _ b: Double) -> Bool {
        abs(a - b) <= 1e-9 * max(abs(a), abs(b))
    }

    /// The hockey-stick divergence of the continuous mechanism at ε, clipped to [0, 1].
    func hockeyStick(epsilon: Double) -> Double {
        let q = samplingProbability
        if q < 1 {
            switch adjacency {
            case .add where epsilon >= -Double.log(onePlus: -q):
                return 0
            case .remove where epsilon <= Double.log(onePlus: -q):
                return min(max(-Double.expMinusOne(epsilon), 0), 1)
            default:
                break
            }
        }
        let x = inversePrivacyLoss(epsilon)
        let delta = muUpperCDF(x) - Double.exp(epsilon + muLowerLogCDF(x))
        return delta.isNaN ? 0 : min(max(delta, 0), 1)
    }

    /// The range of losses the discretisation covers: for the Gaussian, the losses at the points
    /// beyond which each tail holds ½e^{−50} of noise mass; for the Laplace, the loss's range.
    func connectDotsBounds() -> (lower: Double, upper: Double) {
        switch noise {
        case .gaussian(let sigma):
            var lowerX = sigma * LogSpace.normalQuantile(logProbability: -Double.log(2) + Self.logMassTruncationBound)
            var upperX = -lowerX
            switch adjacency {
            case .add: upperX += 1
            case .remove: lowerX -= 1
            }
            return (privacyLoss(upperX), privacyLoss(lowerX))
        case .laplace(let b):
            let q = samplingProbability
            let maximum = 1 / b
            if q == 1 { return (-maximum, maximum) }
            switch adjacency {
            case .add:
                return (-Double.log(1 - q + q * Double.exp(maximum)), -Double.log(1 - q + q * Double.exp(-maximum)))
            case .remove:
                return (Double.log(1 - q + q * Double.exp(-maximum)), Double.log(1 - q + q * Double.exp(maximum)))
            }
        }
    }

    /// Pessimistic connect-the-dots discretisation (Doroshenko, Ghazi, Kamath, Kumar & Manurangsi
    /// 2022, "Connect the Dots", Algorithm 1): the discrete distribution on {k·interval} ∪ {∞}
    /// whose hockey-stick curve passes through the mechanism's at every grid ε and lies above it
    /// in between, so every δ (and every composition) is an upper bound.
    func discretized(interval: Double) throws -> DiscretePrivacyLoss {
        let bounds = connectDotsBounds()
        try DiscretePrivacyLoss.checkGridSize((bounds.upper - bounds.lower) / interval + 2)
        let lowerIndex = Int((bounds.lower / interval).rounded(.down))
        let upperIndex = Int((bounds.upper / interval).rounded(.up))
        var deltas = (lowerIndex...upperIndex).map { hockeyStick(epsilon: Double($0) * interval) }
        for index in deltas.indices.dropFirst() { deltas[index] = min(deltas[index], deltas[index - 1]) }
        let n = deltas.count
        if n == 1 {
            return DiscretePrivacyLoss(interval: interval, lowerIndex: lowerIndex,
                                       probabilities: [1 - deltas[0]], infinityMass: deltas[0])
        }
        let expMinusOne = Double.expMinusOne(interval)
        let expInterval = Double.exp(interval)
        var probabilities = [Double](repeating: 0, count: n)
        probabilities[0] = 1 - deltas[0] + (deltas[1] - deltas[0]) / expMinusOne
        if n > 2 {
            for i in 1..<(n - 1) {
                probabilities[i] = ((deltas[i + 1] - deltas[i]) - expInterval * (deltas[i] - deltas[i - 1])) / expMinusOne
            }
        }
        probabilities[n - 1] = (deltas[n - 1] - deltas[n - 2]) / Double.expMinusOne(-interval)
        for i in probabilities.indices { probabilities[i] = max(0, probabilities[i]) }
        return DiscretePrivacyLoss(interval: interval, lowerIndex: lowerIndex,
                                   probabilities: probabilities, infinityMass: deltas[n - 1])
    }
}
