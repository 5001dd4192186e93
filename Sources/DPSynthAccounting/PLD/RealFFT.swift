import Numerics

/// The spectrum of a real sequence of length N = 2M from one complex FFT of length M
/// (M = 2^k or 3·2^k).
///
/// Packs z_j = x_{2j} + i·x_{2j+1}; with Z = FFT_M(z), the even and odd halves' spectra are
/// E_k = (Z_k + conj Z_{M−k})/2 and O_k = (Z_k − conj Z_{M−k})/(2i), and X_k = E_k + W^k O_k with
/// W = e^{−2πi/N}, for k = 0…M (the rest is conj X_{N−k}). The inverse undoes each step
/// (Press et al., Numerical Recipes, §12.3). Halves the cost of composing privacy losses, whose
/// probabilities are real.
struct RealFFT {
    /// N, the real sequence length: twice a valid `FFT` length.
    let count: Int
    private let complex: FFT
    /// W^k for k = 0…M.
    private let cosines: [Double]
    private let sines: [Double]
    /// Position of Z_k in `FFT`'s permuted output.
    private let positions: [Int32]

    /// The smallest valid N ≥ `minimumCount` (and ≥ 2).
    static func length(atLeast minimumCount: Int) -> Int {
        2 * FFT.length(atLeast: max(1, (minimumCount + 1) / 2))
    }

    init(count: Int) {
        precondition(count >= 2 && count % 2 == 0, "real FFT length \(count) is not even")
        self.count = count
        let half = count / 2
        complex = FFT(count: half)
        cosines = (0...half).map { Double.cos(2 * Double.pi * Double($0) / Double(count)) }
        sines = (0...half).map { -Double.sin(2 * Double.pi * Double($0) / Double(count)) }
        positions = complex.frequencyPositions()
    }

    /// X_0 … X_M of a real sequence (zero-padded to N), as (real, imaginary) arrays of M + 1.
    func forward(_ values: [Double]) -> (real: [Double], imaginary: [Double]) {
        precondition(values.count <= count, "\(values.count) values for a real FFT of \(count)")
        let half = count / 2
        var zr = [Double](repeating: 0, count: half), zi = [Double](repeating: 0, count: half)
        for (index, value) in values.enumerated() {
            if index & 1 == 0 { zr[index >> 1] = value } else { zi[index >> 1] = value }
        }
        complex.forwardToPermutedOrder(real: &zr, imaginary: &zi)
        var xr = [Double](repeating: 0, count: half + 1), xi = [Double](repeating: 0, count: half + 1)
        for k in 0...half {
            let p = Int(positions[k % half]), m = Int(positions[(half - k) % half])
            let er = 0.5 * (zr[p] + zr[m]), ei = 0.5 * (zi[p] - zi[m])
            // O = (Z_k − conj Z_{M−k})/(2i)
            let or = 0.5 * (zi[p] + zi[m]), oi = -0.5 * (zr[p] - zr[m])
            let wr = cosines[k], wi = sines[k]
            xr[k] = er + wr * or - wi * oi
            xi[k] = ei + wr * oi + wi * or
        }
        return (xr, xi)
    }

    /// The real sequence (length N) whose spectrum is X_0 … X_M.
    func inverse(real xr: [Double], imaginary xi: [Double]) -> [Double] {
        let half = count / 2
        precondition(xr.count == half + 1 && xi.count == half + 1, "spectrum must hold M + 1 = \(half + 1) values")
        var zr = [Double](repeating: 0, count: half), zi = [Double](repeating: 0, count: half)
        for k in 0..<half {
            let m = half - k
            let er = 0.5 * (xr[k] + xr[m]), ei = 0.5 * (xi[k] - xi[m])
            // O = (X_k − conj X_{M−k})·conj(W^k)/2
            let dr = 0.5 * (xr[k] - xr[m]), di = 0.5 * (xi[k] + xi[m])
            let wr = cosines[k], wi = -sines[k]
            let or = dr * wr - di * wi, oi = dr * wi + di * wr
            // Z = E + iO, stored where the inverse DIT expects it.
            let p = Int(positions[k])
            zr[p] = er - oi
            zi[p] = ei + or
        }
        complex.inverseFromPermutedOrder(real: &zr, imaginary: &zi)
        var output = [Double](repeating: 0, count: count)
        for j in 0..<half {
            output[2 * j] = zr[j]
            output[2 * j + 1] = zi[j]
        }
        return output
    }
}
