import Numerics

/// A radix-2 complex FFT in Double, for composing privacy loss distributions.
///
/// Iterative Cooley–Tukey with bit-reversal permutation; twiddle factors are computed directly
/// (cos/sin of 2πk/n) rather than by recurrence, so rounding error grows as O(log n) ulps.
struct FFT {
    /// Transform length, a power of two.
    let count: Int
    private let cosines: [Double]
    private let sines: [Double]

    /// The smallest power of two ≥ `minimumCount`.
    static func length(atLeast minimumCount: Int) -> Int {
        var n = 1
        while n < minimumCount { n <<= 1 }
        return n
    }

    init(count: Int) {
        precondition(count > 0 && count & (count - 1) == 0, "FFT length \(count) is not a power of two")
        self.count = count
        let half = max(count / 2, 1)
        cosines = (0..<half).map { Double.cos(2 * Double.pi * Double($0) / Double(count)) }
        sines = (0..<half).map { -Double.sin(2 * Double.pi * Double($0) / Double(count)) }
    }

    /// In-place forward transform X_k = Σ_j x_j e^{−2πijk/n}.
    func forward(real: inout [Double], imaginary: inout [Double]) {
        transform(real: &real, imaginary: &imaginary, sign: 1)
    }

    /// In-place inverse transform, scaled by 1/n.
    func inverse(real: inout [Double], imaginary: inout [Double]) {
        transform(real: &real, imaginary: &imaginary, sign: -1)
        let scale = 1 / Double(count)
        for index in 0..<count {
            real[index] *= scale
            imaginary[index] *= scale
        }
    }

    private func transform(real: inout [Double], imaginary: inout [Double], sign: Double) {
        precondition(real.count == count && imaginary.count == count, "FFT buffers must hold \(count) values")
        let n = count
        if n == 1 { return }
        real.withUnsafeMutableBufferPointer { re in
            imaginary.withUnsafeMutableBufferPointer { im in
                cosines.withUnsafeBufferPointer { cosTable in
                    sines.withUnsafeBufferPointer { sinTable in
                        // Bit-reversal permutation.
                        var j = 0
                        for i in 1..<n {
                            var bit = n >> 1
                            while j & bit != 0 {
                                j ^= bit
                                bit >>= 1
                            }
                            j |= bit
                            if i < j {
                                re.swapAt(i, j)
                                im.swapAt(i, j)
                            }
                        }
                        // Butterflies.
                        var length = 2
                        while length <= n {
                            let halfLength = length / 2
                            let stride = n / length
                            var start = 0
                            while start < n {
                                for k in 0..<halfLength {
                                    let wr = cosTable[k * stride]
                                    let wi = sign * sinTable[k * stride]
                                    let a = start + k, b = a + halfLength
                                    let tr = re[b] * wr - im[b] * wi
                                    let ti = re[b] * wi + im[b] * wr
                                    re[b] = re[a] - tr
                                    im[b] = im[a] - ti
                                    re[a] += tr
                                    im[a] += ti
                                }
                                start += length
                            }
                            length <<= 1
                        }
                    }
                }
            }
        }
    }
}
