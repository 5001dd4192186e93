/// Broadcasting arithmetic: +, −, ×, ÷ between tensors and with scalars.
///
/// Pullbacks return output-shaped gradients; the backward walk sums them to each input's shape
/// (`NodeKind.broadcastingElementwise`), which keeps per-row gradients available for
/// per-example differentiation of broadcast parameters (LayerNorm's gain and offset).
extension Tensor {
    /// op(a, b) with broadcasting, outside the graph.
    static func computeBinary(_ operation: BinaryOperation, _ a: Tensor, _ b: Tensor) -> Tensor {
        guard let shape = Shape.broadcast(a.shape, b.shape) else {
            preconditionFailure("shapes \(a.shape) and \(b.shape) do not broadcast")
        }
        let result = Tensor(uninitializedShape: shape)
        Kernels.binary(operation, a.storage.pointer, strides: Shape.broadcastStrides(a.shape, to: shape),
                       b.storage.pointer, strides: Shape.broadcastStrides(b.shape, to: shape),
                       into: result.storage.pointer, shape: shape)
        return result
    }

    public static func + (a: Tensor, b: Tensor) -> Tensor {
        recorded(computeBinary(.add, a, b), operation: "add", inputs: [a, b], kind: .broadcastingElementwise) { g, _ in
            [g, g]
        }
    }

    public static func - (a: Tensor, b: Tensor) -> Tensor {
        recorded(computeBinary(.subtract, a, b), operation: "subtract", inputs: [a, b], kind: .broadcastingElementwise) { g, needs in
            [g, needs[1] ? -g : nil]
        }
    }

    public static func * (a: Tensor, b: Tensor) -> Tensor {
        recorded(computeBinary(.multiply, a, b), operation: "multiply", inputs: [a, b], kind: .broadcastingElementwise) { g, needs in
            [needs[0] ? g * b : nil, needs[1] ? g * a : nil]
        }
    }

    public static func / (a: Tensor, b: Tensor) -> Tensor {
        recorded(computeBinary(.divide, a, b), operation: "divide", inputs: [a, b], kind: .broadcastingElementwise) { g, needs in
            // d(a/b)/db = −a/b² = −(a/b)/b.
            [needs[0] ? g / b : nil, needs[1] ? -(g * a / (b * b)) : nil]
        }
    }

    public static prefix func - (x: Tensor) -> Tensor { x.applying(.negate) }

    public static func + (a: Tensor, b: Float) -> Tensor { a + Tensor(b) }
    public static func + (a: Float, b: Tensor) -> Tensor { Tensor(a) + b }
    public static func - (a: Tensor, b: Float) -> Tensor { a - Tensor(b) }
    public static func - (a: Float, b: Tensor) -> Tensor { Tensor(a) - b }
    public static func * (a: Tensor, b: Float) -> Tensor { a * Tensor(b) }
    public static func * (a: Float, b: Tensor) -> Tensor { Tensor(a) * b }
    public static func / (a: Tensor, b: Float) -> Tensor { a * Tensor(1 / b) }
    public static func / (a: Float, b: Tensor) -> Tensor { Tensor(a) / b }

    public static func += (a: inout Tensor, b: Tensor) { a = a + b }
    public static func -= (a: inout Tensor, b: Tensor) { a = a - b }
    public static func *= (a: inout Tensor, b: Tensor) { a = a * b }
}
