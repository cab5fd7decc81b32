import Foundation
import PassageCore
import Postgres
import TestSupport
import Testing

@testable import PassageStore

@Suite("Demo load: the synthetic population through COPY")
struct DemoLoadTests {
    static let asOf: Int64 = 1_780_272_000  // 2026-06-01 00:00 UTC

    static func load(cases: Int, seed: UInt64, on db: PostgresConnection) throws -> DemoLoad.Report {
        let population = DemoPopulation(
            caseCount: cases, seed: seed, asOf: asOf, serviceNeeds: try DemoLoad.serviceNeeds(on: db))
        return try DemoLoad().run(population, actor: "test", on: db)
    }

    /// A digest of every loaded row, ids included.
    static func digest(on db: PostgresConnection) throws -> [String] {
        try [
            "SELECT md5(string_agg(format('%s|%s|%s|%s|%s|%s|%s', id, organisation_id, ref, facts, primary_category, created_at, record_key), ',' ORDER BY id)) FROM cases",
            "SELECT md5(string_agg(format('%s|%s|%s|%s|%s|%s|%s', id, case_id, code, priority, status, identified_at, record_key), ',' ORDER BY id)) FROM needs",
            "SELECT md5(string_agg(format('%s|%s|%s|%s|%s|%s|%s|%s|%s|%s', id, need_id, provider_id, service, status, outcome, reason, due_at, closed_at, record_key), ',' ORDER BY id)) FROM referrals",
            "SELECT md5(string_agg(format('%s|%s|%s|%s|%s', id, referral_id, at, from_status, to_status), ',' ORDER BY id)) FROM referral_events",
            "SELECT md5(string_agg(format('%s|%s|%s', p.status, p.capacity, o.name), ',' ORDER BY p.id)) FROM providers p JOIN organisations o ON o.id = p.organisation_id",
        ]
        .map { sql in try db.query(PostgresQuery(unsafeSQL: sql))[0].decode(String.self) }
    }

    @Test("the same seed loads the same rows into two databases; loading it again is refused")
    func sameSeedSameRows() async throws {
        let first = try await MigratedDatabase.connection("demo-first")
        defer { first.close() }
        let second = try await MigratedDatabase.connection("demo-second")
        defer { second.close() }
        let report = try Self.load(cases: 400, seed: 11, on: first)
        _ = try Self.load(cases: 400, seed: 11, on: second)
        #expect(report.cases == 400)
        #expect(report.needs > 300 && report.referrals > 200 && report.referralEvents > report.referrals)
        #expect(try Self.digest(on: first) == Self.digest(on: second))
        #expect(throws: StoreError.self) { try Self.load(cases: 400, seed: 11, on: first) }
        // Another seed adds a second population beside the first, with fresh ids.
        let other = try Self.load(cases: 50, seed: 12, on: first)
        #expect(try first.query("SELECT count(*) FROM cases")[0].decode(Int64.self) == 450)
        #expect(other.cases == 50)
        // The sequences moved past the explicit ids: an ordinary insert still works.
        try first.execute(
            "INSERT INTO needs (case_id, organisation_id, code, priority, identified_by) SELECT id, organisation_id, 'SM', 'normal', 'x' FROM cases LIMIT 1"
        )
    }

    @Test("loaded referrals are consistent with their needs, cases, providers and events")
    func consistentLifecycle() async throws {
        let db = try await MigratedDatabase.connection()
        defer { db.close() }
        _ = try Self.load(cases: 500, seed: 3, on: db)
        func count(_ sql: String) throws -> Int64 { try db.query(PostgresQuery(unsafeSQL: sql))[0].decode(Int64.self) }
        // A referral's case is its need's case; its organisations are the case's and the provider's.
        #expect(
            try count(
                """
                SELECT count(*) FROM referrals r JOIN needs n ON n.id = r.need_id JOIN cases c ON c.id = r.case_id
                JOIN providers p ON p.id = r.provider_id
                WHERE n.case_id <> r.case_id OR r.referring_organisation_id <> c.organisation_id
                   OR r.receiving_organisation_id <> p.organisation_id OR n.organisation_id <> c.organisation_id
                """) == 0)
        // The provider offers the service, and the service serves the need.
        #expect(
            try count(
                """
                SELECT count(*) FROM referrals r JOIN needs n ON n.id = r.need_id JOIN need_codes nc ON nc.code = n.code
                WHERE NOT EXISTS (SELECT 1 FROM provider_services ps WHERE ps.provider_id = r.provider_id AND ps.service = r.service)
                   OR NOT EXISTS (SELECT 1 FROM service_type_needs s WHERE s.service = r.service AND s.need = coalesce(nc.parent, nc.code))
                """) == 0)
        // Events: one per version, the last one's status is the referral's, times match.
        #expect(
            try count(
                """
                SELECT count(*) FROM referrals r
                WHERE r.version <> (SELECT count(*) FROM referral_events e WHERE e.referral_id = r.id)
                   OR r.status <> (SELECT e.to_status FROM referral_events e WHERE e.referral_id = r.id ORDER BY e.id DESC LIMIT 1)
                   OR r.accepted_at IS DISTINCT FROM (SELECT e.at FROM referral_events e WHERE e.referral_id = r.id AND e.to_status = 'accepted')
                   OR r.created_at <> (SELECT e.at FROM referral_events e WHERE e.referral_id = r.id AND e.from_status IS NULL)
                   OR (r.status IN ('pending', 'accepted')) = (r.closed_at IS NOT NULL)
                   OR r.due_at <> r.created_at + (SELECT response_time FROM referral_priorities WHERE priority = r.priority)
                """) == 0)
        // Some are overdue, some providers are inactive, every case has an area.
        #expect(try count("SELECT count(*) FROM referrals WHERE status = 'pending' AND due_at < '2026-06-01'") > 0)
        #expect(try count("SELECT count(*) FROM providers WHERE status <> 'active'") > 0)
        #expect(try count("SELECT count(*) FROM cases WHERE current_area IS NULL") == 0)
        #expect(try count("SELECT count(DISTINCT primary_category) FROM cases") >= 4)
        // Every gap kind answers on it.
        let now = Date(timeIntervalSince1970: TimeInterval(Self.asOf))
        for kind in GapKind.allCases {
            let table = try GapsStore().run(GapQuery(kind: kind, by: [.freedom], organisation: nil, now: now), on: db)
            #expect(!table.rows.isEmpty, "\(kind)")
        }
    }
}
