import PassageCore
import PassageStore

/// An aggregate table as asked for (STATS, `passage export`), in the asker's words; the use case
/// validates it and names the argument at fault (`badArgument`).
public struct AggregateRequest: Sendable, Equatable {
    /// What to count: cases, needs or referrals (nil: implied by `by`, else cases).
    public var of: String?
    /// Dimensions, in order (category, origin, sex …).
    public var by: [String]
    /// Smallest published count (default 5, at least 5).
    public var k: Int?
    /// ε asked for by the request: refused (`badArgument` on dp), since differential privacy is
    /// an organisation's policy (`passage privacy-policy`); carried so the refusal names it.
    public var dp: Double?
    /// Margins and the grand total too, each perturbed by its own cell key.
    public var totals: Bool
    /// First and last month counted (YYYY-MM or YYYY-MM-DD): one released month, or everything released.
    public var from: String?
    public var to: String?
    /// Only rows with these values (`category=refugee_asylum`).
    public var filters: [Filter]

    public struct Filter: Sendable, Equatable {
        public var dimension: String
        public var value: String

        public init(dimension: String, value: String) {
            self.dimension = dimension
            self.value = value
        }
    }

    /// The dimensions a table may be broken down by, as they are written.
    public static let dimensions: [String] = StatisticsDimension.allCases.map(\.rawValue)

    public init(
        of: String? = nil, by: [String] = [], k: Int? = nil, dp: Double? = nil, totals: Bool = false,
        from: String? = nil,
        to: String? = nil, filters: [Filter] = []
    ) {
        self.of = of
        self.by = by
        self.k = k
        self.dp = dp
        self.totals = totals
        self.from = from
        self.to = to
        self.filters = filters
    }
}

/// Anonymised microdata as asked for (`passage export --microdata`).
public struct MicrodataRequest: Sendable, Equatable {
    /// Smallest group of rows sharing their quasi-identifiers (default 11).
    public var k: Int?
    /// At least this many categories in every group (category becomes the sensitive column).
    public var lDiversity: Int?
    public var from: String?
    public var to: String?

    public init(k: Int? = nil, lDiversity: Int? = nil, from: String? = nil, to: String? = nil) {
        self.k = k
        self.lDiversity = lDiversity
        self.from = from
        self.to = to
    }
}

/// An organisation's differential-privacy policy (issue 17): ε per table, and a budget per
/// release spent by all its analysts together. `scope` is `organisation:<id>`, or `all` for the
/// figures over every organisation.
public struct PrivacyPolicyStanding: Sendable, Equatable {
    public var scope: String
    /// nil: no policy (the cell-key method alone).
    public var epsilon: Double?
    public var budget: Double?

    public init(scope: String, epsilon: Double?, budget: Double?) {
        self.scope = scope
        self.epsilon = epsilon
        self.budget = budget
    }
}
