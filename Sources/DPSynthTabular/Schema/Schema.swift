/// A table's schema: for every column its meaning, its bounds or categories (each with its
/// provenance), its transform and its role. Stored as JSON (`Schemas/*.json`, format described
/// by `Schemas/dpsynth-schema.json`).
public struct Schema: Codable, Equatable, Sendable {
    /// The format tag; files with another tag are refused.
    public static let formatIdentifier = "dpsynth-schema/1"

    public var format: String
    public var name: String
    public var description: String?
    /// How the text source is written (delimiter, missing tokens, trimming).
    public var source: SourceFormat
    public var columns: [ColumnSchema]

    public init(name: String, description: String? = nil, source: SourceFormat = SourceFormat(),
                columns: [ColumnSchema]) {
        self.format = Schema.formatIdentifier
        self.name = name
        self.description = description
        self.source = source
        self.columns = columns
    }

    enum CodingKeys: String, CodingKey { case format, name, description, source, columns }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        format = try container.decode(String.self, forKey: .format)
        name = try container.decode(String.self, forKey: .name)
        description = try container.decodeIfPresent(String.self, forKey: .description)
        source = try container.decodeIfPresent(SourceFormat.self, forKey: .source) ?? SourceFormat()
        columns = try container.decode([ColumnSchema].self, forKey: .columns)
    }

    /// The index of the column named `name`.
    public func columnIndex(named name: String) -> Int? {
        columns.firstIndex { $0.name == name }
    }

    /// The label column's index, if one column has role `label`.
    public var labelColumnIndex: Int? {
        columns.firstIndex { $0.role == .label }
    }

    /// The columns the generator models: not dropped, not identifiers.
    public var modelledColumnIndices: [Int] {
        columns.indices.filter { columns[$0].isModelled }
    }
}

/// How a delimited text file is written.
public struct SourceFormat: Codable, Equatable, Sendable {
    /// One ASCII character; "," by default, "\t" or ";" elsewhere.
    public var delimiter: String
    /// Field texts that mean "missing" in every column (after trimming, when trimming is on).
    /// An unquoted empty field matches the token ""; a quoted empty field (`""`) is an empty
    /// string where a column can hold one (identifiers, or a declared category ""), else missing.
    public var missingTokens: [String]
    /// Strip spaces and tabs around unquoted fields (Adult's values start with a space).
    public var trimWhitespace: Bool
    /// What to do with a value outside a column's category list.
    public var unknownCategory: UnknownCategoryPolicy
    /// The decimal mark of every continuous and integer column: `.` by default, `,` in
    /// exports from a German, French or Italian Excel or EHR (`37,5`). Bounds in the schema
    /// stay JSON numbers; a release is always written with `.` (`Schema.released`).
    public var decimalSeparator: DecimalSeparator
    /// The mark grouping whole digits by thousands (`1.234,5`), or nil when numbers are not
    /// grouped. Only groups of exactly three digits are read, so a value that does not fit is
    /// an error rather than a number off by a power of ten.
    public var groupingSeparator: GroupingSeparator?

    public init(delimiter: String = ",", missingTokens: [String] = [""], trimWhitespace: Bool = false,
                unknownCategory: UnknownCategoryPolicy = .error, decimalSeparator: DecimalSeparator = .point,
                groupingSeparator: GroupingSeparator? = nil) {
        self.delimiter = delimiter
        self.missingTokens = missingTokens
        self.trimWhitespace = trimWhitespace
        self.unknownCategory = unknownCategory
        self.decimalSeparator = decimalSeparator
        self.groupingSeparator = groupingSeparator
    }

    enum CodingKeys: String, CodingKey {
        case delimiter, missingTokens, trimWhitespace, unknownCategory, decimalSeparator, groupingSeparator
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        delimiter = try container.decodeIfPresent(String.self, forKey: .delimiter) ?? ","
        missingTokens = try container.decodeIfPresent([String].self, forKey: .missingTokens) ?? [""]
        trimWhitespace = try container.decodeIfPresent(Bool.self, forKey: .trimWhitespace) ?? false
        unknownCategory = try container.decodeIfPresent(UnknownCategoryPolicy.self, forKey: .unknownCategory) ?? .error
        decimalSeparator = try container.decodeIfPresent(DecimalSeparator.self, forKey: .decimalSeparator) ?? .point
        groupingSeparator = try container.decodeIfPresent(GroupingSeparator.self, forKey: .groupingSeparator)
    }

