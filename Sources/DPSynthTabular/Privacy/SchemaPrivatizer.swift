import DPSynthRandom

/// Replaces the `data`-provenance parts of a schema by differentially private ones: what
/// `dpsynth fit --schema-epsilon E` does before training.
///
/// The budget is split evenly over the items `Schema.dataDerivedItems` lists:
/// - bounds → the lower and upper `quantiles` (half the item's ε each) by `PrivateQuantile`,
///   searched inside the bound's `publicRange` (a datetime without one searches 1900–2100);
///   integer bounds are rounded outwards;
/// - category lists → Laplace counts with a threshold (`PrivateCounts.selectCategories`), pure
///   ε-DP when the list names `publicCandidates`, else (ε, δ)-DP with `categoryDelta`. Dropped
///   labels read as missing afterwards, so the column becomes nullable with unknown labels
///   mapped to null — whatever the data, so the flags themselves reveal nothing;
/// - transform parameters (standardize, modeSpecific) → a Laplace histogram over the new
///   bounds, then the moments or an EM mixture fit, both post-processing.
public enum SchemaPrivatizer {
    public struct Options: Sendable {
        /// Quantiles released as the lower and upper bound: values beyond are clipped later
        /// (and counted by the encoder). Extreme quantiles are noisier in value.
        public var lowerQuantile: Double
        public var upperQuantile: Double
        /// Bins of the histograms behind transform parameters.
        public var histogramBins: Int
        /// δ of category selection when a list has no public candidates.
        public var categoryDelta: Double

        public init(lowerQuantile: Double = 0.01, upperQuantile: Double = 0.99, histogramBins: Int = 50,
                    categoryDelta: Double = 1e-7) {
            self.lowerQuantile = lowerQuantile
            self.upperQuantile = upperQuantile
            self.histogramBins = histogramBins
            self.categoryDelta = categoryDelta
        }
    }

    /// Datetimes without a public range: 1900-01-01 to 2100-01-01, in seconds.
    public static let defaultDatetimeRange: ClosedRange<Double> = -2_208_988_800 ... 4_102_444_800

    /// - Parameters:
    ///   - table: the private rows, read with `schema` (its data bounds do not filter rows).
    ///   - epsilon: the whole schema budget (> 0), split evenly over the data-derived items.
    /// - Returns: the schema with no `data` provenance left in modelled columns, and the spend.
    /// - Throws: when a data bound has no public range to search, or the table does not match.
    public static func privatize(_ schema: Schema, table: Table, epsilon: Double, options: Options = Options(),
                                 random: RandomSource) throws -> (schema: Schema, spend: SchemaSpend) {
        guard epsilon > 0, epsilon.isFinite else {
            throw TabularError.invalidSchema(source: schema.name, reason: "the schema budget must be a positive ε, found \(epsilon)")
        }
        guard table.schema.columns.map(\.name) == schema.columns.map(\.name) else {
            throw TabularError.invalidSchema(source: schema.name, reason: "the table was not read with this schema")
        }
        let items = schema.dataDerivedItems
        var spend = SchemaSpend()
        guard !items.isEmpty else { return (schema, spend) }
        // Check, then spend: every bound without a place to search is named in one error,
        // before any mechanism runs (one column per run would make the user edit and rerun
        // once per column).
        let unsearchable = items.filter { item in
            guard item.part == .bounds, let column = schema.columns.first(where: { $0.name == item.column }),
                  column.kind != .datetime else { return false }
            guard let range = column.bounds?.publicRange else { return true }
            return !(range.min < range.max)
        }.map(\.column)
        if !unsearchable.isEmpty {
            throw TabularError.invalidSchema(source: schema.name, reason: "DP bounds need bounds.publicRange, a range known without the data to search in (a unit's physiological or recordable range), with min < max; missing for \(unsearchable.count) column\(unsearchable.count == 1 ? "" : "s"): \(unsearchable.map { "'\($0)'" }.joined(separator: ", "))")
        }
        let share = epsilon / Double(items.count)
        var result = schema
        // Bounds first: the histograms behind transform parameters use the new bounds.
        for item in items where item.part == .bounds {
            try privatizeBounds(of: item.column, in: &result, table: table, epsilon: share, options: options,
                                random: random, spend: &spend)
        }
        for item in items where item.part == .categories {
            privatizeCategories(of: item.column, in: &result, table: table, epsilon: share, options: options,
                                random: random, spend: &spend)
        }
        for item in items where item.part == .transformParameters {
            privatizeTransform(of: item.column, in: &result, table: table, epsilon: share, options: options,
                               random: random, spend: &spend)
        }
        try result.validate(source: "\(schema.name) (after DP)")
        return (result, spend)
    }

