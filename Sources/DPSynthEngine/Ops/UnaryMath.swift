/// Elementwise functions and their derivatives, each pullback written with taped ops so that
/// second derivatives exist (the gradient-penalty losses differentiate through them).
extension Tensor {
    /// f(self) outside the graph.
    func computeUnary(_ function: UnaryFunction) -> Tensor {
        let result = Tensor(uninitializedShape: shape)
        Kernels.unary(function, storage.pointer, into: result.storage.pointer, count: count)
        return result
    }

    /// f(self), recorded with the given pullback `(g, x, y) -> dx`.
    ///
    /// The pullback may use the output y. Outside a recorded backward walk it gets the cached
    /// forward value; when the walk records (`createGraph: true`) y is recomputed from x with
    /// the taped `function` (`recompute`), so second derivatives see y's dependence on x.
    /// (Capturing the recorded output itself would make a reference cycle node → pullback → node.)
    func applying(_ function: UnaryFunction, operation: String = "", recompute: ((Tensor) -> Tensor)? = nil,
                  pullback: ((Tensor, Tensor, Tensor) -> Tensor)? = nil) -> Tensor {
        let value = computeUnary(function)
        let input = self
        let derivative: (Tensor, Tensor, Tensor) -> Tensor = pullback ?? { g, _, _ in
            // Only negation has no explicit pullback.
            -g
        }
        return Tensor.recorded(value, operation: operation.isEmpty ? "\(function)" : operation, inputs: [self]) { g, _ in
            if let recompute, GradientRecording.isEnabled { return [derivative(g, input, recompute(input))] }
            return [derivative(g, input, value)]
        }
    }

    /// A constant tensor from a kernel (no gradient flows through it).
    func constant(_ function: UnaryFunction) -> Tensor { computeUnary(function) }

    /// self², elementwise.
    public func squared() -> Tensor {
        applying(.power(2), operation: "square", pullback: { g, x, _ in g * (2 * x) })
    }

    /// self^exponent, elementwise.
    public func raised(to exponent: Float) -> Tensor {
        applying(.power(exponent), operation: "power", pullback: { g, x, _ in g * (exponent * x.raised(to: exponent - 1)) })
    }
}

/// e^x.
public func exp(_ x: Tensor) -> Tensor { x.applying(.exp, recompute: exp) { g, _, y in g * y } }
/// Natural logarithm.
public func log(_ x: Tensor) -> Tensor { x.applying(.log, pullback: { g, x, _ in g / x }) }
/// √x.
public func sqrt(_ x: Tensor) -> Tensor { x.applying(.squareRoot, recompute: sqrt) { g, _, y in g / (2 * y) } }
/// |x|; the derivative at 0 is taken as 0.
public func abs(_ x: Tensor) -> Tensor { x.applying(.absolute, pullback: { g, x, _ in g * x.constant(.sign) }) }
/// tanh x.
public func tanh(_ x: Tensor) -> Tensor { x.applying(.tanh, recompute: tanh) { g, _, y in g * (1 - y * y) } }
/// The logistic function 1/(1 + e^−x).
public func sigmoid(_ x: Tensor) -> Tensor { x.applying(.sigmoid, recompute: sigmoid) { g, _, y in g * (y * (1 - y)) } }
/// log(1 + e^x), computed without overflow; its derivative is σ(x).
public func softplus(_ x: Tensor) -> Tensor { x.applying(.softplus, pullback: { g, x, _ in g * sigmoid(x) }) }
/// max(x, 0). The derivative is a constant mask, so its own derivative is 0 (as in every framework).
public func relu(_ x: Tensor) -> Tensor {
    x.applying(.relu, pullback: { g, x, _ in maskedBySign(g, of: x, negativeSlope: 0) })
}
/// x for x > 0, negativeSlope · x otherwise (DCGAN and the benchmark use 0.2).
public func leakyRelu(_ x: Tensor, negativeSlope: Float = 0.2) -> Tensor {
    x.applying(.leakyRelu(negativeSlope: negativeSlope), operation: "leakyRelu", pullback: { g, x, _ in
        maskedBySign(g, of: x, negativeSlope: negativeSlope)
    })
}
/// GELU, tanh form: ½x(1 + tanh(√(2/π)(x + 0.044715x³))) (Hendrycks & Gimpel 2016, eq. 2).
/// Built from primitives, so every derivative order comes from theirs.
public func gelu(_ x: Tensor) -> Tensor {
    let inner = 0.797_884_56 * (x + 0.044_715 * x * x * x)
    return 0.5 * x * (1 + tanh(inner))
}

/// g where x > 0, negativeSlope·g elsewhere: the (Leaky)ReLU pullback in one pass, without a
/// mask tensor. Linear in g, constant in x (the second derivative of ReLU is 0 almost
/// everywhere), so its own pullback is itself applied to the incoming gradient.
func maskedBySign(_ g: Tensor, of x: Tensor, negativeSlope: Float) -> Tensor {
    precondition(g.shape == x.shape, "gradient \(g.shape) and input \(x.shape) differ")
    let result = Tensor(uninitializedShape: g.shape)
    Kernels.maskBySign(g.storage.pointer, of: x.storage.pointer, negativeSlope: negativeSlope,
                       into: result.storage.pointer, count: g.count)
    let sign = x.detached()
    return Tensor.recorded(result, operation: "maskedBySign", inputs: [g]) { gg, _ in
        [maskedBySign(gg, of: sign, negativeSlope: negativeSlope)]
    }
}
