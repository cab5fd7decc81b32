/// One GAPS question (Docs/gaps.md): which gap, broken down by what, among which rows. The
/// scope (an organisation, or every organisation) is not part of it: the asker's role decides it.
public struct GapQuestion: Sendable, Hashable {
    public var kind: GapKind
    /// The `by=` dimensions asked for. Coverage and outcomes always lead with their own two, and
    /// overdue without any reads by priority, provider and area (`GapsAnswer.published.columns`).
    public var dimensions: [GapDimension]
    /// A country (`CO`) or an ISO 3166-2 area (`CO-ANT`) the person is in now.
    public var area: String?
    /// One movement category (a case's primary category).
    public var category: MovementCategory?
    /// GAPS unmet: the age in days (1…3650) at which an open need nobody serves counts as unmet.
    public var days: Int

    public init(
        kind: GapKind, dimensions: [GapDimension] = [], area: String? = nil, category: MovementCategory? = nil,
        days: Int = 7
    ) {
        self.kind = kind
        self.dimensions = dimensions
        self.area = area
        self.category = category
        self.days = days
    }
}
