#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// L2-regularised linear models, fitted exactly (to a 1e-9 gradient) in Double.
///
/// Objectives are scikit-learn's defaults, so train-on-real numbers reproduce its baselines:
/// - `LogisticRegression()` (C = 1): Σ_i log-loss_i + ½‖W‖², intercepts not penalised;
///   binary uses one weight vector, more classes the multinomial (softmax) model with one
///   vector per class (scikit-learn ≥ 1.5's default for lbfgs).
/// - `Ridge(alpha: 1)` for continuous labels: Σ_i (y_i − ŷ_i)² + ‖w‖².
/// Source: scikit-learn `linear_model/_logistic.py`, `_ridge.py`; the minimiser is unique, so
/// the solver does not matter beyond its tolerance.
struct LinearModel {
    enum Kind { case binaryLogistic, multinomialLogistic(classCount: Int), ridge }

    let kind: Kind
    let width: Int
    /// Row-major `[outputs, width + 1]`: weights then intercept, per output.
    let parameters: [Double]

    var outputCount: Int {
        switch kind {
        case .binaryLogistic, .ridge: return 1
        case .multinomialLogistic(let classCount): return classCount
        }
    }

    /// Fits on `features` (row-major `[n, width]`) and `targets`: 0/1 for binary, the class
    /// index for multinomial, the value for ridge.
    init(kind: Kind, features: [Double], width: Int, targets: [Double]) {
        self.kind = kind
        self.width = width
        let n = targets.count
        let outputs: Int
        switch kind {
        case .binaryLogistic, .ridge: outputs = 1
        case .multinomialLogistic(let classCount): outputs = classCount
        }
        let stride = width + 1
        let solver = LimitedMemoryBFGS()
        parameters = features.withUnsafeBufferPointer { x in
            solver.minimize(from: [Double](repeating: 0, count: outputs * stride)) { theta, gradient in
                for i in gradient.indices { gradient[i] = 0 }
                var loss = 0.0
                var logits = [Double](repeating: 0, count: outputs)
                for row in 0..<n {
                    let base = row * width
                    for k in 0..<outputs {
                        var z = theta[k * stride + width]
                        for j in 0..<width { z += theta[k * stride + j] * x[base + j] }
                        logits[k] = z
                    }
                    // Residual r_k = ∂loss_i/∂z_k.
                    switch kind {
                    case .binaryLogistic:
                        let z = logits[0]
                        loss += Swift.max(z, 0) + log1p(exp(-Swift.abs(z))) - targets[row] * z
                        logits[0] = 1 / (1 + exp(-z)) - targets[row]
                    case .ridge:
                        let residual = logits[0] - targets[row]
                        loss += residual * residual
                        logits[0] = 2 * residual
                    case .multinomialLogistic:
                        let largest = logits.max() ?? 0
                        var total = 0.0
                        for k in 0..<outputs { total += exp(logits[k] - largest) }
                        let label = Int(targets[row])
                        loss += largest + log(total) - logits[label]
                        for k in 0..<outputs {
                            logits[k] = exp(logits[k] - largest) / total - (k == label ? 1 : 0)
                        }
                    }
                    for k in 0..<outputs where logits[k] != 0 {
                        let residual = logits[k]
                        for j in 0..<width { gradient[k * stride + j] += residual * x[base + j] }
                        gradient[k * stride + width] += residual
                    }
                }
                // Penalty on the weights, not the intercepts: ½‖W‖² (logistic) or ‖w‖² (ridge).
                let penaltyScale: Double
                if case .ridge = kind { penaltyScale = 2 } else { penaltyScale = 1 }
                for k in 0..<outputs {
                    for j in 0..<width {
                        let weight = theta[k * stride + j]
                        loss += 0.5 * penaltyScale * weight * weight
                        gradient[k * stride + j] += penaltyScale * weight
                    }
                }
                return loss
            }
        }
    }

    /// For binary: P(positive) per row; multinomial: class probabilities row-major
    /// `[n, classCount]`; ridge: predictions.
    func predict(_ features: [Double], rowCount n: Int) -> [Double] {
        let stride = width + 1
        let outputs = outputCount
        var result = [Double](repeating: 0, count: n * outputs)
        var logits = [Double](repeating: 0, count: outputs)
        for row in 0..<n {
            for k in 0..<outputs {
                var z = parameters[k * stride + width]
                for j in 0..<width { z += parameters[k * stride + j] * features[row * width + j] }
                logits[k] = z
            }
            switch kind {
            case .binaryLogistic: result[row] = 1 / (1 + exp(-logits[0]))
            case .ridge: result[row] = logits[0]
            case .multinomialLogistic:
                let largest = logits.max() ?? 0
                let total = logits.reduce(0) { $0 + exp($1 - largest) }
                for k in 0..<outputs { result[row * outputs + k] = exp(logits[k] - largest) / total }
            }
        }
        return result
    }
}
