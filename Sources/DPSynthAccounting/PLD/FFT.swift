import Numerics

/// A complex FFT in Double of length 2^k or 3·2^k, for convolving privacy loss distributions.
///
/// Convolution needs a forward transform, a pointwise product and an inverse transform, never the
/// spectrum in natural order. So the forward transform is decimation-in-frequency (natural order
/// in, permuted order out: see `frequencyPositions()`) and the inverse is decimation-in-time
/// (permuted in, natural out): no reordering pass at all. The radix-2 levels recurse on contiguous
/// halves, so once a half fits in cache every deeper level runs in cache (a cache-oblivious FFT,
/// Frigo et al. 1999). Lengths 3·2^k add one radix-3 level on top, so a transform is never more
/// than 1.5× (not 2×) the length it must cover. Twiddle factors are computed directly (cos/sin of
/// 2πk/n), so rounding error grows as O(log n) ulps.
struct FFT {
    /// Transform length: a power of two, or three times one.
    let count: Int
    /// Length of the radix-2 sub-transforms: `count`, or `count`/3.
    private let powerOfTwoLength: Int
    private var hasRadixThreeLevel: Bool { powerOfTwoLength != count }
    /// e^{−2πik/n} for k < n/2 (n = `count`), as separate cosine and sine tables.
    private let cosines: [Double]
    private let sines: [Double]

    /// The smallest valid length ≥ `minimumCount`.
    static func length(atLeast minimumCount: Int) -> Int {
        var power = 1
        while power < minimumCount { power <<= 1 }
        let threeTimes = 3 * (power / 4)
        return power >= 4 && threeTimes >= minimumCount ? threeTimes : power
    }

    init(count: Int) {
        let powerOfTwo = count % 3 == 0 ? count / 3 : count
        precondition(powerOfTwo > 0 && powerOfTwo & (powerOfTwo - 1) == 0,
                     "FFT length \(count) is neither a power of two nor three times one")
        self.count = count
        powerOfTwoLength = powerOfTwo
        let half = max(count / 2, 1)
        cosines = (0..<half).map { Double.cos(2 * Double.pi * Double($0) / Double(count)) }
        sines = (0..<half).map { -Double.sin(2 * Double.pi * Double($0) / Double(count)) }
    }

    /// Where the forward transform writes each frequency k (index k of the result): bit reversal
    /// within each radix-2 block, blocks ordered by k mod 3 when there is a radix-3 level.
    func frequencyPositions() -> [Int32] {
        let m = powerOfTwoLength
        let bits = m.trailingZeroBitCount
        var reversed = [Int32](repeating: 0, count: m)
        if bits > 0 {
            for index in 1..<m {
                reversed[index] = (reversed[index >> 1] >> 1) | Int32((index & 1) << (bits - 1))
            }
        }
        guard hasRadixThreeLevel else { return reversed }
        return (0..<count).map { k in Int32((k % 3) * m) + reversed[k / 3] }
    }

    /// X_k = Σ_j x_j e^{−2πijk/n}, written to `frequencyPositions()[k]`.
    func forwardToPermutedOrder(real: inout [Double], imaginary: inout [Double]) {
        let m = powerOfTwoLength, radixThree = hasRadixThreeLevel
        withBuffers(&real, &imaginary) { re, im, cosines, sines in
            if radixThree {
                Self.radixThreeForward(re, im, m, cosines, sines)
                for block in 0..<3 {
                    Self.decimateInFrequency(re + block * m, im + block * m, m, cosines, sines, 3)
                }
            } else {
                Self.decimateInFrequency(re, im, m, cosines, sines, 1)
            }
        }
    }

