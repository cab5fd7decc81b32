import Foundation
import Postgres

/// What a GAPS request asks: the kind, the breakdown, the filters, and whose cases it covers.
public struct GapQuery: Sendable {
    public var kind: GapKind
    public var by: [GapDimension]
    /// A country (`CO`) or an ISO 3166-2 area (`CO-ANT`) the person is in now.
    public var area: String?
    /// A movement category (the case's primary category).
    public var category: String?
    /// GAPS unmet: the age in days at which an open need nobody serves counts as unmet.
    public var days: Int
    /// nil: every organisation (policy staff); otherwise only this organisation's cases (analysts).
    public var organisation: Int64?
    /// "Now" for ages and lateness (tests fix it).
    public var now: Date

    public init(kind: GapKind, by: [GapDimension] = [], area: String? = nil, category: String? = nil, days: Int = 7,
                organisation: Int64?, now: Date = Date()) {
        self.kind = kind
        self.by = by
        self.area = area
        self.category = category
        self.days = days
        self.organisation = organisation
        self.now = now
    }

    /// The breakdown actually used: GAPS overdue reads by priority, provider and area unless
    /// `by=` says otherwise; coverage always starts with area and service, outcomes with
    /// provider and service (a repeated dimension is dropped).
    public var dimensions: [GapDimension] {
        let leading: [GapDimension] = switch kind {
        case .coverage: [.area, .service]
        case .outcomes: [.provider, .service]
        case .overdue: by.isEmpty ? [.priority, .provider, .area] : []
        case .unmet: []
        }
        var seen = Set<GapDimension>()
        return (leading + by).filter { seen.insert($0).inserted }
    }

    /// Checks the request; the message names the argument at fault.
    public func validated() throws -> GapQuery {
        for dimension in by {
            if let refusal = dimension.refusal(for: kind) { throw StoreError.invalid(refusal) }
        }
        if let area, area.range(of: #"^[A-Z]{2}(-[A-Z0-9]{1,3})?$"#, options: .regularExpression) == nil {
            throw StoreError.invalid("area must be a country (CO) or an ISO 3166-2 area (CO-ANT), got \(area)")
        }
        guard (1...3650).contains(days) else { throw StoreError.invalid("days must be between 1 and 3650, got \(days)") }
        guard dimensions.count <= 6 else { throw StoreError.invalid("by: at most 6 dimensions in all, got \(dimensions.count)") }
        return self
    }
}

/// A query assembled from fixed SQL fragments and bound values only: the dimensions are chosen
/// from `GapDimension`'s literals, and every value the user gave is a parameter.
struct GapSQL {
    private var text = PostgresQuery.StringInterpolation(literalCapacity: 1024, interpolationCount: 8)

    mutating func add(_ fragment: SQLFragment) { text.appendInterpolation(fragment) }
    mutating func bind<Value: PostgresEncodable>(_ value: Value) { text.appendInterpolation(value) }

    /// `expr AS d0, expr AS d1, …` (or the bare list for GROUP BY), each followed by `, ` when `trailing`.
    mutating func dimensions(_ dimensions: [GapDimension], kind: GapKind, aliased: Bool) {
        for (index, dimension) in dimensions.enumerated() {
            add(dimension.expression(for: kind))
            if aliased { add(Self.alias[index]) }
            add(SQLFragment(", "))
        }
    }

    /// Scope and filters over c (cases) and the counted table's organisation column.
    mutating func filters(_ query: GapQuery, organisationColumn: SQLFragment) {
        if let organisation = query.organisation {
            add(SQLFragment(" AND ")); add(organisationColumn); add(SQLFragment(" = ")); bind(organisation)
        }
        if let area = query.area {
            add(area.contains("-") ? SQLFragment(" AND c.current_area = ") : SQLFragment(" AND c.current_country = "))
            bind(area)
        }
        if let category = query.category {
            add(SQLFragment(" AND c.primary_category = ")); bind(category)
        }
    }

    var query: PostgresQuery { PostgresQuery(stringInterpolation: text) }

    private static let alias = [SQLFragment(" AS d0"), SQLFragment(" AS d1"), SQLFragment(" AS d2"), SQLFragment(" AS d3"),
                                SQLFragment(" AS d4"), SQLFragment(" AS d5")]
}
