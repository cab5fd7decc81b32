import Foundation
import PassageCore
import Postgres

/// The four protection-gap queries (Docs/gaps.md defines each). Every count comes with its
/// cell key, and every value the user gave is a bound parameter. Scope: an analyst's query
/// names their organisation (its cases only), policy staff's names none (every organisation).
public struct GapsStore: Sendable {
    public init() {}

    public func run(_ query: GapQuery, on connection: PostgresConnection) throws -> GapTable {
        let query = try query.validated()
        let dimensions = query.dimensions
        // Sized first: an oversized table is refused after one catalog read, before any count.
        try TableSizeEstimate.check(
            Self.estimatedRows(
                query, codeLists: try CodeLists.read(on: connection),
                statistics: try PlannerStatistics.read(on: connection)),
            limit: DisclosureParameters.defaultMaximumCells)
        let rows = try grouped(query, .plain(dimensions), on: connection).map(\.row)
        return table(query.kind, dimensions: dimensions.map(\.rawValue), rows: rows)
    }

    /// The rows of one kind grouped as `grouping` says (one breakdown, or the rollup's sets).
    func grouped(_ query: GapQuery, _ grouping: GapGrouping, on connection: PostgresConnection) throws -> [GroupedRow] {
        switch query.kind {
        case .unmet: return try unmet(query, grouping, on: connection)
        case .overdue: return try overdue(query, grouping, on: connection)
        case .coverage: return try coverage(query, grouping, on: connection)
        case .outcomes: return try outcomes(query, grouping, on: connection)
        }
    }

    /// A grouped row: the dimension values (nil where a rollup set does not group by it), the
    /// organisation it counts (rollup rows per organisation) and the counts.
    struct GroupedRow {
        var values: [String?]
        var scope: Int64?
        var row: GapRow
    }

    static let unmetMeasures = ["identified", "referred", "met", "unmet"]
    static let overdueFigures = [
        (name: "median_hours_late", measure: "overdue"), (name: "p90_hours_late", measure: "overdue"),
    ]
    static let outcomeFigures = [
        (name: "median_hours_to_accept", measure: "accepted"), (name: "p90_hours_to_accept", measure: "accepted"),
        (name: "median_hours_to_complete", measure: "completed"), (name: "p90_hours_to_complete", measure: "completed"),
    ]

    /// The table of `kind` from rows already grouped by `dimensions`, sorted by their values.
    func table(_ kind: GapKind, dimensions: [String], rows: [GapRow]) -> GapTable {
        let sorted = rows.sorted { $0.values.lexicographicallyPrecedes($1.values) }
        switch kind {
        case .unmet:
            return GapTable(kind: kind, dimensions: dimensions, measures: Self.unmetMeasures, figures: [], rows: sorted)
        case .overdue:
            return GapTable(
                kind: kind, dimensions: dimensions, measures: ["overdue"], figures: Self.overdueFigures, rows: sorted)
        case .coverage:
            return GapTable(kind: kind, dimensions: dimensions, measures: ["open_needs"], figures: [], rows: sorted)
        case .outcomes:
            let reasons = Set(rows.flatMap(\.counts.keys)).subtracting(Self.outcomeMeasures).sorted()
            return GapTable(
                kind: kind, dimensions: dimensions, measures: Self.outcomeMeasures + reasons,
                figures: Self.outcomeFigures, rows: sorted)
        }
    }

    // MARK: unmet

