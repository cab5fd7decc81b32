import Foundation
import PassageCore
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

    public init(
        kind: GapKind, by: [GapDimension] = [], area: String? = nil, category: String? = nil, days: Int = 7,
        organisation: Int64?, now: Date = Date()
    ) {
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
        let leading: [GapDimension] =
            switch kind {
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
            if let refusal = dimension.refusal(for: kind) { throw StoreError.invalid(argument: "by", message: refusal) }
        }
        if let area, area.range(of: #"^[A-Z]{2}(-[A-Z0-9]{1,3})?$"#, options: .regularExpression) == nil {
            throw StoreError.invalid(
                argument: "area", message: "area must be a country (CO) or an ISO 3166-2 area (CO-ANT), got \(area)")
        }
        guard (1...3650).contains(days) else {
            throw StoreError.invalid(argument: "days", message: "days must be between 1 and 3650, got \(days)")
        }
        guard dimensions.count <= 6 else {
            throw StoreError.invalid(argument: "by", message: "at most 6 dimensions in all, got \(dimensions.count)")
        }
        return self
    }
}

/// A query assembled from fixed SQL fragments and bound values only: the dimensions are chosen
/// from `GapDimension`'s literals, and every value the user gave is a parameter.
struct GapSQL {
    private var text = PostgresQuery.StringInterpolation(literalCapacity: 1024, interpolationCount: 8)

    mutating func add(_ fragment: SQLFragment) { text.appendInterpolation(fragment) }
    mutating func bind<Value: PostgresEncodable>(_ value: Value) { text.appendInterpolation(value) }

    /// `expr AS d0, expr AS d1, …, ` and, for a rollup, `scope AS so, `. A case's category and
    /// subcategory are read as of `asOf` (the release's boundary, `caseCategory`).
    mutating func select(_ grouping: GapGrouping, kind: GapKind, scope: SQLFragment, asOf: Date) {
        for (index, dimension) in grouping.dimensions.enumerated() {
            switch dimension {
            case .category: caseCategory(asOf: asOf)
            case .subcategory:
                add(SQLFragment("coalesce(CASE WHEN greatest(c.updated_at, c.classified_at) < "))
                bind(asOf)
                add(SQLFragment("::timestamptz THEN c.subcategory ELSE (passage_classification_at(c.id, "))
                bind(asOf)
                add(SQLFragment("::timestamptz))[2] END, 'unknown')"))
            default: add(dimension.expression(for: kind))
            }
            add(Self.alias[index])
            add(SQLFragment(", "))
        }
        if grouping.sets != nil {
            add(scope)
            add(SQLFragment(" AS so, "))
        }
    }

    /// `GROUP BY d0, d1` for one breakdown; for a rollup `GROUP BY GROUPING SETS ((so, d0), (d0), …)`:
    /// every set once per organisation and once over all of them.
    mutating func groupBy(_ grouping: GapGrouping) {
        guard let sets = grouping.sets else {
            guard !grouping.dimensions.isEmpty else { return }
            add(SQLFragment(" GROUP BY "))
            for index in grouping.dimensions.indices {
                if index > 0 { add(SQLFragment(", ")) }
                add(Self.name[index])
            }
            return
        }
        add(SQLFragment(" GROUP BY GROUPING SETS ("))
        for (setIndex, set) in sets.enumerated() {
            for (scoped, prefix) in [
                (true, setIndex == 0 ? SQLFragment("(so") : SQLFragment(", (so")), (false, SQLFragment(", (")),
            ] {
                add(prefix)
                for (position, index) in set.enumerated() {
                    if scoped || position > 0 { add(SQLFragment(", ")) }
                    add(Self.name[index])
                }
                add(SQLFragment(")"))
            }
        }
        add(SQLFragment(")"))
    }

    /// Scope and filters over c (cases) and the counted table's organisation column.
    mutating func filters(_ query: GapQuery, organisationColumn: SQLFragment) {
        if let organisation = query.organisation {
            add(SQLFragment(" AND "))
            add(organisationColumn)
            add(SQLFragment(" = "))
            bind(organisation)
        }
        if let area = query.area {
            add(area.contains("-") ? SQLFragment(" AND c.current_area = ") : SQLFragment(" AND c.current_country = "))
            bind(area)
        }
        if let category = query.category {
            add(SQLFragment(" AND "))
            caseCategory(asOf: query.now)
            add(SQLFragment(" = "))
            bind(category)
        }
    }

