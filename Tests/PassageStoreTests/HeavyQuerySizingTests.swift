import Foundation
import PassageCore
import Postgres
import TestSupport
import Testing

@testable import PassageStore

/// Oversized STATS and GAPS are refused from the planner's statistics before any row is counted
/// (Docs/security.md "11. Heavy queries"). "Before counting" is made observable without timing:
/// another transaction holds `cases` (and `referrals`) in ACCESS EXCLUSIVE mode, so any query
/// reading them would wait for the lock and end in lock_timeout (55P03) instead of the refusal.
@Suite("Heavy queries: sized before they run")
struct HeavyQuerySizingTests {
    /// Runs `body` on `db` while a second connection holds the counted tables locked.
    static func withCountedTablesLocked<T>(_ conninfo: String, on db: PostgresConnection, _ body: () throws -> T) throws
        -> T
    {
        let holder = try PostgresConnection.connect(conninfo)
        defer { holder.close() }
        try holder.executeScript("BEGIN; LOCK TABLE cases, needs, referrals IN ACCESS EXCLUSIVE MODE")
        defer { try? holder.executeScript("ROLLBACK") }
        try db.executeScript("SET lock_timeout = '3s'")
        return try body()
    }

    @Test("an oversized STATS is refused without reading a counted row, and spends no budget")
    func oversizedStatsRefusedBeforeCounting() async throws {
        let conninfo = try await MigratedDatabase.conninfo()
        let db = try PostgresConnection.connect(conninfo)
        defer { db.close() }
        try StatisticsFixtures.insert([FixtureCase(category: "idp", origin: "UA")], on: db)
        // Closed code lists only: need × service × status × sex × age band × category is far above 200,000 cells.
        let request = try StatisticsRequest(by: "need,service,referral_status,sex,age_band,category")
        let refusal = try Self.withCountedTablesLocked(conninfo, on: db) { () -> StoreError? in
            do {
                _ = try StatisticsStore().export(request, organisation: nil, actor: "pol", source: "test", on: db)
                return nil
            } catch let error as StoreError {
                return error
            }
        }
        guard case .invalid(let argument, let message) = refusal else {
            Issue.record("not refused: \(String(describing: refusal))")
            return
        }
        #expect(argument == "by")
        #expect(
            message.hasPrefix("the table could have") && message.contains("more than the limit of 200000"), "\(message)"
        )
        #expect(try db.query("SELECT count(*) FROM statistics_releases")[0].decode(Int.self) == 0)
        // A table that fits still runs (the lock is gone).
        _ = try StatisticsStore().export(
            try StatisticsRequest(by: "category,sex"), organisation: nil, actor: "pol", source: "test", on: db)
    }

    @Test("an oversized GAPS is refused without reading a counted row; the planner's provider count sizes it")
    func oversizedGapsRefusedBeforeCounting() async throws {
        let conninfo = try await MigratedDatabase.conninfo()
        let db = try PostgresConnection.connect(conninfo)
        defer { db.close() }
        for name in ["p-one", "p-two", "p-three"] {
            _ = try GapFixture.provider(
                name, status: "active", capacity: nil, areas: ["CO-ANT"], services: ["cash"], on: db)
        }
        try db.executeScript("ANALYZE providers")
        // provider × service × need × dimension × sex × age band: 3 × 14 × need codes × dimensions × 4 × 6.
        let query = GapQuery(kind: .outcomes, by: [.need, .dimension, .sex, .ageBand], organisation: nil)
        let refusal = try Self.withCountedTablesLocked(conninfo, on: db) { () -> StoreError? in
            do {
                _ = try GapsStore().run(query, on: db)
                return nil
            } catch let error as StoreError {
                return error
            }
        }
        guard case .invalid(let argument, let message) = refusal else {
            Issue.record("not refused: \(String(describing: refusal))")
            return
        }
        #expect(argument == "by")
        #expect(message.contains("refused before counting"), "\(message)")
        // The same breakdown with fewer dimensions runs.
        _ = try GapsStore().run(GapQuery(kind: .outcomes, by: [.sex], organisation: nil), on: db)
    }

    @Test(
        "the estimate: closed lists by their size, open dimensions by the planner's distinct values, margins as (n+1)")
    func estimateFromCardinalities() throws {
        let parameters = DisclosureParameters()
        var statistics = PlannerStatistics(
            rows: ["cases": 10_000], distinct: ["cases.origin_country": 120, "cases.current_area": 40_000])
        #expect(
            TableSizeEstimate.open("cases.origin_country", countedIn: "cases", statistics, parameters: parameters)
                == 121)
        // An area listed needs a total of at least k − D = 2 rows: no more than rows / 2 of them.
        #expect(
            TableSizeEstimate.open("cases.current_area", countedIn: "cases", statistics, parameters: parameters)
                == 5_000)
        // Unknown to the planner: counts as one (the check after counting still holds).
        #expect(
            TableSizeEstimate.open("cases.subcategory", countedIn: "cases", statistics, parameters: parameters) == 1)
        statistics.rows = [:]
        #expect(TableSizeEstimate.rows([4, 6, 121], totals: false) == 2_904)
        #expect(TableSizeEstimate.rows([4, 6, 121], totals: true) == 5 * 7 * 122)
        #expect(throws: StoreError.self) { try TableSizeEstimate.check(200_001, limit: 200_000) }
        try TableSizeEstimate.check(200_000, limit: 200_000)
    }

    @Test(
        "the planner's statistics: rows, distinct values (fractions resolved) and the earliest month, from the catalog")
    func plannerStatisticsRead() async throws {
        let db = try await MigratedDatabase.connection()
        defer { db.close() }
        let origins = ["SY", "AF", "VE", "SS", "UA", "CD", "MM", "ER"]
        try StatisticsFixtures.insert(
            (0..<400).map { FixtureCase(category: "idp", origin: origins[$0 % origins.count], area: "CO-A\($0 % 20)") },
            on: db)
        try db.executeScript("ANALYZE cases")
        let statistics = try PlannerStatistics.read(on: db)
        #expect(statistics.rows["cases"] == 400)
        #expect(statistics.distinct["cases.origin_country"] == 8)
        #expect(statistics.distinct["cases.current_area"] == 20)
        #expect(statistics.earliest["cases.created_at"] != nil)
    }
}
