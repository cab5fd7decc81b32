import Foundation
import PassageCore
import Postgres

extension StatisticsStore {
    /// `SELECT <dimensions>, count(*), sum(record_key) % 2^32 … GROUP BY <dimensions>`: the
    /// expressions come from the fixed dimension list (SQLFragment literals), every value is bound.
    /// Facts with a history (category, subcategory, referral status) are read as of `asOf`, the
    /// release's boundary (`AsOfBoundary`).
    static func aggregateQuery(_ request: StatisticsRequest, window: StatisticsWindow, asOf: Date, organisation: Int64?)
        -> PostgresQuery
    {
        let time: SQLFragment
        let key: SQLFragment
        let from: SQLFragment
        let scope: [SQLFragment]
        switch request.unit {
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
            scope = [SQLFragment("r.receiving_organisation_id = "), SQLFragment(" OR r.referring_organisation_id = ")]
        }
        var sql = PostgresQuery.StringInterpolation(literalCapacity: 512, interpolationCount: 6)
        sql.appendLiteral("SELECT ")
        for dimension in request.dimensions {
            if !AsOfBoundary.append(dimension, asOf: asOf, to: &sql) {
                for part in dimension.expression(timeColumn: time) { sql.appendInterpolation(part) }
            }
            sql.appendLiteral(", ")
        }
        sql.appendLiteral("count(*)::bigint, (coalesce(sum(")
        sql.appendInterpolation(key)
        sql.appendLiteral("), 0) % 4294967296)::bigint FROM ")
        sql.appendInterpolation(from)
        sql.appendLiteral(" WHERE ")
        sql.appendInterpolation(time)
        sql.appendLiteral(" < ")
        sql.appendInterpolation(window.end)
        if let start = window.start {
            sql.appendLiteral(" AND ")
            sql.appendInterpolation(time)
            sql.appendLiteral(" >= ")
            sql.appendInterpolation(start)
        }
        if let organisation {
            sql.appendLiteral(" AND (")
            for part in scope {
                sql.appendInterpolation(part)
                sql.appendInterpolation(organisation)
            }
            sql.appendLiteral(")")
        }
        if !request.dimensions.isEmpty {
            sql.appendLiteral(" GROUP BY ")
            sql.appendLiteral((1...request.dimensions.count).map(String.init).joined(separator: ", "))
        }
        return PostgresQuery(stringInterpolation: sql)
    }
}
