import Foundation
import Postgres

/// What PostgreSQL's planner already knows about the counted tables (`pg_stats`, `pg_class`,
/// kept current by autovacuum's ANALYZE): rows per table, distinct values per column, and the
/// earliest time a time column holds. Read in one catalog query that touches no table row, so a
/// request can be sized before anything is counted (`TableSizeEstimate`). Estimates, not
/// counts: a column never analysed is simply absent, and the size check after counting stays.
public struct PlannerStatistics: Sendable, Equatable {
    /// "cases" → estimated rows.
    public var rows: [String: Double] = [:]
    /// "cases.origin_country" → estimated distinct values.
    public var distinct: [String: Double] = [:]
    /// "cases.created_at" → the lowest value of the planner's histogram and most common values.
    public var earliest: [String: Date] = [:]

    public init(rows: [String: Double] = [:], distinct: [String: Double] = [:], earliest: [String: Date] = [:]) {
        self.rows = rows
        self.distinct = distinct
        self.earliest = earliest
    }

    /// The tables GAPS and STATS count or group on.
    static let tables = ["cases", "needs", "referrals", "providers"]
    /// Time columns whose earliest value bounds the periods a table can have.
    static let timeColumns = ["created_at", "identified_at", "due_at"]

    public static func read(on connection: PostgresConnection) throws -> PlannerStatistics {
        var statistics = PlannerStatistics()
        // n_distinct < 0 is a fraction of the rows (-1: every row differs); reltuples < 0: never analysed.
        let rows = try connection.query(
            """
            SELECT c.relname::text, c.reltuples::float8, s.attname::text, s.n_distinct::float8,
                   CASE WHEN s.attname = ANY(\(timeColumns)) THEN
                        least((s.histogram_bounds::text::timestamptz[])[1],
                              (SELECT min(v) FROM unnest(s.most_common_vals::text::timestamptz[]) AS v)) END
              FROM pg_class c
              JOIN pg_namespace ns ON ns.oid = c.relnamespace AND ns.nspname = current_schema()
              LEFT JOIN pg_stats s ON s.schemaname = ns.nspname AND s.tablename = c.relname AND NOT s.inherited
             WHERE c.relname = ANY(\(tables)) AND c.relkind = 'r'
            """)
        for row in rows {
            let (table, tuples, attribute, distinct, earliest) = try row.decode(
                (String, Double, String?, Double?, Date?).self)
            if tuples >= 0 { statistics.rows[table] = tuples }
            guard let attribute else { continue }
            let column = table + "." + attribute
            let nDistinct = distinct ?? 0
            if nDistinct > 0 {
                statistics.distinct[column] = nDistinct
            } else if nDistinct < 0, tuples > 0 {
                statistics.distinct[column] = (-nDistinct * tuples).rounded(.up)
            }
            if let earliest { statistics.earliest[column] = earliest }
        }
        return statistics
    }
}