    /// Needs (not withdrawn): identified; referred (a referral pending, accepted or completed);
    /// met; unmet (open, identified at least `days` ago, and no referral pending, accepted or
    /// completed successfully: none at all, or only declined, cancelled or unsuccessful ones).
    func unmet(_ query: GapQuery, _ grouping: GapGrouping, on connection: PostgresConnection) throws -> [GroupedRow] {
        let cutoff = query.now.addingTimeInterval(-Double(query.days) * 86_400)
        var sql = GapSQL()
        sql.add(SQLFragment("SELECT "))
        sql.select(grouping, kind: .unmet, scope: SQLFragment("n.organisation_id"), asOf: query.now)
        sql.add(
            SQLFragment(
                """
                count(*), (coalesce(sum(n.record_key) FILTER (WHERE true), 0) % 4294967296)::bigint,
                count(*) FILTER (WHERE s.referred), (coalesce(sum(n.record_key) FILTER (WHERE s.referred), 0) % 4294967296)::bigint,
                count(*) FILTER (WHERE n.status = 'met'), (coalesce(sum(n.record_key) FILTER (WHERE n.status = 'met'), 0) % 4294967296)::bigint,
                """))
        sql.add(
            SQLFragment("count(*) FILTER (WHERE n.status = 'open' AND s.served IS NOT TRUE AND n.identified_at <= "))
        sql.bind(cutoff)
        sql.add(
            SQLFragment(
                "::timestamptz), (coalesce(sum(n.record_key) FILTER (WHERE n.status = 'open' AND s.served IS NOT TRUE AND n.identified_at <= "
            ))
        sql.bind(cutoff)
        sql.add(
            SQLFragment(
                """
                ::timestamptz), 0) % 4294967296)::bigint
                FROM needs n
                JOIN cases c ON c.id = n.case_id
                JOIN need_codes nc ON nc.code = n.code
                JOIN human_security_dimensions h ON h.code = nc.dimension
                LEFT JOIN (
                    -- per need: referred at all (pending, accepted, completed); served (a referral
                    -- pending, accepted or completed successfully), as they stood at `now`. One pass
                    -- over referrals, hashed.
                    SELECT r.need_id, bool_or(r.status IN ('pending', 'accepted', 'completed')) AS referred,
                           bool_or(r.status IN ('pending', 'accepted') OR r.outcome = 'successful') AS served
                    FROM
                """))
        sql.referrals(asOf: query.now)
        sql.add(
            SQLFragment(
                " r GROUP BY r.need_id) s ON s.need_id = n.id WHERE n.status <> 'withdrawn' AND n.identified_at < "))
        sql.bind(query.now)
        sql.add(SQLFragment("::timestamptz"))
        sql.filters(query, organisationColumn: SQLFragment("n.organisation_id"))
        sql.groupBy(grouping)
        return try connection.query(sql.query).map { row in
            try Self.decode(row, grouping, measures: Self.unmetMeasures, figures: [])
        }
    }

    // MARK: overdue

    /// Referrals still pending (no answer from the provider) after their due time, with how
    /// late they are now: median and 90th percentile, in hours.
    func overdue(_ query: GapQuery, _ grouping: GapGrouping, on connection: PostgresConnection) throws -> [GroupedRow] {
        var sql = GapSQL()
        sql.add(SQLFragment("SELECT "))
        sql.select(grouping, kind: .overdue, scope: SQLFragment("r.referring_organisation_id"), asOf: query.now)
        sql.add(
            SQLFragment(
                "count(*), (sum(r.record_key) % 4294967296)::bigint, percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM "
            ))
        sql.bind(query.now)
        sql.add(
            SQLFragment(
                "::timestamptz - r.due_at)) / 3600, percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM "))
        sql.bind(query.now)
        sql.add(
            SQLFragment(
                """
                ::timestamptz - r.due_at)) / 3600
                FROM
                """))
        sql.referrals(asOf: query.now)
        sql.add(
            SQLFragment(
                """
                 r
                JOIN cases c ON c.id = r.case_id
                JOIN needs n ON n.id = r.need_id
                JOIN need_codes nc ON nc.code = n.code
                JOIN human_security_dimensions h ON h.code = nc.dimension
                JOIN providers p ON p.id = r.provider_id
                JOIN organisations po ON po.id = p.organisation_id
                """))
        sql.add(SQLFragment(" WHERE r.status = 'pending' AND r.due_at < "))
        sql.bind(query.now)
        sql.add(SQLFragment("::timestamptz"))
        sql.filters(query, organisationColumn: SQLFragment("r.referring_organisation_id"))
        sql.groupBy(grouping)
        return try connection.query(sql.query).map { row in
            try Self.decode(row, grouping, measures: ["overdue"], figures: Self.overdueFigures.map(\.name))
        }
    }

    // MARK: coverage

