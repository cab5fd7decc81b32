import Foundation
import PassageCore
import Postgres
import TestSupport
import Testing

@testable import PassageStore

/// Issue 17: what a release reads. Microdata is frozen with the release (stored once, read back
/// byte for byte), and a release counts the rows recorded before its boundary with their facts as
/// they stood at the boundary where a history is kept, not as they stand at the first request.
@Suite("Releases: microdata frozen per release, facts as of the boundary")
struct ReleaseBoundaryTests {
    let statistics = StatisticsStore()

    /// The CSV lines `passage export --microdata` writes.
    static func lines(_ export: MicrodataExport) -> [String] {
        [export.microdata.columns.joined(separator: ",")] + export.microdata.rows.map { $0.joined(separator: ",") }
    }

    @Test(
        "microdata of a release period is byte-identical across two requests with an edit to old rows in between; the next release shows the edit"
    )
    func microdataFrozen() async throws {
        let db = try await MigratedDatabase.connection()
        defer { db.close() }
        // 600 cases recorded last month: two categories, otherwise alike (two groups of 300, a
        // global risk of 2/600 — and 4/600 once half are men, still below 1%).
        let population = (0..<600).map { FixtureCase(category: $0 % 2 == 0 ? "idp" : "refugee_asylum", origin: "SY") }
        let ids = try StatisticsFixtures.insert(population, on: db)
        let first = try statistics.microdata(organisation: nil, actor: "operator:root", source: "cli", on: db)
        #expect(first.microdata.rows.count > 500)
        #expect(first.protections.contains { $0.name == "reidentification_risk" })
        #expect(first.protections.contains { $0.summary.hasPrefix("microdata_release release=") })
        // A caseworker corrects 300 of those old cases: they are men. The facts keep no history,
        // so only freezing the file keeps this period's microdata as it was published.
        try db.execute(
            """
            UPDATE cases SET facts = jsonb_set(facts, '{sex}', '"male"'), version = version + 1, updated_at = now()
             WHERE id = ANY(\(Array(ids.prefix(300)).map(Int.init)))
            """)
        let second = try statistics.microdata(organisation: nil, actor: "operator:root", source: "cli", on: db)
        #expect(Self.lines(second) == Self.lines(first), "the period's file changed after an edit to old rows")
        #expect(second.protections == first.protections)
        #expect(!Self.lines(second).contains { $0.contains(",male,") })
        // Made once, audited as a release (as tables are), and every export audited.
        #expect(
            try db.query(
                "SELECT count(*) FROM audit_log WHERE action = 'stats.release' AND subject = 'stats:microdata'")[0]
                .decode(Int.self) == 1)
        #expect(
            try db.query("SELECT count(*) FROM audit_log WHERE action = 'stats.microdata'")[0].decode(Int.self) == 2)
        #expect(try db.query("SELECT count(*) FROM microdata_releases")[0].decode(Int.self) == 1)
        // The next release is made afresh and shows the correction.
        let next = StatisticsStore(releasePeriod: .month, now: { Date().addingTimeInterval(40 * 86_400) })
        let later = try next.microdata(organisation: nil, actor: "operator:root", source: "cli", on: db)
        #expect(Self.lines(later) != Self.lines(first))
        #expect(Self.lines(later).contains { $0.contains(",male,") })
    }

    @Test(
        "a microdata refusal is frozen with the release: rows added behind it do not turn it into a file within the period"
    )
    func microdataRefusalFrozen() async throws {
        let db = try await MigratedDatabase.connection()
        defer { db.close() }
        let small = try OrganisationStore.id(named: "small", create: true, on: db)
        try StatisticsFixtures.insert(
            (0..<30).map { FixtureCase(category: "idp", origin: ["SY", "AF", "VE"][$0 % 3], age: 20 + $0) },
            organisation: small, on: db)
        #expect(throws: StoreError.self) {
            try statistics.microdata(organisation: small, actor: "a", source: "t", on: db)
        }
        // Back-dated rows (an import of last month's paper forms) arrive after the refusal.
        try StatisticsFixtures.insert(
            Array(repeating: FixtureCase(category: "idp", origin: "SY"), count: 600), organisation: small, on: db)
        #expect(throws: StoreError.self) {
            try statistics.microdata(organisation: small, actor: "a", source: "t", on: db)
        }
        let next = StatisticsStore(releasePeriod: .month, now: { Date().addingTimeInterval(40 * 86_400) })
        #expect(try next.microdata(organisation: small, actor: "a", source: "t", on: db).microdata.rows.count > 500)
    }

    /// Cases recorded before the boundary and classified then; `overridden` of them are set to
    /// another category by a supervisor after the boundary (as `CaseStore.override` writes it).
    static func casesOverriddenAfterBoundary(
        _ count: Int, category: String, overridden: Int, to other: String,
        on db: PostgresConnection
    ) throws -> [Int64] {
        let ids = try StatisticsFixtures.insert(
            Array(repeating: FixtureCase(category: category, origin: "UA"), count: count), on: db)
        try db.execute(
            """
            UPDATE cases SET classified_at = created_at, updated_at = created_at,
                             classification = json_build_object('primary', primary_category, 'subcategories', json_build_object())
             WHERE id = ANY(\(ids.map(Int.init)))
            """)
        for id in ids.prefix(overridden) {
            try db.execute(
                "UPDATE cases SET primary_category = \(other), overridden = true, updated_at = now() WHERE id = \(id)")
            try db.execute(
                """
                INSERT INTO classifications (case_id, case_version, source, primary_category, reason, decided_by)
                VALUES (\(id), 1, 'override', \(other), 'supervisor review', 'sup')
                """)
        }
        return ids
    }

    @Test(
        "the release's cutoff rule: rows recorded before the boundary, categories as they stood at the boundary, not at the first request"
    )
    func releaseCountsAsOfBoundary() async throws {
        let db = try await MigratedDatabase.connection()
        defer { db.close() }
        let ids = try Self.casesOverriddenAfterBoundary(200, category: "idp", overridden: 100, to: "trafficked", on: db)
        // Recorded after the boundary: never in this release.
        try StatisticsFixtures.insert(
            Array(repeating: FixtureCase(category: "idp", origin: "UA"), count: 30), at: Date(), on: db)
        let export = try statistics.export(
            try StatisticsRequest(by: "category"), organisation: nil, actor: "p", source: "t", on: db)
        let idp = try #require(export.table.cells.first { $0.values == ["idp"] }?.value)
        #expect(abs(idp - 200) <= 3, "idp \(idp): the 100 overridden after the boundary still count as idp")
        #expect(export.table.cells.first { $0.values == ["trafficked"] }?.suppressed == true)
        // Microdata reads the same category at the boundary.
        let microdata = try statistics.microdata(lDiversity: nil, organisation: nil, actor: "p", source: "t", on: db)
        let column = try #require(microdata.microdata.columns.firstIndex(of: "category"))
        #expect(!microdata.microdata.rows.contains { $0[column] == "trafficked" })
        // The next release reads its own boundary: the overrides are in force by then.
        let next = StatisticsStore(releasePeriod: .month, now: { Date().addingTimeInterval(40 * 86_400) })
        let later = try next.export(
            try StatisticsRequest(by: "category"), organisation: nil, actor: "p", source: "t", on: db)
        let trafficked = try #require(later.table.cells.first { $0.values == ["trafficked"] }?.value)
        #expect(abs(trafficked - 100) <= 3)
        _ = ids
    }

    @Test(
        "GAPS counts as of the boundary: a need identified after it is not counted, a referral accepted after it is still pending"
    )
    func gapsAsOfBoundary() async throws {
        let db = try await MigratedDatabase.connection()
        defer { db.close() }
        let boundary = ReleasePeriod.month.cutoff(at: Date())
        let before = boundary.addingTimeInterval(-10 * 86_400)
        let after = boundary.addingTimeInterval(min(3_600, Date().timeIntervalSince(boundary) / 2))
        let ids = try Self.casesOverriddenAfterBoundary(12, category: "idp", overridden: 6, to: "trafficked", on: db)
        try StatisticsFixtures.needsAndReferrals(cases: ids, code: "SM", service: "health", status: "pending", on: db)
        // Every referral made before the boundary, with its creation event; updated then.
        try db.execute("UPDATE referrals SET created_at = \(before), due_at = \(before), updated_at = \(before)")
        try db.execute(
            "INSERT INTO referral_events (referral_id, at, actor, to_status) SELECT id, \(before), 'fixture', 'pending' FROM referrals"
        )
        // After the boundary, before anyone asks: four referrals accepted, one need identified.
        try db.execute(
            """
            WITH moved AS (UPDATE referrals SET status = 'accepted', accepted_at = \(after), updated_at = \(after), version = version + 1
                            WHERE id IN (SELECT id FROM referrals ORDER BY id LIMIT 4) RETURNING id)
            INSERT INTO referral_events (referral_id, at, actor, from_status, to_status) SELECT id, \(after), 'provider', 'pending', 'accepted' FROM moved
            """)
        try db.execute(
            """
            INSERT INTO needs (case_id, organisation_id, code, priority, identified_by, identified_at)
            VALUES (\(ids[0]), 1, 'SM', 'normal', 'cw', \(after))
            """)
        let store = GapsStore()
        let outcomes = try store.run(GapQuery(kind: .outcomes, organisation: nil, now: boundary), on: db)
        let row = try #require(outcomes.rows.first)
        #expect(row.counts["referred"]?.count == 12)
        #expect(row.counts["pending"]?.count == 12)
        #expect(row.counts["accepted"]?.count == 0)
        let overdue = try store.run(GapQuery(kind: .overdue, by: [.category], organisation: nil, now: boundary), on: db)
        // Pending at the boundary and past due, by the category each case had then.
        #expect(overdue.row("idp")?.counts["overdue"]?.count == 12)
        #expect(overdue.row("trafficked") == nil)
        let unmet = try store.run(GapQuery(kind: .unmet, organisation: nil, now: boundary), on: db)
        #expect(unmet.rows.first?.counts["identified"]?.count == 12)
        // Asked as of now instead (what a release made at its first request used to count).
        let current = try store.run(GapQuery(kind: .outcomes, organisation: nil, now: Date()), on: db)
        #expect(current.rows.first?.counts["accepted"]?.count == 4)
        #expect(
            try store.run(GapQuery(kind: .unmet, organisation: nil, now: Date()), on: db).rows.first?.counts[
                "identified"]?.count == 13)
    }
}
