import PassageCore

/// An aggregate export after disclosure control: the table to format, and what it covers.
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

    public struct Filter: Sendable, Equatable {
        public var dimension: String
        public var value: String
    }
}

/// Anonymised microdata: one row per case that survived, quasi-identifiers generalised.
public struct MicrodataExport: Sendable, Equatable {
    public var microdata: AnonymisedMicrodata
    public var window: String
    /// Every protection applied, the release period and coarsening first.
    public var protections: [AppliedProtection]
}
