import CKernels
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The 256-layer ziggurat for the standard normal distribution (Marsaglia & Tsang 2000,
/// "The Ziggurat Method for Generating Random Variables", J. Stat. Softw. 5(8)), in Double.
///
/// The region under f(x) = exp(−x²/2), x ≥ 0, is covered by 255 stacked rectangles and a base
/// strip (a rectangle plus the tail beyond r), all of the same area v. A draw picks a layer
/// uniformly, a point uniformly in its rectangle, and returns it at once when it lies in the
/// part of the rectangle that is entirely under the curve (≈ 99% of draws: one multiply and
/// one compare). Otherwise the wedge is tested against f exactly, or — in the base layer — the
/// tail beyond r is sampled by Marsaglia's exact method (1964). Nothing is truncated or
/// approximated: the output is N(0, 1) up to the rounding of Double arithmetic, which matters
/// for DP, whose guarantee is that of the true Gaussian mechanism.
///
/// Every draw starts from one 64-bit word: bits 0–7 choose the layer, bit 8 the sign, and the
/// top 53 bits the position in the layer. The fields are disjoint, avoiding the correlation
/// between layer and value of the original 32-bit scheme (Doornik 2005, "An Improved Ziggurat
/// Method to Generate Normal Random Samples").
///
/// The layer edges are computed at start-up: r is found by bisection so that the 256 layers
/// have equal area v(r) = r f(r) + √(π/2) erfc(r/√2) and close exactly at the mode.
final class NormalZiggurat {
    static let layerCount = 256
    static let standard = NormalZiggurat()

    /// Where the tail begins: x₁ = r (≈ 3.6541528853610088 for 256 layers).
    let tailStart: Double
    /// The common area of every layer, v.
    let layerArea: Double
    /// x₀ = v / f(r) (the base strip's pseudo-width), x₁ = r, …, x₂₅₆ = 0: right edges of the layers.
    let edges: UnsafeMutablePointer<Double>
    /// f(xᵢ) for every edge.
    let densities: UnsafeMutablePointer<Double>

    private init() {
        let layers = NormalZiggurat.layerCount
        // Bisection on r: too small a tail start leaves the layers too wide, so they reach the
        // mode before the last one; too large leaves a top layer wider than v.
        var low = 3.0, high = 4.5
        for _ in 0..<200 {
            let middle = 0.5 * (low + high)
            if middle == low || middle == high { break }
            if NormalZiggurat.topLayerExcess(tailStart: middle) > 0 { high = middle } else { low = middle }
        }
        tailStart = 0.5 * (low + high)
        layerArea = NormalZiggurat.area(tailStart: tailStart)
        edges = .allocate(capacity: layers + 1)
        densities = .allocate(capacity: layers + 1)
        edges[0] = layerArea / NormalZiggurat.density(tailStart)
        edges[1] = tailStart
        for i in 1..<(layers - 1) {
            edges[i + 1] = NormalZiggurat.inverseDensity(layerArea / edges[i] + NormalZiggurat.density(edges[i]))
        }
        edges[layers] = 0
        for i in 0...layers { densities[i] = NormalZiggurat.density(edges[i]) }
    }

    deinit {
        edges.deallocate()
        densities.deallocate()
    }

    /// The unnormalised density f(x) = exp(−x²/2).
    static func density(_ x: Double) -> Double { exp(-0.5 * x * x) }

    /// f⁻¹(y) = √(−2 ln y) for y in (0, 1].
    static func inverseDensity(_ y: Double) -> Double { (-2 * log(y)).squareRoot() }

    /// v(r): the base strip's area, r f(r) plus the tail ∫_r^∞ f = √(π/2) erfc(r/√2).
    static func area(tailStart r: Double) -> Double {
        r * density(r) + (Double.pi / 2).squareRoot() * erfc(r / 2.0.squareRoot())
    }

    /// Area of the top layer minus v when the layers are stacked from r upwards; −∞ when the
    /// layers reach the mode early. Zero at the right r.
    static func topLayerExcess(tailStart r: Double) -> Double {
        let v = area(tailStart: r)
        var x = r
        for _ in 1..<(layerCount - 1) {
            let y = v / x + density(x)
            if y >= 1 { return -.infinity }
            x = inverseDensity(y)
        }
        return x * (1 - density(x)) - v
    }

    /// A standard normal draw from `word`, drawing more words from `source` only when the fast
    /// path rejects (≈ 1% of calls).
    @inline(__always)
    func sample<Source: RandomSource>(_ word: UInt64, _ source: Source) -> Double {
        NormalZiggurat.sample(word, source, edges: edges, ziggurat: self)
    }

    /// The fast path with the edge table passed in, so that a loop keeps it in a register.
    @inline(__always)
    static func sample<Source: RandomSource>(_ word: UInt64, _ source: Source,
                                             edges: UnsafePointer<Double>, ziggurat: NormalZiggurat) -> Double {
        let layer = Int(truncatingIfNeeded: word & 0xFF)
        // Int64 → Double is one instruction on x86-64; UInt64 → Double is a branchy sequence.
        let x = Double(Int64(bitPattern: word >> 11)) * 0x1.0p-53 * edges[layer]
        // The sign is bit 8 moved to the sign bit: a branch on it would be mispredicted half
        // the time (measured 2× slower for the whole draw).
        if x < edges[layer + 1] { return Double(bitPattern: x.bitPattern ^ ((word & 0x100) << 55)) }
        return ziggurat.slowSample(word, source)
    }

    /// The rare paths: the wedge of a layer, the tail, and restarts after a rejection.
    @inline(never)
    func slowSample<Source: RandomSource>(_ firstWord: UInt64, _ source: Source) -> Double {
        var word = firstWord
        while true {
            let layer = Int(truncatingIfNeeded: word & 0xFF)
            let x = Double(Int64(bitPattern: word >> 11)) * 0x1.0p-53 * edges[layer]
            let negative = word & 0x100 != 0
            if x < edges[layer + 1] { return negative ? -x : x }
            if layer == 0 {
                // Tail beyond r (Marsaglia 1964): with a = −ln(U₁)/r and b = −ln(U₂), accept
                // r + a when 2b > a²; r + a then has density ∝ exp(−x²/2) on (r, ∞).
                while true {
                    let a = -log(source.nextOpenUnitDouble()) / tailStart
                    let b = -log(source.nextOpenUnitDouble())
                    if b + b > a * a { return negative ? -(tailStart + a) : tailStart + a }
                }
            }
            // Wedge: a uniform height in [f(xᵢ), f(xᵢ₊₁)) under the curve at x.
            let height = densities[layer] + source.nextUnitDouble() * (densities[layer + 1] - densities[layer])
            if height < NormalZiggurat.density(x) { return negative ? -x : x }
            word = source.next()
        }
    }

    /// Fills `output` with mean + standardDeviation·zᵢ for independent standard normals zᵢ,
    /// rounded once to Float. The fast path runs vectorised in C over blocks of words
    /// (`dpsynth_ziggurat_fast_float`); its rejections then take `slowSample` in order.
    func fill<Source: RandomSource>(_ output: UnsafeMutableBufferPointer<Float>, mean: Double,
                                    standardDeviation: Double, from source: Source) {
        fill(output, from: source) { words, count, rejected, start in
            dpsynth_ziggurat_fast_float(words, count, edges, mean, standardDeviation, start, rejected)
        } finish: { z in Float(mean + standardDeviation * z) }
    }

    /// As the Float fill, in Double (`dpsynth_ziggurat_fast_double`).
    func fill<Source: RandomSource>(_ output: UnsafeMutableBufferPointer<Double>, mean: Double,
                                    standardDeviation: Double, from source: Source) {
        fill(output, from: source) { words, count, rejected, start in
            dpsynth_ziggurat_fast_double(words, count, edges, mean, standardDeviation, start, rejected)
        } finish: { z in mean + standardDeviation * z }
    }

    /// Blocks of `blockCapacity` words: the generator fills the words of a block, `fast` writes
    /// the accepted draws and lists the rejected ones, and each rejection in order draws its own
    /// further words (so no keystream is drawn and thrown away, and a seeded stream is consumed
    /// exactly as by one value at a time per block).
    @inline(__always)
    private func fill<Source: RandomSource, Value>(
        _ output: UnsafeMutableBufferPointer<Value>, from source: Source,
        fast: (UnsafePointer<UInt64>, Int, UnsafeMutablePointer<UInt32>, UnsafeMutablePointer<Value>) -> Int,
        finish: (Double) -> Value
    ) {
        let blockCapacity = 256
        guard let outputBase = output.baseAddress else { return }
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: blockCapacity) { words in
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: blockCapacity) { rejected in
                guard let base = words.baseAddress, let rejectedBase = rejected.baseAddress else { return }
                var index = 0
                while index < output.count {
                    let blockCount = Swift.min(blockCapacity, output.count - index)
                    source.fill(UnsafeMutableBufferPointer(start: base, count: blockCount))
                    let rejections = fast(base, blockCount, rejectedBase, outputBase + index)
                    for r in 0..<rejections {
                        let k = Int(rejectedBase[r])
                        outputBase[index + k] = finish(slowSample(base[k], source))
                    }
                    index += blockCount
                }
            }
        }
    }
}
