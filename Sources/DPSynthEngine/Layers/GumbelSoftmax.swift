import DPSynthRandom

/// Gumbel-softmax sampling of categorical outputs (Jang, Gu & Poole 2017, eq. 1):
/// softmax((logits + G)/temperature) with G_k = −log(−log U_k). With `hard`, the forward value
/// is the one-hot argmax while the gradient is the soft sample's (straight-through, §2.2).
public func gumbelSoftmax(_ logits: Tensor, temperature: Float, hard: Bool = false, random: RandomSource) -> Tensor {
    precondition(temperature > 0, "Gumbel-softmax temperature must be positive, found \(temperature)")
    var noise = Tensor(zeros: logits.shape)
    noise.withUnsafeMutableBufferPointer { buffer in
        for i in buffer.indices { buffer[i] = Float(-Foundation.log(-Foundation.log(random.nextOpenUnitDouble()))) }
    }
    let soft = softmax((logits + noise) / temperature)
    guard hard else { return soft }
    let oneHot = soft.detached().oneHotOfMaximum()
    return soft + (oneHot - soft.detached())
}

import Foundation

extension Tensor {
    /// 1 at the (first) maximum of each last-axis row, 0 elsewhere. A constant.
    public func oneHotOfMaximum() -> Tensor {
        let width = shape.last ?? 1
        let rows = count / Swift.max(width, 1)
        var result = Tensor(zeros: shape)
        result.withUnsafeMutableBufferPointer { target in
            for row in 0..<rows {
                let base = storage.pointer + row * width
                var best = 0
                for k in 1..<Swift.max(width, 1) where base[k] > base[best] { best = k }
                if width > 0 { target[row * width + best] = 1 }
            }
        }
        return result
    }

    /// One-hot rows for class indices: [indices.count, classCount].
    public static func oneHot(_ indices: [Int], classCount: Int) -> Tensor {
        var result = Tensor(zeros: [indices.count, classCount])
        result.withUnsafeMutableBufferPointer { buffer in
            for (row, index) in indices.enumerated() {
                precondition(index >= 0 && index < classCount, "class \(index) out of range 0..<\(classCount)")
                buffer[row * classCount + index] = 1
            }
        }
        return result
    }
}
