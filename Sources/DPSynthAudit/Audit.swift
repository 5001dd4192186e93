/// Settings of an audit run.
public struct AuditOptions: Sendable, Equatable {
    /// The dataset's name as the report shows it.
    public var datasetName: String
    public var pairTrendThresholds: PairTrendThresholds
    public var tstr: TSTROptions

    public init(datasetName: String, pairTrendThresholds: PairTrendThresholds = .sdmetricsDefault,
                tstr: TSTROptions = TSTROptions()) {
        self.datasetName = datasetName
        self.pairTrendThresholds = pairTrendThresholds
        self.tstr = tstr
    }
}

/// The audit of one synthetic release: checks the tables agree, then computes the utility,
/// train-on-synthetic and risk sections and puts them beside the privacy record.
public enum Audit {
    /// - Parameters:
    ///   - real: the rows the generator was trained on (its `label` drives TSTR).
    ///   - synthetic: the released rows.
    ///   - holdout: real rows the generator never saw; without it, TSTR and the holdout-based
    ///     risk numbers are left out.
    ///   - privacy: the privacy record, from the model file and the ledger.
    public static func run(real: AuditTable, synthetic: AuditTable, holdout: AuditTable?,
                           privacy: PrivacySummary, options: AuditOptions) throws -> AuditReport {
        if real.rowCount == 0 { throw AuditError.emptyTable(table: .real) }
        try validate(synthetic, against: real, role: .synthetic)
        if let holdout = holdout { try validate(holdout, against: real, role: .holdout) }
        let utility = UtilityEvaluation.evaluate(real: real, synthetic: synthetic, thresholds: options.pairTrendThresholds)
        var tstr: TSTRSection?
        if let label = real.label, let holdout = holdout {
            tstr = try TSTREvaluation.evaluate(train: real, synthetic: synthetic, test: holdout, label: label,
                                               options: options.tstr)
        }
        let risk = RiskEvaluation.evaluate(train: real, holdout: holdout, synthetic: synthetic)
        let dataset = DatasetDescription(name: options.datasetName, realRows: real.rowCount,
                                         syntheticRows: synthetic.rowCount, holdoutRows: holdout?.rowCount,
                                         columns: real.columns.map(\.name))
        return AuditReport(format: AuditReport.formatName, dataset: dataset, privacy: privacy,
                           utility: utility, tstr: tstr, risk: risk)
    }

    /// `table` must have rows and exactly the real table's columns, each of the same kind.
    public static func validate(_ table: AuditTable, against real: AuditTable, role: AuditTableRole) throws {
        for column in real.columns {
            guard let other = table.column(named: column.name) else {
                throw AuditError.missingColumn(name: column.name, table: role)
            }
            if other.values.kindName != column.values.kindName {
                throw AuditError.columnKindMismatch(name: column.name, table: role,
                                                    expected: column.values.kindName, found: other.values.kindName)
            }
        }
        for column in table.columns where real.column(named: column.name) == nil {
            throw AuditError.unexpectedColumn(name: column.name, table: role)
        }
        if table.rowCount == 0 { throw AuditError.emptyTable(table: role) }
    }
}