    /// Open needs by the area the person is in and each service type that serves the need's
    /// code, beside the active providers offering that service there and their summed stated
    /// capacity (absent when any of them states none). Every pair with open needs is returned;
    /// `CoverageGap` says which are gaps.
    func coverage(_ query: GapQuery, _ grouping: GapGrouping, on connection: PostgresConnection) throws -> [GroupedRow]
    {
        var sql = GapSQL()
        sql.add(SQLFragment("WITH demand AS (SELECT "))
        sql.select(grouping, kind: .coverage, scope: SQLFragment("n.organisation_id"), asOf: query.now)
        sql.add(
            SQLFragment(
                """
                count(*) AS needs, (sum(n.record_key) % 4294967296)::bigint AS key
                FROM needs n
                JOIN cases c ON c.id = n.case_id
                JOIN need_codes nc ON nc.code = n.code
                JOIN human_security_dimensions h ON h.code = nc.dimension
                JOIN service_type_needs stn ON stn.need = coalesce(nc.parent, nc.code)
                WHERE n.status = 'open' AND c.current_area IS NOT NULL AND n.identified_at <
                """))
        sql.bind(query.now)
        sql.add(SQLFragment("::timestamptz"))
        sql.filters(query, organisationColumn: SQLFragment("n.organisation_id"))
        sql.groupBy(grouping)
        sql.add(
            SQLFragment(
                """
                ), supply AS (
                    SELECT pa.area, ps.service, count(*) AS providers, sum(p.capacity) AS capacity,
                           bool_and(p.capacity IS NOT NULL) AS stated
                    FROM providers p
                    JOIN provider_areas pa ON pa.provider_id = p.id
                    JOIN provider_services ps ON ps.provider_id = p.id
                    WHERE p.status = 'active'
                    GROUP BY pa.area, ps.service)
                SELECT d.*, coalesce(s.providers, 0), CASE WHEN s.stated THEN s.capacity END
                FROM demand d LEFT JOIN supply s ON s.area = d.d0 AND s.service = d.d1
                """))
        var rows: [GroupedRow] = []
        for row in try connection.query(sql.query) {
            var grouped = try Self.decode(row, grouping, measures: ["open_needs"], figures: [])
            let base = Self.firstMeasureColumn(grouping) + 2
            let (providers, capacity) = try row.decode((Int64, Int64?).self, startingAt: base)
            grouped.row.registry["providers"] = Int(providers)
            if let capacity { grouped.row.registry["capacity"] = Int(capacity) }
            rows.append(grouped)
        }
        return rows
    }

    // MARK: outcomes

    /// Outcome measures of referrals per provider and service: every referral made; accepted
    /// (ever: completed ones included), with the time from referral to acceptance; declined,
    /// also by reason; completed, with the time from referral to completion; successful;
    /// unsuccessful, also by reason; cancelled; still pending.
    public static let outcomeMeasures = [
        "referred", "accepted", "declined", "completed", "successful", "unsuccessful",
        "cancelled", "pending",
    ]

    func outcomes(_ query: GapQuery, _ grouping: GapGrouping, on connection: PostgresConnection) throws -> [GroupedRow]
    {
        var sql = GapSQL()
        sql.add(SQLFragment("SELECT "))
        sql.select(grouping, kind: .outcomes, scope: SQLFragment("r.referring_organisation_id"), asOf: query.now)
        sql.add(
            SQLFragment(
                """
                count(*), (coalesce(sum(r.record_key) FILTER (WHERE true), 0) % 4294967296)::bigint,
                count(*) FILTER (WHERE r.accepted_at IS NOT NULL), (coalesce(sum(r.record_key) FILTER (WHERE r.accepted_at IS NOT NULL), 0) % 4294967296)::bigint,
                count(*) FILTER (WHERE r.status = 'declined'), (coalesce(sum(r.record_key) FILTER (WHERE r.status = 'declined'), 0) % 4294967296)::bigint,
                count(*) FILTER (WHERE r.status = 'completed'), (coalesce(sum(r.record_key) FILTER (WHERE r.status = 'completed'), 0) % 4294967296)::bigint,
                count(*) FILTER (WHERE r.outcome = 'successful'), (coalesce(sum(r.record_key) FILTER (WHERE r.outcome = 'successful'), 0) % 4294967296)::bigint,
                count(*) FILTER (WHERE r.outcome = 'unsuccessful'), (coalesce(sum(r.record_key) FILTER (WHERE r.outcome = 'unsuccessful'), 0) % 4294967296)::bigint,
                count(*) FILTER (WHERE r.status = 'cancelled'), (coalesce(sum(r.record_key) FILTER (WHERE r.status = 'cancelled'), 0) % 4294967296)::bigint,
                count(*) FILTER (WHERE r.status = 'pending'), (coalesce(sum(r.record_key) FILTER (WHERE r.status = 'pending'), 0) % 4294967296)::bigint,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r.accepted_at - r.created_at)) FILTER (WHERE r.accepted_at IS NOT NULL) / 3600,
                percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM r.accepted_at - r.created_at)) FILTER (WHERE r.accepted_at IS NOT NULL) / 3600,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r.closed_at - r.created_at)) FILTER (WHERE r.status = 'completed') / 3600,
                percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM r.closed_at - r.created_at)) FILTER (WHERE r.status = 'completed') / 3600,
                coalesce(jsonb_agg(jsonb_build_array(r.status, r.reason, r.record_key))
                         FILTER (WHERE r.status = 'declined' OR r.outcome = 'unsuccessful'), '[]')::text
                """))
        sql.add(SQLFragment(" FROM "))
        sql.referrals(asOf: query.now)
        sql.add(Self.referralsJoined)
        sql.filters(query, organisationColumn: SQLFragment("r.referring_organisation_id"))
        sql.groupBy(grouping)
        var rows: [GroupedRow] = []
        for row in try connection.query(sql.query) {
            var grouped = try Self.decode(
                row, grouping, measures: Self.outcomeMeasures, figures: Self.outcomeFigures.map(\.name))
            let reasons = try row.decode(
                String.self,
                startingAt: Self.firstMeasureColumn(grouping) + 2 * Self.outcomeMeasures.count
                    + Self.outcomeFigures.count)
            for (measure, count) in try Self.reasonCounts(reasons) { grouped.row.counts[measure] = count }
            rows.append(grouped)
        }
        return rows
    }

