import Numerics

/// A privacy loss distribution discretised on the grid {k·interval}: probabilities of the finite
/// losses plus the mass at +∞ (outcomes that only one of the two neighbouring datasets can produce).
///
/// The hockey-stick divergence δ(ε) = P[L = ∞] + E[(1 − e^{ε−L})₊] of this distribution is the δ
/// at which the mechanism is (ε, δ)-DP (Meiser & Mohammadi 2018; Koskela, Jälkö & Honkela 2020).
/// Composition of mechanisms is convolution of their loss distributions, computed by FFT.
///
/// Mirrors dp_accounting 0.6.0 `pld/pld_pmf.py` (`DensePLDPmf`): tails of at most
/// `tailMassTruncation` are cut after each composition, the left tail folded into the smallest
/// kept loss and the right tail moved to +∞, so every cut only increases δ.
public struct DiscretePrivacyLoss: Sendable {
    /// Grid step of the losses (nats).
    public let interval: Double
    /// The loss of `probabilities[0]`, in grid steps.
    public private(set) var lowerIndex: Int
    /// P[L = (lowerIndex + k)·interval] for k = 0, 1, …
    public private(set) var probabilities: [Double]
    /// Probability of an infinite privacy loss.
    public private(set) var infinityMass: Double

    /// Tail mass dp_accounting cuts at each composition.
    public static let defaultTailMassTruncation = 1e-15

    /// Largest loss grid the accountant builds (2²⁴ points: 128 MiB per array, a few arrays in
    /// flight during an FFT). Larger grids mean per-step losses of hundreds of nats, where RDP is
    /// the practical accountant anyway.
    public static let maximumGridPoints = 1 << 24

    static func checkGridSize(_ points: Double) throws {
        guard points <= Double(maximumGridPoints) else {
            throw AccountingError.lossGridTooLarge(points: points.isFinite ? Int(points) : Int.max,
                                                   limit: maximumGridPoints)
        }
    }

    /// A distribution from its grid probabilities (they and `infinityMass` should sum to 1).
    public init(interval: Double, lowerIndex: Int, probabilities: [Double], infinityMass: Double) {
        self.interval = interval
        self.lowerIndex = lowerIndex
        self.probabilities = probabilities
        self.infinityMass = infinityMass
    }

    /// The loss distribution of a mechanism that reveals nothing: L = 0.
    public static func identity(interval: Double) -> DiscretePrivacyLoss {
        DiscretePrivacyLoss(interval: interval, lowerIndex: 0, probabilities: [1], infinityMass: 0)
    }

    /// The loss distribution of a mechanism that reveals everything: L = ∞.
    public static func nonPrivate(interval: Double) -> DiscretePrivacyLoss {
        DiscretePrivacyLoss(interval: interval, lowerIndex: 0, probabilities: [0], infinityMass: 1)
    }

    // MARK: Composition

    /// The distribution of the sum of independent losses drawn from `self` and `other`.
    public func composed(with other: DiscretePrivacyLoss,
                         tailMassTruncation: Double = defaultTailMassTruncation) throws -> DiscretePrivacyLoss {
        precondition(interval == other.interval, "cannot compose losses discretised at \(interval) and \(other.interval)")
        try Self.checkGridSize(Double(probabilities.count + other.probabilities.count))
        let convolution = Self.convolve(probabilities, other.probabilities)
        let infinity = infinityMass + other.infinityMass - infinityMass * other.infinityMass
        return Self.truncatingTails(interval: interval, lowerIndex: lowerIndex + other.lowerIndex,
                                    probabilities: convolution, infinityMass: infinity,
                                    tailMassTruncation: tailMassTruncation)
    }