    /// The inverse of `forwardToPermutedOrder`, scaled by 1/n.
    func inverseFromPermutedOrder(real: inout [Double], imaginary: inout [Double]) {
        let m = powerOfTwoLength, radixThree = hasRadixThreeLevel, n = count
        withBuffers(&real, &imaginary) { re, im, cosines, sines in
            if radixThree {
                for block in 0..<3 {
                    Self.decimateInTime(re + block * m, im + block * m, m, cosines, sines, 3)
                }
                Self.radixThreeInverse(re, im, m, cosines, sines)
            } else {
                Self.decimateInTime(re, im, m, cosines, sines, 1)
            }
            let scale = 1 / Double(n)
            for index in 0..<n {
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

    /// e^{−2πij/n} for 0 ≤ j < n, from the half table (e^{−2πi(j + n/2)/n} = −e^{−2πij/n}).
    private static func twiddle(_ j: Int, _ half: Int, _ cosines: UnsafePointer<Double>,
                                _ sines: UnsafePointer<Double>) -> (Double, Double) {
        j < half ? (cosines[j], sines[j]) : (-cosines[j - half], -sines[j - half])
    }

    /// ω = e^{−2πi/3}.
    private static let omegaReal = -0.5, omegaImaginary = -(3.0.squareRoot()) / 2

    /// The radix-3 DIF level on n = 3m: y_r[k] = Σ_s x[k + sm] ω^{sr} · w^{kr} (w = e^{−2πi/n}),
    /// so that X_{3j+r} is the m-point transform of y_r.
    private static func radixThreeForward(_ re: UnsafeMutablePointer<Double>, _ im: UnsafeMutablePointer<Double>,
                                          _ m: Int, _ cosines: UnsafePointer<Double>, _ sines: UnsafePointer<Double>) {
        let half = 3 * m / 2
        for k in 0..<m {
            let ar = re[k], ai = im[k], br = re[k + m], bi = im[k + m], cr = re[k + 2 * m], ci = im[k + 2 * m]
            let sumR = br + cr, sumI = bi + ci
            let differenceR = br - cr, differenceI = bi - ci
            // a + ω b + ω² c and a + ω² b + ω c, with ω = −½ − i√3/2 and ω² = conj ω.
            let baseR = ar + omegaReal * sumR, baseI = ai + omegaReal * sumI
            let rotateR = -omegaImaginary * differenceI, rotateI = omegaImaginary * differenceR
            let y1r = baseR + rotateR, y1i = baseI + rotateI
            let y2r = baseR - rotateR, y2i = baseI - rotateI
            re[k] = ar + sumR
            im[k] = ai + sumI
            let (w1r, w1i) = twiddle(k, half, cosines, sines)
            let (w2r, w2i) = twiddle(2 * k, half, cosines, sines)
            re[k + m] = y1r * w1r - y1i * w1i
            im[k + m] = y1r * w1i + y1i * w1r
            re[k + 2 * m] = y2r * w2r - y2i * w2i
            im[k + 2 * m] = y2r * w2i + y2i * w2r
        }
    }

    /// The inverse radix-3 level (unscaled): t_r = y_r[k]·conj(w)^{kr}, then
    /// x[k + sm] = Σ_r t_r conj(ω)^{sr}.
    private static func radixThreeInverse(_ re: UnsafeMutablePointer<Double>, _ im: UnsafeMutablePointer<Double>,
                                          _ m: Int, _ cosines: UnsafePointer<Double>, _ sines: UnsafePointer<Double>) {
        let half = 3 * m / 2
        for k in 0..<m {
            let (w1r, w1i) = twiddle(k, half, cosines, sines)
            let (w2r, w2i) = twiddle(2 * k, half, cosines, sines)
            let ar = re[k], ai = im[k]
            let br = re[k + m] * w1r + im[k + m] * w1i, bi = im[k + m] * w1r - re[k + m] * w1i
            let cr = re[k + 2 * m] * w2r + im[k + 2 * m] * w2i, ci = im[k + 2 * m] * w2r - re[k + 2 * m] * w2i
            let sumR = br + cr, sumI = bi + ci
            let differenceR = br - cr, differenceI = bi - ci
            // conj ω = −½ + i√3/2
            let baseR = ar + omegaReal * sumR, baseI = ai + omegaReal * sumI
            let rotateR = omegaImaginary * differenceI, rotateI = -omegaImaginary * differenceR
            re[k] = ar + sumR
            im[k] = ai + sumI
            re[k + m] = baseR + rotateR
            im[k + m] = baseI + rotateI
            re[k + 2 * m] = baseR - rotateR
            im[k + 2 * m] = baseI - rotateI
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

    /// One inverse DIT level (unscaled): both halves first, then (a, b) → (a + b·w̄^k, a − b·w̄^k).
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