    /// Writes the number format only when it is not the default, so schemas and model files
    /// of `.`-decimal tables stay as they were.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(delimiter, forKey: .delimiter)
        try container.encode(missingTokens, forKey: .missingTokens)
        try container.encode(trimWhitespace, forKey: .trimWhitespace)
        try container.encode(unknownCategory, forKey: .unknownCategory)
        if decimalSeparator != .point { try container.encode(decimalSeparator, forKey: .decimalSeparator) }
        try container.encodeIfPresent(groupingSeparator, forKey: .groupingSeparator)
    }
}

/// The mark between the whole and the fractional digits of a number.
public enum DecimalSeparator: String, Codable, CaseIterable, Sendable {
    case point = "."
    case comma = ","

    var byte: UInt8 { rawValue.utf8.first ?? UInt8(ascii: ".") }
}

/// The mark between groups of three whole digits (`1.234.567` in Germany, `1 234 567` in
/// France, `1'234'567` in Switzerland, `1,234,567` in English-speaking countries). French
/// exports (Excel, LibreOffice, most EHRs) write a no-break space U+00A0 or a narrow no-break
/// space U+202F, not an ASCII space, and Swiss ones sometimes the typographic apostrophe U+2019:
/// each is one Unicode scalar (two or three UTF-8 bytes) that the readers match whole.
public enum GroupingSeparator: String, Codable, CaseIterable, Sendable {
    case point = "."
    case comma = ","
    case space = " "
    case apostrophe = "'"
    case noBreakSpace = "\u{00A0}"
    case narrowNoBreakSpace = "\u{202F}"
    case rightSingleQuotationMark = "\u{2019}"

    /// The mark as one Unicode scalar.
    public var scalar: Unicode.Scalar { rawValue.unicodeScalars.first ?? "." }

    /// The mark for messages: `'.'`, or `' ' (U+00A0)` when it is not ASCII.
    public var quoted: String { quotedMark(scalar) }
}

/// One column of a schema.
public struct ColumnSchema: Codable, Equatable, Sendable {
    public var name: String
    public var kind: ColumnKind
    public var nullable: Bool
    public var role: ColumnRole
    /// Lower and upper bounds of a continuous, integer or datetime column (datetimes in seconds
    /// since 1970-01-01 UTC).
    public var bounds: Bounds?
    /// The labels of a categorical, ordinal (in order) or boolean (false, true) column.
    public var categories: CategoryList?
    /// How a numeric column is scaled; `minmax` when absent.
    public var transform: Transform?
    /// Missing tokens for this column, replacing the table's `source.missingTokens`.
    public var missingTokens: [String]?
    /// A strftime-like pattern of %Y %m %d %H %M %S and literal characters; "%Y-%m-%d" when absent.
    public var datetimeFormat: String?
    /// Decimal places a decoded continuous value is rounded to (a formatting choice, like the
    /// precision a lab reports), or nil for Float precision.
    public var decimals: Int?
    /// What to do with a value outside the category list, replacing `source.unknownCategory`.
    public var unknownCategory: UnknownCategoryPolicy?
    /// Why the column, its bounds or its categories are what they are.
    public var description: String?

    public init(name: String, kind: ColumnKind, nullable: Bool = false, role: ColumnRole = .feature,
                bounds: Bounds? = nil, categories: CategoryList? = nil, transform: Transform? = nil,
                missingTokens: [String]? = nil, datetimeFormat: String? = nil, decimals: Int? = nil,
                description: String? = nil) {
        self.name = name
        self.kind = kind
        self.nullable = nullable
        self.role = role
        self.bounds = bounds
        self.categories = categories
        self.transform = transform
        self.missingTokens = missingTokens
        self.datetimeFormat = datetimeFormat
        self.decimals = decimals
        self.description = description
    }

    enum CodingKeys: String, CodingKey {
        case name, kind, nullable, role, bounds, categories, transform, missingTokens, datetimeFormat, decimals,
             unknownCategory, description
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        kind = try container.decode(ColumnKind.self, forKey: .kind)
        nullable = try container.decodeIfPresent(Bool.self, forKey: .nullable) ?? false
        role = try container.decodeIfPresent(ColumnRole.self, forKey: .role) ?? .feature
        bounds = try container.decodeIfPresent(Bounds.self, forKey: .bounds)
        categories = try container.decodeIfPresent(CategoryList.self, forKey: .categories)
        transform = try container.decodeIfPresent(Transform.self, forKey: .transform)
        missingTokens = try container.decodeIfPresent([String].self, forKey: .missingTokens)
        datetimeFormat = try container.decodeIfPresent(String.self, forKey: .datetimeFormat)
        decimals = try container.decodeIfPresent(Int.self, forKey: .decimals)
        unknownCategory = try container.decodeIfPresent(UnknownCategoryPolicy.self, forKey: .unknownCategory)
        description = try container.decodeIfPresent(String.self, forKey: .description)
    }