    /// The category in force for case c at `asOf`: as it stands when the case has not changed
    /// since, else from its classification history (`passage_classification_at`, Schema/0014).
    mutating func caseCategory(asOf: Date) {
        add(SQLFragment("(CASE WHEN greatest(c.updated_at, c.classified_at) < "))
        bind(asOf)
        add(SQLFragment("::timestamptz THEN c.primary_category ELSE (passage_classification_at(c.id, "))
        bind(asOf)
        add(SQLFragment("::timestamptz))[1] END)"))
    }

    /// Referrals recorded before `asOf`, as they stood then (aliased by the caller): status,
    /// outcome and reason from the last event before it when the referral changed since, times
    /// of acceptance and closing only when before it. A referral without events reads as it stands.
    /// The last event before the boundary is looked up by index for the referrals changed since
    /// only (a LATERAL join over them, costed for those rows): not a sub-query per referral in the
    /// select list, costed for every referral, which made the planner choose nested loops that did
    /// not finish at 10 M rows; nor one pass over every event (6.5 s of GAPS overdue's 14 s at 10 M).
    mutating func referrals(asOf: Date) {
        add(
            SQLFragment(
                """
                (SELECT q.id, q.case_id, q.need_id, q.provider_id, q.service, q.referring_organisation_id,
                        q.receiving_organisation_id, q.priority, q.created_at, q.due_at, q.record_key,
                        coalesce(q.past[1], q.status) AS status,
                        CASE WHEN q.past IS NULL THEN q.outcome ELSE q.past[2] END AS outcome,
                        CASE WHEN q.past IS NULL THEN q.reason ELSE q.past[3] END AS reason,
                        CASE WHEN q.accepted_at <
                """))
        bind(asOf)
        add(SQLFragment("::timestamptz THEN q.accepted_at END AS accepted_at, CASE WHEN q.closed_at < "))
        bind(asOf)
        add(
            SQLFragment(
                """
                ::timestamptz THEN q.closed_at END AS closed_at
                   FROM (SELECT r.*, p.past FROM referrals r
                         LEFT JOIN (SELECT u.id AS referral_id, l.past FROM referrals u
                                    CROSS JOIN LATERAL (
                                        SELECT ARRAY[e.to_status, e.outcome, e.reason] AS past FROM referral_events e
                                        WHERE e.referral_id = u.id AND e.at <
                """))
        bind(asOf)
        add(SQLFragment("::timestamptz ORDER BY e.at DESC, e.id DESC LIMIT 1) l WHERE u.updated_at >= "))
        bind(asOf)
        add(
            SQLFragment(
                """
                ::timestamptz) p ON p.referral_id = r.id
                         WHERE r.created_at <
                """))
        bind(asOf)
        add(SQLFragment("::timestamptz) q)"))
    }

    var query: PostgresQuery { PostgresQuery(stringInterpolation: text) }

    private static let alias = [
        SQLFragment(" AS d0"), SQLFragment(" AS d1"), SQLFragment(" AS d2"), SQLFragment(" AS d3"),
        SQLFragment(" AS d4"), SQLFragment(" AS d5"), SQLFragment(" AS d6"), SQLFragment(" AS d7"),
        SQLFragment(" AS d8"), SQLFragment(" AS d9"), SQLFragment(" AS d10"), SQLFragment(" AS d11"),
    ]
    private static let name = [
        SQLFragment("d0"), SQLFragment("d1"), SQLFragment("d2"), SQLFragment("d3"), SQLFragment("d4"),
        SQLFragment("d5"), SQLFragment("d6"), SQLFragment("d7"), SQLFragment("d8"), SQLFragment("d9"),
        SQLFragment("d10"), SQLFragment("d11"),
    ]
    static let maximumDimensions = 12
}

/// How a gap query groups: by one list of dimensions, or — to fill the rollup — by several
/// sets of them at once (indexes into `dimensions`), each per organisation and over all.
struct GapGrouping {
    var dimensions: [GapDimension]
    var sets: [[Int]]?

    static func plain(_ dimensions: [GapDimension]) -> GapGrouping { GapGrouping(dimensions: dimensions, sets: nil) }

    /// The union of `sets`' dimensions, in first-seen order, and each set as indexes into it.
    static func rollup(_ sets: [[GapDimension]]) -> GapGrouping {
        var union: [GapDimension] = []
        for set in sets { for dimension in set where !union.contains(dimension) { union.append(dimension) } }
        return GapGrouping(dimensions: union, sets: sets.map { set in set.map { union.firstIndex(of: $0)! } })
    }
}