    /// `self` composed with itself `count` times, by raising its Fourier transform to the power
    /// `count`. The output window is chosen by a Chernoff bound so that at most
    /// `tailMassTruncation` of mass falls outside it; that mass is added to +∞
    /// (dp_accounting `pld/common.py` `compute_self_convolve_bounds`, `self_convolve`).
    public func selfComposed(_ count: Int,
                             tailMassTruncation: Double = defaultTailMassTruncation) throws -> DiscretePrivacyLoss {
        precondition(count >= 1, "self-composition count must be ≥ 1, found \(count)")
        if count == 1 { return self }
        let infinity = tailMassTruncation - Double.expMinusOne(Double(count) * Double.log(onePlus: -infinityMass))
        let n = probabilities.count
        if n == 1 {
            return DiscretePrivacyLoss(interval: interval, lowerIndex: lowerIndex * count,
                                       probabilities: [Double.pow(probabilities[0], count)],
                                       infinityMass: min(1, infinity))
        }
        let (lowerBound, upperBound) = selfConvolutionBounds(count: count, tailMassTruncation: tailMassTruncation)
        let outputCount = upperBound - lowerBound + 1
        try Self.checkGridSize(Double(outputCount))
        let fft = RealFFT(count: RealFFT.length(atLeast: max(outputCount, n)))
        var (real, imaginary) = fft.forward(probabilities)
        for index in real.indices {
            (real[index], imaginary[index]) = Self.power(real[index], imaginary[index], count)
        }
        let composed = fft.inverse(real: real, imaginary: imaginary)
        // The transform wraps around modulo its length: read the window [lowerBound, upperBound].
        var output = [Double](repeating: 0, count: outputCount)
        for k in 0..<outputCount { output[k] = composed[(k + lowerBound) % fft.count] }
        return DiscretePrivacyLoss(interval: interval, lowerIndex: lowerIndex * count + lowerBound,
                                   probabilities: output, infinityMass: min(1, infinity))
    }

    /// Indices [lower, upper] (relative to `count`·lowerIndex) outside which the `count`-fold
    /// convolution holds at most `tailMassTruncation`: P[S ≥ u] ≤ e^{count·log M(t) − t·u} for
    /// t > 0 (and symmetrically below), at t ∈ ±{1…20}/n.
    private func selfConvolutionBounds(count: Int, tailMassTruncation: Double) -> (Int, Int) {
        let n = probabilities.count
        var upper = (n - 1) * count
        var lower = 0
        guard tailMassTruncation > 0 else { return (lower, upper) }
        let logTwoOverTail = Double.log(2 / tailMassTruncation)
        for step in Array(-20...(-1)) + Array(1...20) {
            let order = Double(step) / Double(n)
            let shift = order > 0 ? Double(n - 1) * order : 0
            // Σ p_i e^{i·order − shift}; the exponentials by recurrence, re-anchored every 1024 terms.
            let ratio = Double.exp(order)
            var sum = 0.0
            var factor = 1.0
            for (index, p) in probabilities.enumerated() {
                if index & 1023 == 0 { factor = Double.exp(Double(index) * order - shift) }
                sum += p * factor
                factor *= ratio
            }
            let logMGF = Double.log(sum) + shift
            let bound = (Double(count) * logMGF + logTwoOverTail) / order
            guard bound.isFinite else { continue }
            if order > 0 {
                upper = min(upper, Int(bound.rounded(.up)))
            } else {
                lower = max(lower, Int(bound.rounded(.down)))
            }
        }
        return (lower, max(upper, lower))
    }

    /// (a + ib)^k by repeated squaring.
    private static func power(_ a: Double, _ b: Double, _ k: Int) -> (Double, Double) {
        var resultReal = 1.0, resultImaginary = 0.0
        var baseReal = a, baseImaginary = b
        var exponent = k
        while exponent > 0 {
            if exponent & 1 == 1 {
                (resultReal, resultImaginary) = (resultReal * baseReal - resultImaginary * baseImaginary,
                                                 resultReal * baseImaginary + resultImaginary * baseReal)
            }
            exponent >>= 1
            if exponent > 0 {
                (baseReal, baseImaginary) = (baseReal * baseReal - baseImaginary * baseImaginary,
                                             2 * baseReal * baseImaginary)
            }
        }
        return (resultReal, resultImaginary)
    }

