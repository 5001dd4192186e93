/// Per-example gradient norms and weighted gradient sums from ONE backward pass: the core of
/// DP-SGD (clip each example's gradient, sum) without B gradient copies.
///
/// The losses are a vector with one entry per example; the rows of every activation belong to
/// examples in order (row r of an activation with B·T rows belongs to example r / T, so
/// sequence-shaped inputs work). The walk seeds every loss with 1: because examples do not
/// interact (no batch statistics), the gradient reaching row r is that of its own example's loss.
///
/// - `linear` keeps its input a and receives the output gradient g. One row per example:
///   ‖∇W_i‖² + ‖∇b_i‖² = ‖g_i‖²(‖a_i‖² + 1) (Goodfellow 2015, "Efficient per-example gradient
///   computations"). T rows per example: ‖A_iᵀG_i‖² = ⟨A_iA_iᵀ, G_iG_iᵀ⟩ (Li et al. 2021, "Large
///   language models can be strong differentially private learners", ghost clipping) or the
///   materialised product, whichever costs fewer flops.
/// - `embedding`: ‖∇E_i‖² = Σ_{t,s} [k_t = k_s] ⟨g_t, g_s⟩.
/// - Parameters broadcast by elementwise ops (LayerNorm's gain and offset) get exact per-example
///   gradients [B, P] from the unreduced gradient (cheap: P is small).
/// - Anything else is refused with `PerExampleGradientError.unsupportedOperations`: use
///   `byBatchOfOne` for such models.
///
/// `weightedSum(weights:)` then forms Σ_i c_i ∇_i with one GEMM per linear layer, aᵀ·(c ⊙ g),
/// reusing the stored a and g: no second forward or backward pass (Bu et al. 2023, "Differentially
/// private optimization on large model at small cost", book-keeping).
public final class PerExampleGradients {
    public let parameters: [Parameter]
    /// B.
    public let exampleCount: Int
    /// ‖∇_p loss_i‖² for each parameter p (outer index, in `parameters` order) and example i.
    public let squaredNormsByParameter: [[Double]]
    private var contributions: [[PerExampleContribution]]

    /// Runs the per-example backward walk from `losses` ([B] or [B, 1]).
    public convenience init(of losses: Tensor, withRespectTo parameters: [Parameter]) throws {
        guard losses.rank == 1 || (losses.rank == 2 && losses.shape[1] == 1) else {
            throw PerExampleGradientError.notPerExampleLosses(shape: losses.shape)
        }
        let exampleCount = losses.shape[0]
        let collector = PerExampleCollector(exampleCount: exampleCount)
        var walk = BackwardWalk(output: losses, targets: parameters.map(\.node))
        _ = withoutGradients { walk.run(seed: Tensor(repeating: 1, shape: losses.shape), collector: collector) }
        guard collector.unsupported.isEmpty else {
            throw PerExampleGradientError.unsupportedOperations(Array(Set(collector.unsupported)).sorted())
        }
        let perParameter = parameters.map { collector.contributions[ObjectIdentifier($0.node)] ?? [] }
        self.init(parameters: parameters, exampleCount: exampleCount, contributions: perParameter)
    }

    init(parameters: [Parameter], exampleCount: Int, contributions perParameter: [[PerExampleContribution]]) {
        self.parameters = parameters
        self.exampleCount = exampleCount
        // A parameter reached by several ops: norms of sums are not sums of norms, so its
        // contributions are materialised and added before taking the norm.
        contributions = zip(parameters, perParameter).map { parameter, list in
            guard list.count > 1 else { return list }
            var total = Tensor(zeros: [exampleCount] + parameter.shape)
            for contribution in list {
                let materialized = contribution.materialized(exampleCount: exampleCount, parameterShape: parameter.shape)
                total = total.adding(materialized, inPlace: true)
            }
            return [.materialized(total)]
        }
        squaredNormsByParameter = contributions.map { list in
            list.first?.squaredNorms(exampleCount: exampleCount) ?? [Double](repeating: 0, count: exampleCount)
        }
    }

    /// ‖∇ loss_i‖² over all parameters, for each example.
    public var squaredNorms: [Double] {
        var total = [Double](repeating: 0, count: exampleCount)
        for norms in squaredNormsByParameter { for i in 0..<exampleCount { total[i] += norms[i] } }
        return total
    }

    /// Σ_i weights[i] · ∇_p loss_i for every parameter p (in `parameters` order).
    public func weightedSum(weights: [Float]) -> [Tensor] {
        weightedSum(weightsByParameter: [[Float]](repeating: weights, count: parameters.count))
    }

    /// Σ_i weights[p][i] · ∇_p loss_i, with each parameter's own weights (per-layer clipping).
    public func weightedSum(weightsByParameter: [[Float]]) -> [Tensor] {
        precondition(weightsByParameter.count == parameters.count, "one weight vector per parameter")
        return zip(parameters.indices, weightsByParameter).map { index, weights in
            precondition(weights.count == exampleCount, "\(weights.count) weights for \(exampleCount) examples")
            // The first contribution overwrites the uninitialised result (GEMM with β = 0).
            let result = Tensor(uninitializedShape: parameters[index].shape)
            if contributions[index].isEmpty { result.storage.pointer.update(repeating: 0, count: result.count) }
            for (position, contribution) in contributions[index].enumerated() {
                contribution.accumulateWeightedSum(weights: weights, exampleCount: exampleCount, into: result.storage.pointer,
                                                   count: result.count, accumulate: position > 0)
            }
            return result
        }
    }

    /// Per-example gradients of one parameter, [B] + shape (materialised: for tests and audits).
    public func perExampleGradients(ofParameterAt index: Int) -> Tensor {
        var total = Tensor(zeros: [exampleCount] + parameters[index].shape)
        for contribution in contributions[index] {
            total = total.adding(contribution.materialized(exampleCount: exampleCount, parameterShape: parameters[index].shape),
                                 inPlace: true)
        }
        return total
    }

    /// The generic fallback for models with ops that have no per-example rule: B separate
    /// backward passes, one per example, each gradient materialised. Exact for any model, B
    /// times slower. `loss(i)` must return example i's scalar loss.
    public static func byBatchOfOne(exampleCount: Int, parameters: [Parameter],
                                    loss: (Int) throws -> Tensor) rethrows -> PerExampleGradients {
        let stacked = parameters.map { Tensor(zeros: [exampleCount] + $0.shape) }
        for example in 0..<exampleCount {
            let value = try loss(example)
            let grads = gradients(of: value.sum(), withRespectTo: parameters)
            for (target, gradient) in zip(stacked, grads) {
                let width = gradient.count
                (target.storage.pointer + example * width).update(from: gradient.storage.pointer, count: width)
            }
        }
        return PerExampleGradients(parameters: parameters, exampleCount: exampleCount,
                                   contributions: stacked.map { [.materialized($0)] })
    }
}

/// Why per-example gradients could not be computed in one pass.
public enum PerExampleGradientError: Error, CustomStringConvertible, Equatable {
    /// The losses are not one value per example.
    case notPerExampleLosses(shape: [Int])
    /// Parameters are consumed by ops that have no per-example rule.
    case unsupportedOperations([String])

    public var description: String {
        switch self {
        case .notPerExampleLosses(let shape):
            return "per-example gradients need one loss per example (shape [B] or [B, 1]), found shape \(shape); reduce each example's loss to one value before the walk"
        case .unsupportedOperations(let operations):
            return "per-example gradients have no rule for parameters used by \(operations.joined(separator: ", ")); use Linear/Embedding layers or broadcast elementwise ops, or PerExampleGradients.byBatchOfOne"
        }
    }
}