    private static func privatizeBounds(of name: String, in schema: inout Schema, table: Table, epsilon: Double,
                                        options: Options, random: RandomSource, spend: inout SchemaSpend) throws {
        guard let index = schema.columnIndex(named: name), let bounds = schema.columns[index].bounds,
              case .numbers(let values) = table.columns[index] else { return }
        let column = schema.columns[index]
        let range: ClosedRange<Double>
        if let publicRange = bounds.publicRange, publicRange.min < publicRange.max {
            range = publicRange.min...publicRange.max
        } else if column.kind == .datetime {
            range = defaultDatetimeRange
        } else {
            preconditionFailure("privatize checks every bound's public range first")
        }
        let half = epsilon / 2
        var low = PrivateQuantile.quantile(of: values, quantile: options.lowerQuantile, in: range, epsilon: half, random: random)
        var high = PrivateQuantile.quantile(of: values, quantile: options.upperQuantile, in: range, epsilon: half, random: random)
        if low > high { swap(&low, &high) }
        if column.kind == .integer || column.kind == .datetime {
            low = low.rounded(.down)
            high = high.rounded(.up)
        }
        schema.columns[index].bounds = Bounds(
            min: low, max: high, provenance: .differentiallyPrivate, epsilon: epsilon,
            reason: "\(options.lowerQuantile) and \(options.upperQuantile) quantiles, ε = \(epsilon) in all (exponential mechanism, Smith 2011) within the public range [\(decimalText(range.lowerBound)), \(decimalText(range.upperBound))]",
            publicRange: bounds.publicRange)
        for (part, quantile) in [("lower bound", options.lowerQuantile), ("upper bound", options.upperQuantile)] {
            spend.entries.append(SchemaSpend.Entry(column: name, part: part, mechanism: .exponentialQuantile, epsilon: half,
                                                   delta: 0, note: "\(quantile) quantile in [\(decimalText(range.lowerBound)), \(decimalText(range.upperBound))]"))
        }
    }

    private static func privatizeCategories(of name: String, in schema: inout Schema, table: Table, epsilon: Double,
                                            options: Options, random: RandomSource, spend: inout SchemaSpend) {
        guard let index = schema.columnIndex(named: name), let list = schema.columns[index].categories,
              case .categories(let codes) = table.columns[index] else { return }
        let readLabels = table.schema.columns[index].categoryLabels
        var countByLabel: [String: Int] = [:]
        for code in codes where code >= 0 { countByLabel[readLabels[Int(code)], default: 0] += 1 }
        let labels = list.publicCandidates ?? list.values
        let isPublic = list.publicCandidates != nil
        let delta = isPublic ? 0 : options.categoryDelta
        var (kept, threshold) = PrivateCounts.selectCategories(labels: labels, counts: labels.map { countByLabel[$0] ?? 0 },
                                                               labelsArePublic: isPublic, epsilon: epsilon, delta: delta,
                                                               random: random)
        var note = "kept \(kept.count) of \(labels.count) labels with noisy count ≥ \(String(format: "%.2f", threshold))"
        if schema.columns[index].kind == .boolean && kept.count != 2 {
            // A boolean keeps both codes (they follow from the kind); the count decided nothing.
            kept = list.values
            note = "boolean codes kept as declared"
        } else if kept.isEmpty {
            kept = [labels.first ?? "?"]
            note += "; none passed, the first label kept so the column stays encodable"
        }
        schema.columns[index].categories = CategoryList(
            values: kept, provenance: .differentiallyPrivate, epsilon: epsilon, delta: delta == 0 ? nil : delta,
            reason: isPublic ? "Laplace counts of the public candidates, thresholded (ε-DP)"
                             : "Laplace counts of the labels in the data, thresholded ((ε, δ)-DP set union)",
            publicCandidates: list.publicCandidates)
        schema.columns[index].nullable = true
        schema.columns[index].unknownCategory = .mapToNull
        spend.entries.append(SchemaSpend.Entry(column: name, part: "categories",
                                               mechanism: isPublic ? .laplaceCountsOfPublicCandidates : .laplaceCountsThresholded,
                                               epsilon: epsilon, delta: delta, note: note))
    }

    private static func privatizeTransform(of name: String, in schema: inout Schema, table: Table, epsilon: Double,
                                           options: Options, random: RandomSource, spend: inout SchemaSpend) {
        guard let index = schema.columnIndex(named: name), let bounds = schema.columns[index].bounds,
              var transform = schema.columns[index].transform, case .numbers(let values) = table.columns[index] else { return }
        let exact = ModeSpecificNormalization.histogram(of: values, bounds: bounds, binCount: options.histogramBins)
        let noisy = PrivateCounts.laplace(exact, epsilon: epsilon, random: random)
        switch transform.method {
        case .modeSpecific:
            var parameters = ModeSpecificNormalization.fit(histogram: noisy, bounds: bounds, modes: transform.modes ?? 1,
                                                           provenance: .differentiallyPrivate)
            parameters.epsilon = epsilon
            transform.parameters = parameters
        case .standardize:
            let binWidth = (bounds.max - bounds.min) / Double(options.histogramBins)
            let weights = noisy.map { max($0, 0) }
            let total = max(weights.reduce(0, +), 1)
            let centres = (0..<options.histogramBins).map { bounds.min + (Double($0) + 0.5) * binWidth }
            let mean = zip(weights, centres).reduce(0) { $0 + $1.0 * $1.1 } / total
            let variance = zip(weights, centres).reduce(0) { $0 + $1.0 * ($1.1 - mean) * ($1.1 - mean) } / total
            transform.parameters = MixtureParameters(
                means: [mean], standardDeviations: [max(variance.squareRoot(), binWidth / 2, .leastNormalMagnitude)],
                weights: [1], provenance: .differentiallyPrivate, epsilon: epsilon)
        case .minMax, .log:
            return
        }
        schema.columns[index].transform = transform
        spend.entries.append(SchemaSpend.Entry(column: name, part: "transform parameters", mechanism: .laplaceHistogram,
                                               epsilon: epsilon, delta: 0,
                                               note: "\(options.histogramBins)-bin Laplace histogram over the bounds, then \(transform.method == .modeSpecific ? "an EM mixture fit" : "its mean and deviation")"))
    }
}