    /// Linear convolution: direct for short inputs, FFT otherwise.
    static func convolve(_ x: [Double], _ y: [Double]) -> [Double] {
        let outputCount = x.count + y.count - 1
        if min(x.count, y.count) <= 32 {
            var output = [Double](repeating: 0, count: outputCount)
            for (i, xi) in x.enumerated() where xi != 0 {
                for (j, yj) in y.enumerated() { output[i + j] += xi * yj }
            }
            return output
        }
        let fft = RealFFT(count: RealFFT.length(atLeast: outputCount))
        var (xr, xi) = fft.forward(x)
        let (yr, yi) = fft.forward(y)
        for k in xr.indices {
            (xr[k], xi[k]) = (xr[k] * yr[k] - xi[k] * yi[k], xr[k] * yi[k] + xi[k] * yr[k])
        }
        return Array(fft.inverse(real: xr, imaginary: xi)[0..<outputCount])
    }

    /// Cuts the longest prefix and suffix each holding ≤ tailMassTruncation/2: the prefix mass is
    /// added to the first kept loss (rounded up) and the suffix mass to +∞ (pessimistic).
    static func truncatingTails(interval: Double, lowerIndex: Int, probabilities: [Double],
                                infinityMass: Double, tailMassTruncation: Double) -> DiscretePrivacyLoss {
        guard tailMassTruncation > 0, !probabilities.isEmpty else {
            return DiscretePrivacyLoss(interval: interval, lowerIndex: lowerIndex,
                                       probabilities: probabilities, infinityMass: infinityMass)
        }
        let threshold = tailMassTruncation / 2
        func prefixLength<C: Collection>(_ values: C) -> Int where C.Element == Double {
            var sum = 0.0
            var length = 0
            for value in values {
                sum += value
                if sum > threshold { return length }
                length += 1
            }
            return length
        }
        let left = prefixLength(probabilities)
        let right = max(probabilities.count - prefixLength(probabilities.reversed()), left + 1)
        let leftMass = probabilities[..<left].reduce(0, +)
        let rightMass = right < probabilities.count ? probabilities[right...].reduce(0, +) : 0
        var kept = Array(probabilities[left..<min(right, probabilities.count)])
        if kept.isEmpty { kept = [0] }
        kept[0] += leftMass
        return DiscretePrivacyLoss(interval: interval, lowerIndex: lowerIndex + left,
                                   probabilities: kept, infinityMass: infinityMass + rightMass)
    }

    // MARK: (ε, δ)

    /// The hockey-stick divergence δ(ε) = P[L = ∞] + Σ_{L > ε} (1 − e^{ε−L}) P[L].
    public func delta(forEpsilon epsilon: Double) -> Double {
        var delta = infinityMass
        for (index, p) in probabilities.enumerated() {
            let loss = Double(lowerIndex + index) * interval
            if loss > epsilon { delta += -Double.expMinusOne(epsilon - loss) * p }
        }
        return min(max(delta, 0), 1)
    }

    /// The smallest ε ≥ 0 with δ(ε) ≤ `delta` (+∞ if the infinite-loss mass alone exceeds δ).
    ///
    /// Walks the losses from the largest down, accumulating the upper mass P[L ≥ ℓ] and the lower
    /// mass E[e^{−L}; L ≥ ℓ]; δ(ε) = upper − e^ε·lower on the segment, solved for ε
    /// (dp_accounting `pld_pmf.py` `_get_epsilon_for_delta`).
    public func epsilon(forDelta delta: Double) -> Double {
        if infinityMass > delta { return .infinity }
        var upperMass = infinityMass, lowerMass = 0.0
        for index in stride(from: probabilities.count - 1, through: 0, by: -1) {
            let loss = Double(lowerIndex + index) * interval
            if upperMass > delta, lowerMass > 0, Double.log((upperMass - delta) / lowerMass) >= loss { break }
            let p = probabilities[index]
            upperMass += p
            lowerMass += Double.exp(-loss) * p
            if upperMass >= delta, lowerMass == 0 { return max(0, loss) }
        }
        if upperMass <= lowerMass + delta { return 0 }
        return Double.log((upperMass - delta) / lowerMass)
    }
}
