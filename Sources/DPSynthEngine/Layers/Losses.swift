/// How a loss over rows is reduced.
public enum LossReduction {
    /// One value per row ([rows]): what per-example gradients need.
    case none
    case sum
    case mean

    func apply(_ perRow: Tensor) -> Tensor {
        switch self {
        case .none: return perRow
        case .sum: return perRow.sum()
        case .mean: return perRow.mean()
        }
    }
}

/// Per-row sum over the trailing axes: [rows, …] → [rows].
private func rowSums(_ x: Tensor) -> Tensor {
    x.rank <= 1 ? x : x.reshaped(to: [x.shape[0], x.shape.dropFirst().reduce(1, *)]).sum(alongAxes: [1])
}

/// Binary cross-entropy on logits: softplus(x) − x·y, stable for any x (the log-sum-exp form
/// of −y log σ(x) − (1−y) log(1−σ(x))). Targets may be soft. Rows sum their trailing axes.
public func binaryCrossEntropy(logits: Tensor, targets: Tensor, reduction: LossReduction = .mean) -> Tensor {
    precondition(logits.shape == targets.shape, "logits \(logits.shape) and targets \(targets.shape) differ")
    return reduction.apply(rowSums(softplus(logits) - logits * targets.detached()))
}

/// Cross-entropy of class indices under logits [rows, classes]: −log softmax(x)[y].
public func crossEntropy(logits: Tensor, labels: [Int], reduction: LossReduction = .mean) -> Tensor {
    precondition(logits.rank == 2 && logits.shape[0] == labels.count,
                 "cross-entropy needs logits [rows, classes] and one label per row, found \(logits.shape) and \(labels.count) labels")
    return reduction.apply(-(logSoftmax(logits) * Tensor.oneHot(labels, classCount: logits.shape[1])).sum(alongAxes: [1]))
}

/// Cross-entropy against target probabilities [rows, classes].
public func crossEntropy(logits: Tensor, probabilities: Tensor, reduction: LossReduction = .mean) -> Tensor {
    precondition(logits.shape == probabilities.shape, "logits \(logits.shape) and probabilities \(probabilities.shape) differ")
    return reduction.apply(-(logSoftmax(logits) * probabilities.detached()).sum(alongAxes: [-1]))
}

/// Squared error averaged over each row's trailing axes: per row (1/width)·Σ (p − t)²; with
/// `.mean` this is the usual elementwise mean.
public func meanSquaredError(predictions: Tensor, targets: Tensor, reduction: LossReduction = .mean) -> Tensor {
    precondition(predictions.shape == targets.shape, "predictions \(predictions.shape) and targets \(targets.shape) differ")
    let width = Float(Swift.max(predictions.count / Swift.max(predictions.shape.first ?? 1, 1), 1))
    let perRow = rowSums((predictions - targets).squared()) * (1 / width)
    return reduction.apply(perRow)
}
