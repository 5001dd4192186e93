import DPSynthTabular

extension AuditTable {
    /// The audit's view of a table read through its schema: the modelled columns only
    /// (identifiers and dropped columns are never released, so they are not compared), typed
    /// as the schema says, with the schema's label column as the prediction target.
    ///
    /// - Parameter positiveClass: the label value counted as positive for ROC AUC; by default
    ///   the true value of a boolean label, the last category of a two-category label, the
    ///   larger value of a numeric label with two distinct values. Any other label is
    ///   multi-class (categorical) or regression (numeric).
    public init(_ table: Table, positiveClass: String? = nil) throws {
        let schema = table.schema
        var columns: [AuditColumn] = []
        for (index, column) in schema.columns.enumerated() where column.isModelled {
            switch table.columns[index] {
            case .numbers(let values):
                let kind: NumericKind = column.kind == .integer ? .integer : column.kind == .datetime ? .datetime : .continuous
                columns.append(AuditColumn(name: column.name,
                                           values: .numeric(values.map { $0.isNaN ? nil : $0 }, kind: kind)))
            case .categories:
                let kind: CategoricalKind = column.kind == .boolean ? .boolean : column.kind == .ordinal ? .ordinal : .categorical
                columns.append(AuditColumn(name: column.name,
                                           values: .categorical(table.texts(column: index), kind: kind)))
            case .identifiers:
                continue
            }
        }
        var label: LabelSpecification?
        if let labelIndex = schema.labelColumnIndex {
            let labelColumn = schema.columns[labelIndex]
            label = LabelSpecification(columnName: labelColumn.name,
                                       task: try Self.task(for: labelColumn, values: table.texts(column: labelIndex),
                                                           positiveClass: positiveClass))
        } else if let positiveClass {
            throw AuditError.labelTaskMismatch(name: "(none)", reason: "a positive class '\(positiveClass)' was given but the schema has no label column")
        }
        try self.init(columns: columns, label: label)
    }

    private static func task(for column: ColumnSchema, values: [String?], positiveClass: String?) throws -> LabelTask {
        if column.kind.isCategorical {
            let labels = column.categoryLabels
            if let positiveClass {
                guard labels.contains(positiveClass) else {
                    throw AuditError.labelTaskMismatch(name: column.name, reason: "positive class '\(positiveClass)' is not one of its categories \(labels)")
                }
                return .binary(positiveClass: positiveClass)
            }
            return labels.count == 2 ? .binary(positiveClass: labels[1]) : .multiClass
        }
        let distinct = Set(values.compactMap { $0 })
        if let positiveClass {
            guard distinct.contains(positiveClass) else {
                throw AuditError.labelTaskMismatch(name: column.name, reason: "positive class '\(positiveClass)' does not occur in the column")
            }
            return .binary(positiveClass: positiveClass)
        }
        if distinct.count == 2, let larger = distinct.max(by: { (Double($0) ?? 0) < (Double($1) ?? 0) }) {
            return .binary(positiveClass: larger)
        }
        return .regression
    }
}
