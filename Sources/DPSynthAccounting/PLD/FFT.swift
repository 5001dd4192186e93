import Numerics

/// A radix-2 complex FFT in Double, for convolving privacy loss distributions.
///
/// Convolution needs a forward transform, a pointwise product and an inverse transform, never the
/// spectrum in natural order. So the forward transform is decimation-in-frequency (natural order
/// in, bit-reversed order out) and the inverse is decimation-in-time (bit-reversed in, natural
/// out): no bit-reversal pass at all. Both recurse on contiguous halves, so once a half fits in
/// cache every deeper level runs in cache (a cache-oblivious FFT, Frigo et al. 1999).
/// Twiddle factors are computed directly (cos/sin of 2πk/n), so rounding error grows as
/// O(log n) ulps.
struct FFT {
    /// Transform length, a power of two.
    let count: Int
    /// e^{−2πik/n} for k < n/2, as separate cosine and sine tables.
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

    /// X_k = Σ_j x_j e^{−2πijk/n}, written to position bitReverse(k).
    func forwardToBitReversedOrder(real: inout [Double], imaginary: inout [Double]) {
        withBuffers(&real, &imaginary) { re, im, cosines, sines in
            Self.decimateInFrequency(re, im, count, cosines, sines, 1)
        }
    }

    /// The inverse of `forwardToBitReversedOrder` (input in bit-reversed order), scaled by 1/n.
    func inverseFromBitReversedOrder(real: inout [Double], imaginary: inout [Double]) {
        withBuffers(&real, &imaginary) { re, im, cosines, sines in
            Self.decimateInTime(re, im, count, cosines, sines, 1)
            let scale = 1 / Double(count)
            for index in 0..<count {
                re[index] *= scale
                im[index] *= scale
            }
        }
    }

    private func withBuffers(_ real: inout [Double], _ imaginary: inout [Double],
                             _ body: (UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>,
                                      UnsafePointer<Double>, UnsafePointer<Double>) -> Void) {
        precondition(real.count == count && imaginary.count == count, "FFT buffers must hold \(count) values")
        real.withUnsafeMutableBufferPointer { re in
            imaginary.withUnsafeMutableBufferPointer { im in
                cosines.withUnsafeBufferPointer { c in
                    sines.withUnsafeBufferPointer { s in
                        // count ≥ 1 and the tables hold ≥ 1 value, so every base address exists.
                        guard let re = re.baseAddress, let im = im.baseAddress,
                              let c = c.baseAddress, let s = s.baseAddress else { return }
                        body(re, im, c, s)
                    }
                }
            }
        }
    }

    /// One DIF level on [0, n): (a, b) → (a + b, (a − b)·w^k), then both halves.
    /// `stride` = N/n maps this level's twiddle k to the table's k·stride.
    private static func decimateInFrequency(_ re: UnsafeMutablePointer<Double>, _ im: UnsafeMutablePointer<Double>,
                                            _ n: Int, _ cosines: UnsafePointer<Double>,
                                            _ sines: UnsafePointer<Double>, _ stride: Int) {
        if n < 2 { return }
        let half = n / 2
        for k in 0..<half {
            let wr = cosines[k * stride], wi = sines[k * stride]
            let ar = re[k], ai = im[k], br = re[k + half], bi = im[k + half]
            re[k] = ar + br
            im[k] = ai + bi
            let dr = ar - br, di = ai - bi
            re[k + half] = dr * wr - di * wi
            im[k + half] = dr * wi + di * wr
        }
        decimateInFrequency(re, im, half, cosines, sines, stride * 2)
        decimateInFrequency(re + half, im + half, half, cosines, sines, stride * 2)
    }

    /// One inverse DIT level: both halves first, then (a, b) → (a + b·w̄^k, a − b·w̄^k).
    private static func decimateInTime(_ re: UnsafeMutablePointer<Double>, _ im: UnsafeMutablePointer<Double>,
                                       _ n: Int, _ cosines: UnsafePointer<Double>,
                                       _ sines: UnsafePointer<Double>, _ stride: Int) {
        if n < 2 { return }
        let half = n / 2
        decimateInTime(re, im, half, cosines, sines, stride * 2)
        decimateInTime(re + half, im + half, half, cosines, sines, stride * 2)
        for k in 0..<half {
            let wr = cosines[k * stride], wi = -sines[k * stride]
            let br = re[k + half], bi = im[k + half]
            let tr = br * wr - bi * wi, ti = br * wi + bi * wr
            let ar = re[k], ai = im[k]
            re[k] = ar + tr
            im[k] = ai + ti
            re[k + half] = ar - tr
            im[k + half] = ai - ti
        }
    }
}
