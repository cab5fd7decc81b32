import Foundation
import PassageCore
import Postgres

extension StatisticsStore {
    /// `SELECT <dimensions>, count(*), sum(record_key) % 2^32 … GROUP BY <dimensions>`: the
    /// expressions come from the fixed dimension list (SQLFragment literals), every value is bound.
    /// Facts with a history (category, subcategory, referral status) are read as of `asOf`, the
    /// release's boundary (`AsOfBoundary`).
    ///
    /// With such a fact among the dimensions, the rows unchanged since the boundary (nearly all)
    /// are counted by their plain columns and only the changed ones through the history, the two
    /// counts added per cell: the same cells, counts and keys as one `GROUP BY` of the as-of
    /// expressions, but PostgreSQL estimates the groups of plain columns from their statistics
    /// (about 500, hashed, by parallel workers), where the as-of expression reads the row's id and
    /// was taken for one group per row — at 10 M cases a sort of every row on disk, 3.8× the time
    /// of `psql COPY (… GROUP BY …)` (Docs/performance.md "Cost curve").
    static func aggregateQuery(_ request: StatisticsRequest, window: StatisticsWindow, asOf: Date, organisation: Int64?)
        -> PostgresQuery
    {
        let counted = CountedRows(request.unit)
        var sql = PostgresQuery.StringInterpolation(literalCapacity: 1024, interpolationCount: 12)
        let unchanged = Self.unchangedSince(request.dimensions)
        guard !unchanged.isEmpty else {
            appendCount(
                request, counted, asOf: asOf, plain: false, window: window, organisation: organisation, to: &sql)
            if !request.dimensions.isEmpty {
                sql.appendLiteral(" GROUP BY \(Self.positions(request.dimensions.count))")
            }
            return PostgresQuery(stringInterpolation: sql)
        }
        let columns = request.dimensions.indices.map { "d\($0)" }.joined(separator: ", ")
        sql.appendLiteral("SELECT \(columns), sum(n)::bigint, (sum(k) % 4294967296)::bigint FROM (")
        appendCount(request, counted, asOf: asOf, plain: true, window: window, organisation: organisation, to: &sql)
        sql.appendLiteral(" AND ")
        appendCondition(unchanged, asOf: asOf, to: &sql)
        sql.appendLiteral(" GROUP BY \(Self.positions(request.dimensions.count)) UNION ALL ")
        appendCount(request, counted, asOf: asOf, plain: false, window: window, organisation: organisation, to: &sql)
        sql.appendLiteral(" AND NOT ")
        appendCondition(unchanged, asOf: asOf, to: &sql)
        sql.appendLiteral(" GROUP BY \(Self.positions(request.dimensions.count))) u GROUP BY \(columns)")
        return PostgresQuery(stringInterpolation: sql)
    }

    /// The table counted and how its rows are timed, keyed and scoped.
    private struct CountedRows {
        var time: SQLFragment
        var key: SQLFragment
        var from: SQLFragment
        var scope: [SQLFragment]

        init(_ unit: CountedUnit) {
            switch unit {
            case .cases:
                time = SQLFragment("c.created_at")
                key = SQLFragment("c.record_key")
                from = SQLFragment("cases c")
                scope = [SQLFragment("c.organisation_id = ")]
            case .needs:
                time = SQLFragment("n.identified_at")
                key = SQLFragment("n.record_key")
                from = SQLFragment("needs n JOIN cases c ON c.id = n.case_id JOIN need_codes nc ON nc.code = n.code")
                scope = [SQLFragment("n.organisation_id = ")]
            case .referrals:
                time = SQLFragment("r.created_at")
                key = SQLFragment("r.record_key")
                from = SQLFragment(
                    "referrals r JOIN needs n ON n.id = r.need_id JOIN cases c ON c.id = r.case_id JOIN need_codes nc ON nc.code = n.code"
                )
                // A referral belongs to both sides: the organisation that referred and the one that received.
                scope = [
                    SQLFragment("r.receiving_organisation_id = "), SQLFragment(" OR r.referring_organisation_id = "),
                ]
            }
        }
    }

    /// `SELECT <dimensions> AS d0…, count(*), key sum FROM … WHERE <window and scope>` (the
    /// caller adds to the WHERE and groups). `plain`: the facts with a history as they stand
    /// (for rows unchanged since the boundary, where that is what they were then).
    private static func appendCount(
        _ request: StatisticsRequest, _ counted: CountedRows, asOf: Date, plain: Bool, window: StatisticsWindow,
        organisation: Int64?, to sql: inout PostgresQuery.StringInterpolation
    ) {
        sql.appendLiteral("SELECT ")
        for (index, dimension) in request.dimensions.enumerated() {
            let history = plain && !unchangedSince([dimension]).isEmpty
            if history || !AsOfBoundary.append(dimension, asOf: asOf, to: &sql) {
                for part in dimension.expression(timeColumn: counted.time) { sql.appendInterpolation(part) }
            }
            sql.appendLiteral(" AS d\(index), ")
        }
        sql.appendLiteral("count(*)::bigint AS n, (coalesce(sum(")
        sql.appendInterpolation(counted.key)
        sql.appendLiteral("), 0)")
        // One count: the key reduced here; two: the partial sums are added first, then reduced.
        sql.appendLiteral(unchangedSince(request.dimensions).isEmpty ? " % 4294967296)::bigint" : ") AS k")
        sql.appendLiteral(" FROM ")
        sql.appendInterpolation(counted.from)
        sql.appendLiteral(" WHERE ")
        sql.appendInterpolation(counted.time)
        sql.appendLiteral(" < ")
        sql.appendInterpolation(window.end)
        if let start = window.start {
            sql.appendLiteral(" AND ")
            sql.appendInterpolation(counted.time)
            sql.appendLiteral(" >= ")
            sql.appendInterpolation(start)
        }
        if let organisation {
            sql.appendLiteral(" AND (")
            for part in counted.scope {
                sql.appendInterpolation(part)
                sql.appendInterpolation(organisation)
            }
            sql.appendLiteral(")")
        }
    }

    /// The columns whose being before the boundary means a row's facts with a history are as
    /// they stood then (`AsOfBoundary`: the same test as its `greatest(…) <`; all `NOT NULL`).
    static func unchangedSince(_ dimensions: [StatisticsDimension]) -> [SQLFragment] {
        var columns: [SQLFragment] = []
        if dimensions.contains(where: { $0 == .category || $0 == .subcategory }) {
            columns += [SQLFragment("c.updated_at"), SQLFragment("c.classified_at")]
        }
        // A referral's answer times are written with `updated_at`: unchanged since the boundary,
        // its `referral_response` as it stands is the one as of the boundary (and the expression
        // statistics of Schema/0025 estimate that form at three values).
        if dimensions.contains(.referralStatus) || dimensions.contains(.referralResponse) {
            columns.append(SQLFragment("r.updated_at"))
        }
        return columns
    }

    /// `(col < boundary AND …)`.
    private static func appendCondition(
        _ columns: [SQLFragment], asOf: Date, to sql: inout PostgresQuery.StringInterpolation
    ) {
        sql.appendLiteral("(")
        for (index, column) in columns.enumerated() {
            if index > 0 { sql.appendLiteral(" AND ") }
            sql.appendInterpolation(column)
            sql.appendLiteral(" < ")
            sql.appendInterpolation(asOf)
        }
        sql.appendLiteral(")")
    }

    private static func positions(_ count: Int) -> String {
        (1...count).map(String.init).joined(separator: ", ")
    }
}
