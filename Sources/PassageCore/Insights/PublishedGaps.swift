/// A GAPS table after disclosure control: what may be shown of a gap, and nothing else. Every
/// count went through `Disclosure` (cell-key perturbation, then every value below k, zeros
/// included, suppressed); everything beside a count (shares, times, the coverage verdict) is
/// computed from published counts only or withheld with them. Free of any wire format: the
/// console renders it as a table, the HTTP API as JSON, CSV or HXL.
public struct PublishedGaps: Sendable, Equatable {
    public var columns: [GapColumn]
    /// One cell per column in each row.
    public var rows: [[GapCell]]
    /// The protections applied, in the order they were (`AppliedProtection.summary` says each).
    public var protections: [AppliedProtection]
    /// The smallest count shown.
    public var k: Int

    public init(columns: [GapColumn], rows: [[GapCell]], protections: [AppliedProtection], k: Int) {
        self.columns = columns
        self.rows = rows
        self.protections = protections
        self.k = k
    }
}

/// A column of a published GAPS table: its name and what its cells hold.
public struct GapColumn: Sendable, Hashable {
    public var name: String
    public var content: Content

    public enum Content: Sendable, Hashable {
        /// The value of a `by=` dimension (text).
        case dimension
        /// A word describing the row: outcomes' `measure` and `reason`, coverage's `gap` verdict (text).
        case label
        /// A published count (`.count`): nil when suppressed below k, or a part withheld with its whole.
        case count
        /// A figure of the public provider registry, not disclosure-controlled (`.count`):
        /// coverage's `providers`, and `capacity`, nil when the providers state none.
        case registry
        /// A rate or share of two published counts, to three decimals (`.figure`): nil when withheld.
        case share
        /// A time in hours, rounded to whole days (`.figure`): nil when withheld with its count.
        case hours
    }

    public init(_ name: String, _ content: Content) {
        self.name = name
        self.content = content
    }

    /// The columns each kind shows after its dimensions, in order.
    public static func measures(of kind: GapKind) -> [GapColumn] {
        switch kind {
        case .unmet:
            [
                GapColumn("identified", .count), GapColumn("referred", .count), GapColumn("met", .count),
                GapColumn("unmet", .count), GapColumn("unmet_rate", .share),
            ]
        case .overdue:
            [GapColumn("overdue", .count), GapColumn("median_hours_late", .hours), GapColumn("p90_hours_late", .hours)]
        case .coverage:
            [
                GapColumn("open_needs", .count), GapColumn("providers", .registry), GapColumn("capacity", .registry),
                GapColumn("gap", .label),
            ]
        case .outcomes:
            [
                GapColumn("measure", .label), GapColumn("reason", .label), GapColumn("count", .count),
                GapColumn("share", .share), GapColumn("median_hours", .hours), GapColumn("p90_hours", .hours),
            ]
        }
    }

    /// The columns of a `kind` table broken down by `dimensions` (names, in order).
    public static func columns(of kind: GapKind, dimensions: [String]) -> [GapColumn] {
        dimensions.map { GapColumn($0, .dimension) } + measures(of: kind)
    }
}

/// One cell of a published GAPS table.
public enum GapCell: Sendable, Hashable {
    /// A dimension's value or a label.
    case text(String)
    /// A count (or a registry figure); nil: not shown (see the column's `Content`).
    case count(Int?)
    /// A share or a time; nil: withheld.
    case figure(Double?)

    /// The count, when this cell holds one that is shown.
    public var count: Int? { if case .count(let value) = self { value } else { nil } }
    /// The share or time, when this cell holds one that is shown.
    public var figure: Double? { if case .figure(let value) = self { value } else { nil } }
    /// The text, when this cell holds one.
    public var text: String? { if case .text(let value) = self { value } else { nil } }
}
