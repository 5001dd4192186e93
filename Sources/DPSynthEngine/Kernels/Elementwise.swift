#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The binary elementwise operations with NumPy broadcasting.
public enum BinaryOperation {
    case add, subtract, multiply, divide
}

/// The unary elementwise functions that have kernels (composites such as GELU are built from these).
public enum UnaryFunction {
    case negate, exp, log, squareRoot, tanh, sigmoid, relu, softplus, absolute, sign
    case leakyRelu(negativeSlope: Float)
    /// 1 where x > 0, `negativeSlope` elsewhere: the derivative of LeakyReLU (ReLU for slope 0).
    case leakyReluDerivative(negativeSlope: Float)
    case power(Float)
}

/// One binary operation as a type, so that `Kernels.binaryLoop` is specialised per operation
/// with the operation inlined into its loops. (Passed as a closure, the compiler kept `/` as an
/// out-of-line call per element — `push; divss; pop; ret` — which made broadcast divisions 10%
/// of a whole DP fit's time on flchain; measured with `perf`.)
protocol ElementwiseBinaryOperation {
    static func apply(_ x: Float, _ y: Float) -> Float
}

enum ElementwiseAdd: ElementwiseBinaryOperation {
    @inline(__always) static func apply(_ x: Float, _ y: Float) -> Float { x + y }
}

enum ElementwiseSubtract: ElementwiseBinaryOperation {
    @inline(__always) static func apply(_ x: Float, _ y: Float) -> Float { x - y }
}

enum ElementwiseMultiply: ElementwiseBinaryOperation {
    @inline(__always) static func apply(_ x: Float, _ y: Float) -> Float { x * y }
}

enum ElementwiseDivide: ElementwiseBinaryOperation {
    @inline(__always) static func apply(_ x: Float, _ y: Float) -> Float { x / y }
}

extension Kernels {
    /// output = op(a, b) where a and b have been broadcast to `shape` with the given strides
    /// (0 along broadcast axes). Contiguous and row-vector cases take fast paths.
    static func binary(_ operation: BinaryOperation,
                       _ a: UnsafePointer<Float>, strides aStrides: [Int],
                       _ b: UnsafePointer<Float>, strides bStrides: [Int],
                       into output: UnsafeMutablePointer<Float>, shape: [Int]) {
        if Shape.count(shape) == 0 { return }
        switch operation {
        case .add: binaryLoop(ElementwiseAdd.self, a, aStrides, b, bStrides, output, shape)
        case .subtract: binaryLoop(ElementwiseSubtract.self, a, aStrides, b, bStrides, output, shape)
        case .multiply: binaryLoop(ElementwiseMultiply.self, a, aStrides, b, bStrides, output, shape)
        case .divide: binaryLoop(ElementwiseDivide.self, a, aStrides, b, bStrides, output, shape)
        }
    }

    private static func binaryLoop<Operation: ElementwiseBinaryOperation>(
        _: Operation.Type,
        _ a: UnsafePointer<Float>, _ aStrides: [Int],
        _ b: UnsafePointer<Float>, _ bStrides: [Int],
        _ output: UnsafeMutablePointer<Float>, _ shape: [Int]
    ) {
        let count = Shape.count(shape)
        let rank = shape.count
        let contiguous = Shape.strides(shape)
        if aStrides == contiguous && bStrides == contiguous {
            forEachChunk(count: count) { range in for i in range { output[i] = Operation.apply(a[i], b[i]) } }
            return
        }
        if aStrides == contiguous && bStrides.allSatisfy({ $0 == 0 }) {
            let y = b[0]
            forEachChunk(count: count) { range in for i in range { output[i] = Operation.apply(a[i], y) } }
            return
        }
        if aStrides.allSatisfy({ $0 == 0 }) && bStrides == contiguous {
            let x = a[0]
            forEachChunk(count: count) { range in for i in range { output[i] = Operation.apply(x, b[i]) } }
            return
        }
        // Walk the outer axes with an odometer; the innermost axis is a strided loop.
        let inner = shape[rank - 1]
        let aInner = aStrides[rank - 1], bInner = bStrides[rank - 1]
        let outer = count / inner
        var odometer = Odometer(shape: shape, strides: [aStrides, bStrides])
        for block in 0..<outer {
            let target = output + block * inner
            let aBase = a + odometer.offsets[0], bBase = b + odometer.offsets[1]
            if aInner == 1 && bInner == 1 {
                for i in 0..<inner { target[i] = Operation.apply(aBase[i], bBase[i]) }
            } else if aInner == 1 && bInner == 0 {
                let y = bBase[0]
                for i in 0..<inner { target[i] = Operation.apply(aBase[i], y) }
            } else if aInner == 0 && bInner == 1 {
                let x = aBase[0]
                for i in 0..<inner { target[i] = Operation.apply(x, bBase[i]) }
            } else {
                for i in 0..<inner { target[i] = Operation.apply(aBase[i * aInner], bBase[i * bInner]) }
            }
            odometer.advance(axis: rank - 2)
        }
    }

