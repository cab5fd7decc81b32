import Foundation
import Postgres

/// The gap rollup (Schema/0006_gaps.sql): the answers to the common GAPS questions, per
/// organisation and over all, recomputed whole by `refresh` and read by `lookup`. A question
/// the rollup does not hold (a filter, an unusual breakdown, another days=) returns nil and is
/// answered from the base tables.
public struct GapRollup: Sendable {
    public init() {}

    /// GAPS unmet's days= the rollup is computed for (the console's default).
    public static let days = 7

    /// The breakdowns held for each kind, in the order the console lists dimensions.
    static let plan: [GapKind: [[GapDimension]]] = [
        .unmet: [[], [.category], [.area], [.need], [.dimension], [.freedom], [.priority], [.month]],
        .overdue: [[.priority, .provider, .area], [.priority], [.provider], [.area], [.category], [.freedom]],
        .coverage: [[.area, .service], [.area, .service, .category], [.area, .service, .freedom]],
        .outcomes: [[.provider, .service], [.provider, .service, .freedom]],
    ]

    public struct Refresh: Sendable {
        public var asOf: Date
        public var rows: Int
        public var took: Duration
        /// The time of each kind's grouping query.
        public var byKind: [(GapKind, Duration)]
    }

    /// Recomputes every planned breakdown as of `now`, replacing the previous rollup in one
    /// transaction (readers see the old one until it commits).
    @discardableResult
    public func refresh(now: Date = Date(), on connection: PostgresConnection) throws -> Refresh {
        let clock = ContinuousClock()
        var rows = 0
        var byKind: [(GapKind, Duration)] = []
        let took = try clock.measure {
            try connection.transaction { connection in
                // All groups first (a connection cannot query while it is in COPY), then one COPY.
                var copy = CopyTextRow()
                for kind in GapKind.allCases {
                    let sets = Self.plan[kind] ?? []
                    let grouping = GapGrouping.rollup(sets)
                    let query = GapQuery(kind: kind, days: Self.days, organisation: nil, now: now)
                    let started = clock.now
                    let groups = try GapsStore().grouped(query, grouping, on: connection)
                    byKind.append((kind, clock.now - started))
                    for grouped in groups {
                        // Which set a row belongs to: exactly its non-null dimensions.
                        let present = grouped.values.indices.filter { grouped.values[$0] != nil }
                        guard let set = grouping.sets?.first(where: { Set($0) == Set(present) }) else { continue }
                        copy.text(kind.rawValue)
                        copy.integer(grouped.scope ?? 0)
                        copy.text(set.map { grouping.dimensions[$0].rawValue }.joined(separator: ","))
                        copy.text("{" + set.map { Self.arrayElement(grouped.values[$0] ?? "") }.joined(separator: ",") + "}")
                        copy.text(Self.json(grouped.row.counts.mapValues { [$0.count, Int($0.key)] }))
                        copy.text(Self.json(grouped.row.figures))
                        copy.text(Self.json(grouped.row.registry))
                        copy.endRow()
                        rows += 1
                    }
                }
                try connection.execute("DELETE FROM gap_rollups")
                try connection.copyIn("COPY gap_rollups (kind, scope, dimensions, dim_values, counts, figures, registry) FROM STDIN") { writer in
                    try writer.write(copy.bytes)
                }
                try connection.execute("""
                    INSERT INTO gap_rollup_refreshes (as_of, days, took, row_count)
                    VALUES (\(now), \(Self.days), make_interval(secs => \(0.0)), \(Int64(rows)))
                    """)
            }
        }
        let seconds = Double(took.components.seconds) + Double(took.components.attoseconds) / 1e18
        try connection.execute("UPDATE gap_rollup_refreshes SET took = make_interval(secs => \(seconds)) WHERE id = (SELECT max(id) FROM gap_rollup_refreshes)")
        return Refresh(asOf: now, rows: rows, took: took, byKind: byKind)
    }

    /// The time the rollup was computed as of and when that refresh finished, or nil when it never was.
    public func latest(on connection: PostgresConnection) throws -> (asOf: Date, finished: Date)? {
        let rows = try connection.query("SELECT as_of, as_of + took FROM gap_rollup_refreshes ORDER BY id DESC LIMIT 1")
        guard let row = rows.first else { return nil }
        return (try row.decode(Date.self, at: 0), try row.decode(Date.self, at: 1))
    }

    /// The answer from the rollup, with the time it is as of and when its refresh finished,
    /// when the rollup holds the question.
    public func lookup(_ query: GapQuery, on connection: PostgresConnection) throws -> (table: GapTable, asOf: Date, finished: Date)? {
        let query = try query.validated()
        guard query.area == nil, query.category == nil, query.kind != .unmet || query.days == Self.days else { return nil }
        let dimensions = query.dimensions
        guard Self.plan[query.kind]?.contains(dimensions) == true, let latest = try latest(on: connection) else { return nil }
        let names = dimensions.map(\.rawValue).joined(separator: ",")
        let rows = try connection.query("""
            SELECT dim_values, counts::text, figures::text, registry::text FROM gap_rollups
            WHERE kind = \(query.kind.rawValue) AND scope = \(query.organisation ?? 0) AND dimensions = \(names)
            """)
        var gapRows: [GapRow] = []
        for row in rows {
            let values = try row.decode([String].self, at: 0)
            var counts: [String: GapCount] = [:]
            for (measure, pair) in try Self.object(try row.decode(String.self, at: 1)) {
                guard let pair = pair as? [NSNumber], pair.count == 2 else { continue }
                counts[measure] = GapCount(count: pair[0].intValue, key: UInt32(truncatingIfNeeded: pair[1].int64Value))
            }
            let figures = try Self.object(try row.decode(String.self, at: 2)).compactMapValues { ($0 as? NSNumber)?.doubleValue }
            let registry = try Self.object(try row.decode(String.self, at: 3)).compactMapValues { ($0 as? NSNumber)?.intValue }
            gapRows.append(GapRow(values: values, counts: counts, figures: figures, registry: registry))
        }
        return (GapsStore().table(query.kind, dimensions: dimensions.map(\.rawValue), rows: gapRows), latest.asOf, latest.finished)
    }

    private static func object(_ json: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] ?? [:]
    }

    private static func json(_ value: Any) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    /// One element of a text[] literal, double-quoted with `"` and `\` escaped.
    private static func arrayElement(_ value: String) -> String {
        "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
