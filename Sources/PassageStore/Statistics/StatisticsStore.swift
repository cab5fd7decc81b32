import Foundation
import PassageCore
import Postgres

/// Aggregate and microdata exports. Each runs on the caller's connection in one transaction:
/// the privacy budget is spent, the counting query runs under the `passage_statistics` role (no
/// privilege on persons, facts, users or the audit log), disclosure control is applied, and the
/// export is audited with the user, the parameters and the row count — all or nothing.
public struct StatisticsStore: Sendable {
    public static let role = "passage_statistics"
    public var releasePeriod: ReleasePeriod
    /// The clock deciding the release cutoff (tests move it to the next period).
    public var now: @Sendable () -> Date

    public init(releasePeriod: ReleasePeriod = .month, now: @escaping @Sendable () -> Date = { Date() }) {
        self.releasePeriod = releasePeriod
        self.now = now
    }

    /// `organisation` nil counts every organisation (policy staff); otherwise only its rows.
    ///
    /// Read from the release (Docs/anonymisation.md, "Releases"): the latest release period's
    /// cells, made at the first request after the boundary and stored (`ReleaseCells`); every
    /// later request of the period, in any format or table that holds the cell, reads the same.
    public func export(
        _ request: StatisticsRequest, organisation: Int64?, actor: String, source: String,
        counted: ReleaseCount? = nil, on connection: PostgresConnection
    ) throws -> StatisticsExport {
        var generator = SystemRandomNumberGenerator()
        return try export(
            request, organisation: organisation, actor: actor, source: source, counted: counted,
            randomness: &generator, on: connection)
    }

