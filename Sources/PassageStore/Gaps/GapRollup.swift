import Foundation
import PassageCore
import Postgres

/// The gap rollup (Schema/0006_gaps.sql, stored as arrays since 0008_gap_rollup_arrays.sql): the answers to the common GAPS questions, per
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
                        copy.text(Self.textArray(set.map { grouped.values[$0] ?? "" }))
                        let measures = grouped.row.counts.keys.sorted()
                        copy.text(Self.textArray(measures))
                        copy.text(Self.numberArray(measures.map { grouped.row.counts[$0]!.count }))
                        copy.text(Self.numberArray(measures.map { Int(grouped.row.counts[$0]!.key) }))
                        let figures = grouped.row.figures.keys.sorted()
                        copy.text(Self.textArray(figures))
                        copy.text(Self.numberArray(figures.map { grouped.row.figures[$0]! }))
                        let registry = grouped.row.registry.keys.sorted()
                        copy.text(Self.textArray(registry))
                        copy.text(Self.numberArray(registry.map { grouped.row.registry[$0]! }))
                        copy.endRow()
                        rows += 1
                    }
                }
                try connection.execute("DELETE FROM gap_rollups")
                try connection.copyIn(
                    """
                    COPY gap_rollups (kind, scope, dimensions, dim_values, measures, counts, cell_keys,
                                      figure_names, figure_values, registry_names, registry_values) FROM STDIN
                    """
                ) { writer in
                    try writer.write(copy.bytes)
                }
                try connection.execute(
                    """
                    INSERT INTO gap_rollup_refreshes (as_of, days, took, row_count)
                    VALUES (\(now), \(Self.days), make_interval(secs => \(0.0)), \(Int64(rows)))
                    """)
            }
        }
        let seconds = Double(took.components.seconds) + Double(took.components.attoseconds) / 1e18
        try connection.execute(
            "UPDATE gap_rollup_refreshes SET took = make_interval(secs => \(seconds)) WHERE id = (SELECT max(id) FROM gap_rollup_refreshes)"
        )
        return Refresh(asOf: now, rows: rows, took: took, byKind: byKind)
    }

    /// The time the rollup was computed as of and when that refresh finished, or nil when it never was.
    public func latest(on connection: PostgresConnection) throws -> (asOf: Date, finished: Date)? {
        try latestRefresh(on: connection).map { ($0.asOf, $0.finished) }
    }

    /// Which refresh the rollup holds: `id` is new with every refresh (two refreshes as of the
    /// same time are still told apart), so whatever was derived from the rollup's rows stays
    /// valid exactly as long as `id` is the latest.
    public struct Stamp: Sendable, Hashable {
        public var id: Int64
        public var asOf: Date
        public var finished: Date
    }

    public func latestRefresh(on connection: PostgresConnection) throws -> Stamp? {
        let rows = try connection.query(
            "SELECT id, as_of, as_of + took FROM gap_rollup_refreshes ORDER BY id DESC LIMIT 1")
        guard let row = rows.first else { return nil }
        let (id, asOf, finished) = try row.decode((Int64, Date, Date).self)
        return Stamp(id: id, asOf: asOf, finished: finished)
    }

    /// Whether the rollup holds the answer to `query` (a validated one): no filter, the rollup's
    /// days= for unmet, and a planned breakdown.
    public static func holds(_ query: GapQuery) -> Bool {
        guard query.area == nil, query.category == nil, query.kind != .unmet || query.days == days else { return false }
        return plan[query.kind]?.contains(query.dimensions) == true
    }

    /// The answer from the rollup, with the time it is as of and when its refresh finished,
    /// when the rollup holds the question.
    public func lookup(_ query: GapQuery, on connection: PostgresConnection) throws -> (
        table: GapTable, asOf: Date, finished: Date
    )? {
        let query = try query.validated()
        let dimensions = query.dimensions
        guard Self.holds(query), let latest = try latest(on: connection) else { return nil }
        let names = dimensions.map(\.rawValue).joined(separator: ",")
        let rows = try connection.query(
            """
            SELECT dim_values, measures, counts, cell_keys, figure_names, figure_values, registry_names, registry_values
            FROM gap_rollups
            WHERE kind = \(query.kind.rawValue) AND scope = \(query.organisation ?? 0) AND dimensions = \(names)
            """)
        var gapRows: [GapRow] = []
        gapRows.reserveCapacity(rows.count)
        for row in rows {
            let (values, measures, counts, keys, figureNames, figureValues, registryNames, registryValues) =
                try row.decode(([String], [String], [Int], [Int], [String], [Double], [String], [Int]).self)
            guard counts.count == measures.count, keys.count == measures.count, figureValues.count == figureNames.count,
                registryValues.count == registryNames.count
            else {
                throw StoreError.unusable("gap rollup row of \(query.kind.rawValue) has arrays of different lengths")
            }
            var gapCounts: [String: GapCount] = [:]
            gapCounts.reserveCapacity(measures.count)
            for index in measures.indices {
                gapCounts[measures[index]] = GapCount(
                    count: counts[index], key: UInt32(truncatingIfNeeded: keys[index]))
            }
            gapRows.append(
                GapRow(
                    values: values, counts: gapCounts,
                    figures: Dictionary(zip(figureNames, figureValues), uniquingKeysWith: { first, _ in first }),
                    registry: Dictionary(zip(registryNames, registryValues), uniquingKeysWith: { first, _ in first })))
        }
        return (
            GapsStore().table(query.kind, dimensions: dimensions.map(\.rawValue), rows: gapRows), latest.asOf,
            latest.finished
        )
    }

    /// A text[] literal, every element double-quoted.
    private static func textArray(_ values: [String]) -> String {
        "{" + values.map(arrayElement).joined(separator: ",") + "}"
    }

    /// A bigint[] or float8[] literal (Swift prints both in a form PostgreSQL reads back exactly).
    private static func numberArray<Number: LosslessStringConvertible>(_ values: [Number]) -> String {
        "{" + values.map(String.init(describing:)).joined(separator: ",") + "}"
    }

    /// One element of a text[] literal, double-quoted with `"` and `\` escaped.
    private static func arrayElement(_ value: String) -> String {
        "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