    /// output[i] = g[i] where x[i] > 0, negativeSlope·g[i] elsewhere.
    static func maskBySign(_ g: UnsafePointer<Float>, of x: UnsafePointer<Float>, negativeSlope: Float,
                           into output: UnsafeMutablePointer<Float>, count: Int) {
        forEachChunk(count: count) { range in
            for i in range { output[i] = x[i] > 0 ? g[i] : negativeSlope * g[i] }
        }
    }

    /// output[i] = f(input[i]).
    static func unary(_ function: UnaryFunction, _ x: UnsafePointer<Float>,
                      into y: UnsafeMutablePointer<Float>, count: Int) {
        forEachChunk(count: count) { range in unaryChunk(function, x + range.lowerBound, into: y + range.lowerBound, count: range.count) }
    }

    /// `unary` on one chunk, on the calling thread.
    private static func unaryChunk(_ function: UnaryFunction, _ x: UnsafePointer<Float>,
                                   into y: UnsafeMutablePointer<Float>, count: Int) {
        switch function {
        case .negate: for i in 0..<count { y[i] = -x[i] }
        case .exp: for i in 0..<count { y[i] = expf(x[i]) }
        case .log: for i in 0..<count { y[i] = logf(x[i]) }
        case .squareRoot: for i in 0..<count { y[i] = x[i].squareRoot() }
        case .tanh: for i in 0..<count { y[i] = tanhf(x[i]) }
        case .sigmoid:
            // Two branches so that exp never overflows: σ(x) = 1/(1+e^-x) = e^x/(1+e^x).
            for i in 0..<count {
                let v = x[i]
                if v >= 0 { y[i] = 1 / (1 + expf(-v)) } else { let e = expf(v); y[i] = e / (1 + e) }
            }
        case .relu: for i in 0..<count { y[i] = x[i] > 0 ? x[i] : 0 }
        case .softplus:
            // log(1 + e^x) = max(x, 0) + log1p(e^-|x|): exact in both tails.
            for i in 0..<count { let v = x[i]; y[i] = Swift.max(v, 0) + log1pf(expf(-Swift.abs(v))) }
        case .absolute: for i in 0..<count { y[i] = Swift.abs(x[i]) }
        case .sign: for i in 0..<count { let v = x[i]; y[i] = v > 0 ? 1 : (v < 0 ? -1 : (v.isNaN ? v : 0)) }
        case .leakyRelu(let slope): for i in 0..<count { let v = x[i]; y[i] = v > 0 ? v : slope * v }
        case .leakyReluDerivative(let slope): for i in 0..<count { y[i] = x[i] > 0 ? 1 : slope }
        case .power(let exponent):
            if exponent == 2 { for i in 0..<count { y[i] = x[i] * x[i] } }
            else { for i in 0..<count { y[i] = powf(x[i], exponent) } }
        }
    }
}
