import Foundation
import PassageCore
import Postgres
import TestSupport
import Testing

@testable import PassageStore

/// Issue 22: a release with a fact that keeps a history (category, referral status) counts the
/// rows unchanged since its boundary by their plain columns and the changed ones through the
/// history, then adds the two per cell (`aggregateQuery`). The true counts and cell keys must be
/// those of every row read as of the boundary: a changed row counted twice, dropped, or counted by
/// its value of today would change them.
@Suite("Releases: unchanged and changed rows counted apart, added per cell")
struct ReleaseCountSplitTests {
    let statistics = StatisticsStore()

    /// The true count and cell key of the rows `ids` of `table` (the key: their record keys summed, mod 2^32).
    static func expected(_ table: String, _ ids: [Int64], on db: PostgresConnection) throws -> CountCell {
        let row = try db.query(
            """
            SELECT count(*)::bigint, (coalesce(sum(record_key), 0) % 4294967296)::bigint
              FROM \(identifier: table) WHERE id = ANY(\(ids.map(Int.init)))
            """
        ).first!
        let (count, key) = try row.decode((Int64, Int64).self)
        return CountCell(values: [], count: Int(count), cellKey: UInt32(key))
    }

    static func cell(_ values: [String], in counted: ReleaseCount) -> (count: Int, key: UInt32)? {
        counted.cells.first { $0.values == values }.map { ($0.count, $0.cellKey) }
    }

    @Test("by category: unchanged and overridden-after-the-boundary cases in one cell, exact count and key")
    func categoryCellsAddUp() async throws {
        let db = try await MigratedDatabase.connection()
        defer { db.close() }
        // 120 idp cases, 50 of them overridden to trafficked after the boundary; 7 trafficked
        // cases unchanged since before it.
        let idp = try ReleaseBoundaryTests.casesOverriddenAfterBoundary(
            120, category: "idp", overridden: 50, to: "trafficked", on: db)
        let trafficked = try ReleaseBoundaryTests.casesOverriddenAfterBoundary(
            7, category: "trafficked", overridden: 0, to: "idp", on: db)
        let counted = try db.transaction { connection in
            try statistics.count(try StatisticsRequest(by: "category,origin"), organisation: nil, on: connection)
        }
        let idpExpected = try Self.expected("cases", idp, on: db)
        let traffickedExpected = try Self.expected("cases", trafficked, on: db)
        let idpCell = try #require(Self.cell(["idp", "UA"], in: counted))
        let traffickedCell = try #require(Self.cell(["trafficked", "UA"], in: counted))
        #expect(idpCell.count == 120 && idpCell.key == idpExpected.cellKey)
        #expect(traffickedCell.count == 7 && traffickedCell.key == traffickedExpected.cellKey)
        #expect(counted.cells.count == 2)
    }

    @Test("by referral status: unchanged, changed without events, and answered after the boundary all pending then")
    func referralStatusCellsAddUp() async throws {
        let db = try await MigratedDatabase.connection()
        defer { db.close() }
        let cases = try StatisticsFixtures.insert(
            Array(repeating: FixtureCase(category: "idp", origin: "UA"), count: 30), on: db)
        try StatisticsFixtures.needsAndReferrals(
            cases: cases, code: "SM", service: "health", status: "pending", on: db)
        let referrals = try db.query("SELECT id FROM referrals WHERE case_id = ANY(\(cases.map(Int.init))) ORDER BY id")
            .map { try $0.decode(Int64.self) }
        // 15 unchanged since before the boundary; 5 touched after it (no events: read as they
        // stand, pending); 10 pending at the boundary (their event then) and accepted after it.
        try db.execute(
            "UPDATE referrals SET updated_at = created_at WHERE id = ANY(\(referrals.prefix(15).map(Int.init)))")
        for id in referrals.suffix(10) {
            try db.execute(
                """
                INSERT INTO referral_events (referral_id, at, actor, from_status, to_status)
                VALUES (\(id), \(StatisticsFixtures.lastMonth), 'fixture', NULL, 'pending')
                """)
            try db.execute(
                "UPDATE referrals SET status = 'accepted', accepted_at = now(), updated_at = now() WHERE id = \(id)")
        }
        let counted = try db.transaction { connection in
            try statistics.count(
                try StatisticsRequest(of: "referrals", by: "referral_status"), organisation: nil, on: connection)
        }
        let expected = try Self.expected("referrals", referrals, on: db)
        let pending = try #require(Self.cell(["pending"], in: counted))
        #expect(pending.count == 30 && pending.key == expected.cellKey)
        #expect(Self.cell(["accepted"], in: counted) == nil)
    }
}
