/// Computes the utility section: how closely the synthetic table follows the real one,
/// column by column and pair by pair.
public enum UtilityEvaluation {
    /// Scores every column and every column pair of `real` (the training data) against the
    /// same-named column of `synthetic`. Assumes the tables passed `Audit`'s schema check.
    public static func evaluate(real: AuditTable, synthetic: AuditTable,
                                thresholds: PairTrendThresholds = .sdmetricsDefault) -> UtilitySection {
        let pairedColumns: [(real: ColumnValues, synthetic: ColumnValues, name: String)] =
            real.columns.compactMap { column in
                guard let other = synthetic.column(named: column.name) else { return nil }
                return (column.values, other.values, column.name)
            }
        let columns = pairedColumns.map { pair -> ColumnShapeScore in
            let realNullRate = pair.real.nullRate
            let syntheticNullRate = pair.synthetic.nullRate
            return ColumnShapeScore(
                name: pair.name, kind: pair.real.kindName,
                metric: ColumnShapes.metric(for: pair.real),
                score: ColumnShapes.score(real: pair.real, synthetic: pair.synthetic),
                realNullRate: realNullRate, syntheticNullRate: syntheticNullRate,
                nullRateDifference: Swift.abs(realNullRate - syntheticNullRate),
                distribution: ColumnDistributionBuilder.distribution(real: pair.real,
                                                                     synthetic: pair.synthetic))
        }

        // Discrete versions of every column, computed once: categories as shared codes
        // (missing = −1), numeric columns as histogram bins over each table's own range.
        let discrete = pairedColumns.map { pair -> (real: [Int], synthetic: [Int]) in
            pair.real.paired(
                with: pair.synthetic,
                numeric: { (PairTrends.histogramBinCodes($0), PairTrends.histogramBinCodes($1)) },
                categorical: { realValues, syntheticValues in
                    var codes: [String: Int] = [:]
                    func code(_ value: String?) -> Int {
                        guard let value = value else { return -1 }
                        if let existing = codes[value] { return existing }
                        codes[value] = codes.count
                        return codes.count - 1
                    }
                    return (realValues.map(code), syntheticValues.map(code))
                }) ?? ([], [])
        }

        var pairs: [PairTrendScore] = []
        for first in pairedColumns.indices {
            for second in pairedColumns.indices where second > first {
                let a = pairedColumns[first]
                let b = pairedColumns[second]
                if case .numeric(let realX, _) = a.real, case .numeric(let realY, _) = b.real,
                   case .numeric(let syntheticX, _) = a.synthetic, case .numeric(let syntheticY, _) = b.synthetic {
                    let realCorrelation = PairTrends.pearsonCorrelation(realX, realY)
                    let syntheticCorrelation = PairTrends.pearsonCorrelation(syntheticX, syntheticY)
                    var score: Double?
                    if let r = realCorrelation, let s = syntheticCorrelation { score = 1 - Swift.abs(r - s) / 2 }
                    let meetsThreshold = thresholds.realCorrelation <= 0
                        || realCorrelation.map { Swift.abs($0) > thresholds.realCorrelation } ?? false
                    pairs.append(PairTrendScore(firstColumn: a.name, secondColumn: b.name,
                                                metric: .correlationSimilarity, score: score,
                                                realCorrelation: realCorrelation,
                                                syntheticCorrelation: syntheticCorrelation,
                                                realAssociation: nil, meetsThreshold: meetsThreshold))
                } else {
                    let score = PairTrends.contingencySimilarity(
                        real: (discrete[first].real, discrete[second].real),
                        synthetic: (discrete[first].synthetic, discrete[second].synthetic))
                    let association = PairTrends.cramersV(discrete[first].real, discrete[second].real)
                    let meetsThreshold = thresholds.realAssociation <= 0
                        || association.map { $0 > thresholds.realAssociation } ?? false
                    pairs.append(PairTrendScore(firstColumn: a.name, secondColumn: b.name,
                                                metric: .contingencySimilarity, score: score,
                                                realCorrelation: nil, syntheticCorrelation: nil,
                                                realAssociation: association, meetsThreshold: meetsThreshold))
                }
            }
        }
        let columnShapes = meanOfDefined(columns.map(\.score))
        let columnPairTrends = meanOfDefined(pairs.filter(\.meetsThreshold).map(\.score))
        let columnPairTrendsAllPairs = meanOfDefined(pairs.map(\.score))
        return UtilitySection(columns: columns, columnShapes: columnShapes, pairs: pairs,
                              columnPairTrends: columnPairTrends,
                              quality: meanOfDefined([columnShapes, columnPairTrends]),
                              columnPairTrendsAllPairs: columnPairTrendsAllPairs,
                              qualityAllPairs: meanOfDefined([columnShapes, columnPairTrendsAllPairs]))
    }
}
