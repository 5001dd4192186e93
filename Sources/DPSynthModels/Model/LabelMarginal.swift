import DPSynthRandom

/// The label distribution an AC-GAN draws its classes from, in training (the labels of fake
/// rows) and when sampling without explicit counts.
///
/// Released with the Gaussian mechanism: each class count plus N(0, σ²) (add/remove one record
/// moves one count by 1: L2 sensitivity 1), clamped at 0. Its event is composed with DP-SGD's
/// before σ is calibrated, so the total budget covers it. Without privacy the counts are exact.
public struct LabelMarginal: Codable, Equatable {
    public var classNames: [String]
    /// Released counts (noised under DP, clamped at 0).
    public var counts: [Double]
    /// σ of the Gaussian mechanism, nil for exact (non-private) counts.
    public var noiseMultiplier: Double?

    public init(classNames: [String], counts: [Double], noiseMultiplier: Double?) {
        self.classNames = classNames
        self.counts = counts
        self.noiseMultiplier = noiseMultiplier
    }

    /// Class proportions; uniform when every released count is 0.
    public var proportions: [Double] {
        let total = counts.reduce(0, +)
        guard total > 0 else { return counts.map { _ in 1 / Double(Swift.max(counts.count, 1)) } }
        return counts.map { $0 / total }
    }

    /// Releases the counts of `classes` (one per record) over `classNames`.
    static func release(classes: [Int], classNames: [String], noiseMultiplier: Double?, random: RandomSource) -> LabelMarginal {
        var counts = [Double](repeating: 0, count: classNames.count)
        for value in classes { counts[value] += 1 }
        if let noiseMultiplier {
            counts = counts.map { Swift.max(0, $0 + noiseMultiplier * random.nextGaussian()) }
        }
        return LabelMarginal(classNames: classNames, counts: counts, noiseMultiplier: noiseMultiplier)
    }

    /// `count` classes drawn independently from the proportions.
    func draw(count: Int, random: RandomSource) -> [Int] {
        let cumulative = proportions.reduce(into: [Double]()) { $0.append(($0.last ?? 0) + $1) }
        return (0..<count).map { _ in
            let u = random.nextUnitDouble() * (cumulative.last ?? 1)
            return cumulative.firstIndex { u < $0 } ?? (cumulative.count - 1)
        }
    }
}