    /// `declined/no_capacity`, `unsuccessful/lack_of_capacity`: counts and keys by reason, from
    /// the group's `[status, reason, record_key]` triples.
    static func reasonCounts(_ json: String) throws -> [String: GapCount] {
        guard let triples = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[Any]] else { return [:] }
        var counts: [String: GapCount] = [:]
        for triple in triples where triple.count == 3 {
            let status = triple[0] as? String ?? "unknown"
            let reason = triple[1] as? String ?? "unstated"
            let key = (triple[2] as? NSNumber)?.int64Value ?? 0
            let measure = (status == "declined" ? "declined" : "unsuccessful") + "/" + reason
            let previous = counts[measure] ?? GapCount(count: 0, key: 0)
            counts[measure] = GapCount(count: previous.count + 1, key: previous.key &+ UInt32(truncatingIfNeeded: key))
        }
        return counts
    }

    // MARK: shared

    /// What a referral's row joins (after the referrals as of `now`, aliased r).
    private static let referralsJoined = SQLFragment(
        """
         r
        JOIN cases c ON c.id = r.case_id
        JOIN needs n ON n.id = r.need_id
        JOIN need_codes nc ON nc.code = n.code
        JOIN human_security_dimensions h ON h.code = nc.dimension
        JOIN providers p ON p.id = r.provider_id
        JOIN organisations po ON po.id = p.organisation_id
        WHERE true
        """)

    /// Dimension values, then a (count, key) pair per measure, then the figures (NULL: none):
    /// a width known at run time, read with the low-level accessor.
    static func decode(_ row: PostgresRow, _ grouping: GapGrouping, measures: [String], figures: [String]) throws
        -> GroupedRow
    {
        var values: [String?] = []
        for index in grouping.dimensions.indices {
            values.append(try row.decode(String?.self, at: index))
        }
        let scope: Int64? = grouping.sets == nil ? nil : try row.decode(Int64?.self, at: grouping.dimensions.count)
        let dimensions = firstMeasureColumn(grouping)
        var counts: [String: GapCount] = [:]
        for (offset, measure) in measures.enumerated() {
            let column = dimensions + 2 * offset
            let (count, key) = try row.decode((Int64, Int64).self, startingAt: column)
            counts[measure] = GapCount(count: Int(count), key: UInt32(truncatingIfNeeded: key))
        }
        var figureValues: [String: Double] = [:]
        for (offset, figure) in figures.enumerated() {
            let column = dimensions + 2 * measures.count + offset
            if let value = try row.decode(Double?.self, at: column) { figureValues[figure] = value }
        }
        return GroupedRow(
            values: values, scope: scope,
            row: GapRow(values: values.compactMap { $0 }, counts: counts, figures: figureValues))
    }

    /// Dimension columns, then the organisation when filling the rollup, then the measures.
    static func firstMeasureColumn(_ grouping: GapGrouping) -> Int {
        grouping.dimensions.count + (grouping.sets == nil ? 0 : 1)
    }

}