    /// As above, drawing a privacy policy's noise (for cells made by this request) from `randomness`.
    /// With `counted` (the counting already done, on a standby: `count`), no counting query runs
    /// here: only the release's writes — its definition, the cells it keeps, the budget and the
    /// audit entries — on `connection` (the primary).
    public func export<G: RandomNumberGenerator>(
        _ request: StatisticsRequest, organisation: Int64?, actor: String, source: String,
        counted: ReleaseCount? = nil, randomness: inout G, on connection: PostgresConnection
    ) throws -> StatisticsExport {
        let cutoff = counted?.cutoff ?? releasePeriod.cutoff(at: now())
        let released = try ReleasedWindow(from: request.from, to: request.to, cutoff: cutoff, period: releasePeriod)
        let window = released.window
        let scope = PrivacyPolicy.scope(organisation: organisation)
        let grouped = Self.grouped(request)
        return try connection.transaction { connection in
            let codeLists = try CodeLists.read(on: connection)
            if counted == nil {
                try Self.checkSize(request, window: window, codeLists: codeLists, on: connection)
            }
            // The table definition, recorded once per release (audited as stats.release): the
            // first request of the period that asks for it makes it.
            let definition = "\(request.summary) window=\(window.description)"
            let isNew =
                try connection.query(
                    """
                    INSERT INTO statistics_releases (release, scope, definition, cells, made_by)
                    VALUES (\(cutoff), \(scope), \(definition), 0, \(actor)) ON CONFLICT DO NOTHING RETURNING 1
                    """
                ).count == 1
            var spent = 0.0
            var left: Double?
            let policy = try PrivacyPolicy.current(scope: scope, on: connection)
            // A new table spends once its cells are known (below); a table of the release re-read spends nothing.
            if let policy, !isNew {
                left =
                    try connection.query(
                        "SELECT \(policy.budget) - spent FROM privacy_spending WHERE scope = \(scope) AND release = \(cutoff)"
                    )
                    .first.map { try $0.decode(Double.self) } ?? policy.budget
            }
            let cells =
                try counted?.cells
                ?? Self.countCells(request, window: window, cutoff: cutoff, organisation: organisation, on: connection)
            let dimensions = grouped.map { dimension in
                CountDimension(
                    name: dimension.rawValue,
                    domain: dimension.domain(codeLists: codeLists) ?? window.periodLabels(dimension))
            }
            let countTable = CountTable(dimensions: dimensions, cells: cells)
            var table: PublishedTable
            do {
                let needed = try ReleasedTable.neededCells(countTable, totals: request.parameters.totals)
                if let policy, isNew {
                    // ε per table a counted row falls in: the detail cells, and each margin level
                    // or open dimension's value totals published beside them.
                    spent = policy.epsilon * Double(max(PrivacyPolicy.tables(needed.keys), 1))
                    left = try policy.spend(spent, scope: scope, release: cutoff, on: connection)
                    try connection.execute(
                        "UPDATE statistics_releases SET epsilon = \(spent) WHERE release = \(cutoff) AND scope = \(scope) AND definition = \(definition)"
                    )
                }
                let names = grouped.map(\.rawValue)
                // The release's rule runs at the least k (5) whatever k this request shows with,
                // so a cell has one state per release; a larger k only suppresses more below.
                var rule = request.parameters
                rule.k = DisclosureParameters.minimumK
                var values = try ReleaseCells(release: cutoff, scope: scope, unit: request.unit.rawValue).resolve(
                    needed, identity: { ReleasedTable.identity(dimensions: names, values: $0, fixed: released.fixed) },
                    parameters: rule, policyNoise: policy.map { GeometricNoise(epsilon: $0.epsilon) },
                    randomness: &randomness, on: connection)
                for (key, value) in values where (value ?? Int.max) < request.parameters.k {
                    values.updateValue(nil, forKey: key)
                }
                table = try ReleasedTable.build(countTable, parameters: request.parameters, released: values)
                table.protections = Disclosure.protections(
                    request.parameters,
                    perturbation: CellKeyPerturbation(
                        maximumNoise: request.parameters.maximumNoise, variance: request.parameters.noiseVariance))
            } catch let error as DisclosureError {
                throw StoreError(error)
            }
            if !request.filters.isEmpty {
                let positions = request.filters.map { filter in
                    (grouped.firstIndex(of: filter.dimension)!, filter.value)
                }
                let kept = request.dimensions.count
                table.cells = table.cells.filter { cell in positions.allSatisfy { cell.values[$0.0] == $0.1 } }
                    .map { PublishedCell(values: Array($0.values.prefix(kept)), value: $0.value) }
                table.dimensions = Array(table.dimensions.prefix(kept))
                table.protections.append(
                    AppliedProtection(
                        name: "filter",
                        parameters: request.filters.map {
                            ProtectionParameter($0.dimension.rawValue, $0.value)
                        } + [ProtectionParameter("cells", "those_of_the_unfiltered_table")]))
            }
            var protections = Self.storeProtections(
                releasePeriod: releasePeriod, cutoff: cutoff, organisation: organisation)
            protections.append(Self.changeProtection)
            if let policy {
                protections.append(
                    AppliedProtection(
                        name: "differential_privacy",
                        parameters: [
                            ProtectionParameter("mechanism", "two_sided_geometric_on_top_of_cell_key"),
                            ProtectionParameter("epsilon", "\(policy.epsilon)"),
                            ProtectionParameter("budget_per_release", "\(policy.budget)"),
                            ProtectionParameter("unit", "counted_row"),
                            ProtectionParameter("set_by", "administrator_policy"),
                        ]))
            }
            table.protections = protections + table.protections
            let suppressedShare =
                table.cells.isEmpty ? 0 : Double(table.cells.filter(\.suppressed).count) / Double(table.cells.count)
            table.protections.append(
                AppliedProtection(
                    name: "suppression_rate",
                    parameters: [
                        ProtectionParameter("cells", "\(table.cells.count)"),
                        ProtectionParameter("suppressed", "\(table.cells.filter(\.suppressed).count)"),
                        ProtectionParameter("share", String(format: "%.3f", suppressedShare)),
                    ]))
            if isNew {
                try connection.execute(
                    "UPDATE statistics_releases SET cells = \(table.cells.count) WHERE release = \(cutoff) AND scope = \(scope) AND definition = \(definition)"
                )
                try AuditLog.append(
                    actor: actor, action: .statsRelease, subject: "stats:\(request.unit.rawValue)", source: source,
                    detail:
                        "release=\(Self.day(cutoff)) scope=\(scope) \(definition) cells=\(table.cells.count) epsilon=\(spent)",
                    on: connection)
            }
            try AuditLog.append(
                actor: actor, action: .statsExport, subject: "stats:\(request.unit.rawValue)", source: source,
                detail:
                    "\(request.summary) scope=\(organisation.map { "organisation:\($0)" } ?? "all") release=\(Self.day(cutoff)) window=\(window.description) rows=\(table.cells.count)",
                on: connection)
            return StatisticsExport(
                unit: request.unit, table: table, window: window.description, release: Self.day(cutoff),
                epsilonSpent: spent, budgetLeft: left,
                filters: request.filters.map { ($0.dimension.rawValue, $0.value) }.map {
                    StatisticsExport.Filter(dimension: $0.0, value: $0.1)
                })
        }
    }

    /// The counting of `export` alone, read-only: the table sized (refused when too large),
    /// then its cells counted as of the current release's boundary under the statistics role.
    /// What a read standby runs (`ReadReplica`); `export(…, counted:)` on the primary then makes
    /// and keeps the release from it. Runs inside the caller's transaction (its SET LOCAL ROLE
    /// ends with it).
    public func count(_ request: StatisticsRequest, organisation: Int64?, on connection: PostgresConnection) throws
        -> ReleaseCount
    {
        let cutoff = releasePeriod.cutoff(at: now())
        let window = try ReleasedWindow(from: request.from, to: request.to, cutoff: cutoff, period: releasePeriod)
            .window
        try Self.checkSize(request, window: window, codeLists: try CodeLists.read(on: connection), on: connection)
        return ReleaseCount(
            cutoff: cutoff,
            cells: try Self.countCells(
                request, window: window, cutoff: cutoff, organisation: organisation, on: connection))
    }

