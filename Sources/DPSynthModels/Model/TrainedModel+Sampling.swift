import DPSynthEngine
import DPSynthRandom
import DPSynthTabular

/// Which labels a sample should carry.
public enum LabelRequest: Equatable {
    /// Classes from the released label marginal (AC-GAN), or whatever the generator makes (GAN).
    case marginal
    /// Exactly these counts per class name; they must add up to the sample size.
    case counts([String: Int])
    /// These proportions (normalised), turned into exact counts by largest remainders.
    case proportions([String: Double])
}

/// Why a sample cannot be drawn as asked.
public enum SamplingError: Error, Equatable, CustomStringConvertible {
    case labelsNeedACGAN
    case unknownClass(String, known: [String])
    case countMismatch(requested: Int, labelTotal: Int)
    case invalidCount(Int)
    case invalidProportion(String, Double)
    case proportionsSumToZero

    public var description: String {
        switch self {
        case .labelsNeedACGAN:
            return "label counts or proportions need an AC-GAN model (trained with --model acgan); this model is a plain GAN whose labels cannot be requested"
        case .unknownClass(let name, let known):
            return "label class '\(name)' is not one of the model's classes: \(known.joined(separator: ", "))"
        case .countMismatch(let requested, let total):
            return "the label counts add up to \(total) rows but \(requested) rows were requested; make -n equal their sum (or leave -n out)"
        case .invalidCount(let count):
            return "sample size must be ≥ 0 (label counts too), found \(count)"
        case .invalidProportion(let name, let value):
            return "label proportion for '\(name)' must be a non-negative number, found \(value)"
        case .proportionsSumToZero:
            return "the label proportions add up to 0; give at least one class a positive share"
        }
    }
}

extension TrainedModel {
    /// Exact per-class counts for a sample of `count` rows (AC-GAN), or nil for a plain GAN asked
    /// for its marginal.
    public func labelCounts(for count: Int, labels: LabelRequest) throws -> [Int]? {
        guard count >= 0 else { throw SamplingError.invalidCount(count) }
        guard let labelMarginal else {
            if labels == .marginal { return nil }
            throw SamplingError.labelsNeedACGAN
        }
        let names = labelMarginal.classNames
        func index(_ name: String) throws -> Int {
            guard let index = names.firstIndex(of: name) else { throw SamplingError.unknownClass(name, known: names) }
            return index
        }
        switch labels {
        case .marginal:
            return Self.largestRemainderCounts(total: count, proportions: labelMarginal.proportions)
        case .counts(let requested):
            var counts = [Int](repeating: 0, count: names.count)
            for (name, value) in requested {
                guard value >= 0 else { throw SamplingError.invalidCount(value) }
                counts[try index(name)] = value
            }
            let total = counts.reduce(0, +)
            guard total == count else { throw SamplingError.countMismatch(requested: count, labelTotal: total) }
            return counts
        case .proportions(let requested):
            var weights = [Double](repeating: 0, count: names.count)
            for (name, value) in requested {
                guard value.isFinite, value >= 0 else { throw SamplingError.invalidProportion(name, value) }
                weights[try index(name)] = value
            }
            let total = weights.reduce(0, +)
            guard total > 0 else { throw SamplingError.proportionsSumToZero }
            return Self.largestRemainderCounts(total: count, proportions: weights.map { $0 / total })
        }
    }

    /// Draws `count` synthetic rows and hands them to `body` in decoded chunks of at most
    /// `chunkSize` rows, so a million rows never sit in memory at once.
    ///
    /// An AC-GAN gives exactly the requested class counts: every chunk draws its rows' classes
    /// without replacement from the counts still owed, so classes are interleaved and the totals
    /// are exact. Categories, modes and null indicators are drawn from the generator's
    /// probabilities; identifiers are numbered afresh (1, 2, …) across chunks. The same
    /// generator state gives the same rows.
    public func sample(count: Int, labels: LabelRequest = .marginal, random: RandomSource, chunkSize: Int = 8192,
                       _ body: (Table) throws -> Void) throws {
        precondition(chunkSize > 0, "chunk size must be positive")
        var remaining = try labelCounts(for: count, labels: labels)
        var produced = 0
        while produced < count {
            let rows = Swift.min(chunkSize, count - produced)
            var classes: [Int] = []
            if var owed = remaining {
                classes.reserveCapacity(rows)
                for _ in 0..<rows { classes.append(Self.drawWithoutReplacement(from: &owed, random: random)) }
                remaining = owed
            }
            let generated: Tensor = withoutGradients {
                var noise = Tensor(zeros: [rows, configuration.noiseDimension])
                noise.withUnsafeMutableBufferPointer { random.fillGaussian($0) }
                return generator(noise: noise, classes: classes, mode: .sampling)
            }
            let matrix = layout.encodedRows(generated: generated.scalars, classes: classes)
            try body(encoder.decode(matrix, selection: .sample(random), identifiers: .sequential(start: produced + 1)))
            produced += rows
        }
    }

    /// The whole sample as one table (for tests and small samples).
    public func sampleTable(count: Int, labels: LabelRequest = .marginal, random: RandomSource) throws -> Table {
        var chunks: [Table] = []
        try sample(count: count, labels: labels, random: random, chunkSize: Swift.max(count, 1)) { chunks.append($0) }
        if let only = chunks.first, chunks.count == 1 { return only }
        return encoder.decode(EncodedMatrix(values: [], rowCount: 0, width: encoder.width))
    }

    /// Counts summing exactly to `total`: floors, then one more for the largest remainders
    /// (ties to the lower index).
    static func largestRemainderCounts(total: Int, proportions: [Double]) -> [Int] {
        let exact = proportions.map { $0 * Double(total) }
        var counts = exact.map { Int($0.rounded(.down)) }
        let order = exact.indices.sorted { (exact[$0] - Double(counts[$0]), -$0) > (exact[$1] - Double(counts[$1]), -$1) }
        var missing = total - counts.reduce(0, +)
        var position = 0
        while missing > 0 && !order.isEmpty {
            counts[order[position % order.count]] += 1
            missing -= 1
            position += 1
        }
        return counts
    }

    /// A class drawn with probability proportional to the counts still owed; decrements it.
    private static func drawWithoutReplacement(from counts: inout [Int], random: RandomSource) -> Int {
        let total = counts.reduce(0, +)
        var generator = random
        var u = Int.random(in: 0..<total, using: &generator)  // unbiased (rejection), unlike next() % total
        for index in counts.indices {
            if u < counts[index] { counts[index] -= 1; return index }
            u -= counts[index]
        }
        preconditionFailure("no class left to draw")
    }
}