    /// Modelled by the generator: not dropped and not an identifier.
    public var isModelled: Bool { role != .drop && kind != .identifier }

    /// The transform in force: the declared one, or min-max.
    public var effectiveTransform: Transform { transform ?? Transform(method: .minMax) }

    /// The category labels, with a boolean's default ("false", "true") when none are given.
    public var categoryLabels: [String] {
        if let categories { return categories.values }
        return kind == .boolean ? ["false", "true"] : []
    }

    /// The datetime pattern in force.
    public var effectiveDatetimeFormat: String { datetimeFormat ?? "%Y-%m-%d" }
}

/// Lower and upper bounds of a numeric column, with where they came from.
public struct Bounds: Codable, Equatable, Sendable {
    public var min: Double
    public var max: Double
    public var provenance: Provenance
    /// The ε spent on these bounds when `provenance` is `dp`.
    public var epsilon: Double?
    /// Why these bounds: "physiological range", "minimum and maximum of the data", …
    public var reason: String?
    /// A wide range known without the data (a unit's physical limits), inside which the
    /// differentially private quantiles of `SchemaPrivatizer` search for `data` bounds.
    public var publicRange: PublicRange?

    public init(min: Double, max: Double, provenance: Provenance, epsilon: Double? = nil, reason: String? = nil,
                publicRange: PublicRange? = nil) {
        self.min = min
        self.max = max
        self.provenance = provenance
        self.epsilon = epsilon
        self.reason = reason
        self.publicRange = publicRange
    }

    /// Clamps `value` into [min, max].
    public func clamped(_ value: Double) -> Double { Swift.min(Swift.max(value, min), max) }
    public func contains(_ value: Double) -> Bool { value >= min && value <= max }
}

/// A range known without the private data, for the DP quantile search.
public struct PublicRange: Codable, Equatable, Sendable {
    public var min: Double
    public var max: Double
    public var reason: String?

    public init(min: Double, max: Double, reason: String? = nil) {
        self.min = min
        self.max = max
        self.reason = reason
    }
}

/// The labels of a categorical column (in order for an ordinal one), with where they came from.
public struct CategoryList: Codable, Equatable, Sendable {
    public var values: [String]
    public var provenance: Provenance
    public var epsilon: Double?
    /// The δ of the selection when no public candidate list was given (see `SchemaPrivatizer`).
    public var delta: Double?
    public var reason: String?
    /// Every label the column could take, known without the data (a code book): the DP
    /// selection of `SchemaPrivatizer` then counts each of them and is pure ε-DP.
    public var publicCandidates: [String]?

    public init(values: [String], provenance: Provenance, epsilon: Double? = nil, delta: Double? = nil,
                reason: String? = nil, publicCandidates: [String]? = nil) {
        self.values = values
        self.provenance = provenance
        self.epsilon = epsilon
        self.delta = delta
        self.reason = reason
        self.publicCandidates = publicCandidates
    }
}

/// A numeric column's transform, with its parameters when the method needs them.
public struct Transform: Codable, Equatable, Sendable {
    public var method: TransformMethod
    /// `modeSpecific`: the number of mixture modes (CTGAN uses up to 10).
    public var modes: Int?
    /// `standardize`: one mean and deviation; `modeSpecific`: one per mode. Absent for a
    /// `modeSpecific` transform means "spread the modes evenly over the bounds", which costs
    /// nothing beyond the bounds themselves.
    public var parameters: MixtureParameters?

    public init(method: TransformMethod, modes: Int? = nil, parameters: MixtureParameters? = nil) {
        self.method = method
        self.modes = modes
        self.parameters = parameters
    }
}

/// Means, standard deviations and weights of a Gaussian mixture (one component for
/// `standardize`), with where they came from.
public struct MixtureParameters: Codable, Equatable, Sendable {
    public var means: [Double]
    public var standardDeviations: [Double]
    public var weights: [Double]
    public var provenance: Provenance
    public var epsilon: Double?

    public init(means: [Double], standardDeviations: [Double], weights: [Double],
                provenance: Provenance, epsilon: Double? = nil) {
        self.means = means
        self.standardDeviations = standardDeviations
        self.weights = weights
        self.provenance = provenance
        self.epsilon = epsilon
    }
}
