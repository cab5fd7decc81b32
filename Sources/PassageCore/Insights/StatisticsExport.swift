/// An aggregate export after disclosure control: the table to format, and what it covers.
/// (PassageCore, not the store: every interface renders it — the console, `passage export`, HTTP.)
public struct StatisticsExport: Sendable, Equatable {
    public var unit: CountedUnit
    public var table: PublishedTable
    /// The rows counted: recorded in [start, end), end never past the release cutoff (ISO dates).
    public var window: String
    /// The release read: its cutoff date (rows recorded before it), e.g. `2026-12-01`.
    public var release: String
    /// Privacy budget this export spent (0 without dp=), and what is left.
    public var epsilonSpent: Double
    public var budgetLeft: Double?
    /// Dimension values fixed by filters (for HXL attributes such as `+refugees+f+children`).
    public var filters: [Filter]
    /// Where the counting was read when the server has a read pool (nil without one).
    public var readSource: ReadSource?

    public struct Filter: Sendable, Equatable {
        public var dimension: String
        public var value: String

        public init(dimension: String, value: String) {
            self.dimension = dimension
            self.value = value
        }
    }

    public init(
        unit: CountedUnit, table: PublishedTable, window: String, release: String, epsilonSpent: Double,
        budgetLeft: Double?, filters: [Filter]
    ) {
        self.unit = unit
        self.table = table
        self.window = window
        self.release = release
        self.epsilonSpent = epsilonSpent
        self.budgetLeft = budgetLeft
        self.filters = filters
    }
}

/// Anonymised microdata: one row per case that survived, quasi-identifiers generalised.
public struct MicrodataExport: Sendable, Equatable {
    public var microdata: AnonymisedMicrodata
    public var window: String
    /// Every protection applied, the release period and coarsening first.
    public var protections: [AppliedProtection]

    public init(microdata: AnonymisedMicrodata, window: String, protections: [AppliedProtection]) {
        self.microdata = microdata
        self.window = window
        self.protections = protections
    }
}