    /// The dimensions a request groups by: its own, then those it filters on (a filtered cell
    /// is the very cell of the wider table).
    static func grouped(_ request: StatisticsRequest) -> [StatisticsDimension] {
        request.dimensions + request.filters.map(\.dimension).filter { !request.dimensions.contains($0) }
    }

    /// Sized before the budget is spent or a row counted: an oversized table costs one catalog
    /// read, not the whole count (Docs/security.md, "Heavy queries").
    static func checkSize(
        _ request: StatisticsRequest, window: StatisticsWindow, codeLists: CodeLists, on connection: PostgresConnection
    ) throws {
        try TableSizeEstimate.check(
            estimatedRows(
                grouped(request), unit: request.unit, parameters: request.parameters, window: window,
                codeLists: codeLists, statistics: try PlannerStatistics.read(on: connection)),
            limit: request.parameters.maximumCells)
    }

    /// The true counts of the grouped table as of `cutoff`, each with its cell key.
    static func countCells(
        _ request: StatisticsRequest, window: StatisticsWindow, cutoff: Date, organisation: Int64?,
        on connection: PostgresConnection
    ) throws -> [CountCell] {
        // Filters group too (then select): a filtered cell is the very cell of the wider table.
        let grouped = grouped(request)
        var wide = request
        wide.dimensions = grouped
        let counts = try asStatisticsRole(scope: organisation, on: connection) {
            try connection.query(aggregateQuery(wide, window: window, asOf: cutoff, organisation: organisation))
        }
        var cells: [CountCell] = []
        cells.reserveCapacity(counts.count)
        let width = grouped.count
        // One column per grouped dimension, then the count and the cell key: a width known at
        // run time, read with the low-level accessor.
        for row in counts {
            var values: [String] = []
            values.reserveCapacity(width)
            for column in 0..<width { values.append(try row.decode(String.self, at: column)) }
            cells.append(
                CountCell(
                    values: values, count: try row.decode(Int.self, at: width),
                    cellKey: UInt32(try row.decode(Int64.self, at: width + 1))))
        }
        return cells
    }

    /// How changes between releases are protected (the threshold-update rule, `ReleaseRule`).
    static let changeProtection = AppliedProtection(
        name: "release_change",
        parameters: [
            ProtectionParameter("rule", "threshold_update"),
            ProtectionParameter("held_below", "\(DisclosureParameters.minimumK)"),
            ProtectionParameter("windows", "released_periods_only"),
        ])

    static func day(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return formatter.string(from: date)
    }

    /// Runs `body` as the statistics role, then returns to the connection's own role (which
    /// writes the audit entry and the budget). SET LOCAL: a failure rolls the role back with the
    /// transaction, so a pooled connection never keeps it.
    /// With `scope`, the scoped role, whose row-level security policies (Schema/0005) limit it to
    /// that organisation's rows: a second wall behind the SQL's own organisation filter.
    static func asStatisticsRole<T>(scope: Int64?, on connection: PostgresConnection, _ body: () throws -> T) throws
        -> T
    {
        if let scope {
            try connection.execute("SELECT set_config('passage.organisation_id', \(String(scope)), true)")
            try connection.executeScript("SET LOCAL ROLE passage_statistics_scoped")
        } else {
            try connection.executeScript("SET LOCAL ROLE passage_statistics")
        }
        let value = try body()
        try connection.executeScript("RESET ROLE")
        return value
    }

    static func storeProtections(releasePeriod: ReleasePeriod, cutoff: Date, organisation: Int64?)
        -> [AppliedProtection]
    {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return [
            AppliedProtection(
                name: "release",
                parameters: [
                    ProtectionParameter("release", formatter.string(from: cutoff)),
                    ProtectionParameter("period", releasePeriod.rawValue),
                    ProtectionParameter("counted_before", formatter.string(from: cutoff)),
                    // Category and referral status as they stood at the boundary; facts without a
                    // history as when the release was made (Docs/anonymisation.md "What a release reads").
                    ProtectionParameter("facts", "as_of_boundary_where_history_kept"),
                ]),
            AppliedProtection(
                name: "coarsening",
                parameters: [
                    ProtectionParameter("identifiers", "none"), ProtectionParameter("dates", "month"),
                    ProtectionParameter("ages", "bands"), ProtectionParameter("places", "adm1"),
                ]),
            AppliedProtection(
                name: "export_role",
                parameters: [
                    ProtectionParameter("role", role), ProtectionParameter("personal_data", "no_privilege"),
                ]),
        ]
    }
}
