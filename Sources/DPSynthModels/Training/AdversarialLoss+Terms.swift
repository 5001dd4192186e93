import DPSynthEngine

/// Per-row loss terms of each objective, written on the discriminator's logit d.
///
/// Per row, because DP-SGD clips each real row's gradient on its own: the discriminator's loss
/// is Σ_rows term(row), never a mean computed before the per-example walk.
extension AdversarialLoss {
    /// The discriminator's term for rows it should call real: [rows] → [rows].
    func discriminatorTermForReal(_ d: Tensor) -> Tensor {
        switch self {
        case .nonSaturating, .minimax: return softplus(-d)              // −log σ(d)
        case .leastSquares: return (d - 1).squared() * 0.5
        case .wasserstein, .wassersteinGradientPenalty: return -d
        case .hinge: return relu(1 - d)
        }
    }

    /// The discriminator's term for rows it should call fake: [rows] → [rows].
    func discriminatorTermForFake(_ d: Tensor) -> Tensor {
        switch self {
        case .nonSaturating, .minimax: return softplus(d)               // −log(1 − σ(d))
        case .leastSquares: return d.squared() * 0.5
        case .wasserstein, .wassersteinGradientPenalty: return d
        case .hinge: return relu(1 + d)
        }
    }

    /// The generator's term on its own rows' logits: [rows] → [rows].
    func generatorTerm(_ d: Tensor) -> Tensor {
        switch self {
        case .nonSaturating: return softplus(-d)                        // −log σ(d)
        case .minimax: return -softplus(d)                              // log(1 − σ(d))
        case .leastSquares: return (d - 1).squared() * 0.5
        case .wasserstein, .wassersteinGradientPenalty, .hinge: return -d
        }
    }

    /// True for the objectives whose critic must stay Lipschitz by weight clipping.
    var clipsWeights: Bool { self == .wasserstein }
    /// True for the objective that needs double backprop and is refused under DP.
    var needsGradientPenalty: Bool { self == .wassersteinGradientPenalty }
}
