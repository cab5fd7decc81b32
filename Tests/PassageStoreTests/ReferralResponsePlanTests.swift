import Foundation
import PassageCore
import Postgres
import TestSupport
import Testing

@testable import PassageStore

/// How PostgreSQL plans a count by `referral_response` (Schema/0025): the expression reads three
/// timestamps, whose distinct values the planner would multiply into one group per row (a
/// million-group aggregate, spilled, without workers, where the count by status is hashed and
/// parallel). The rows unchanged since the boundary are grouped by the expression as it stands,
/// which the expression statistics estimate at its three values. A plan-shape check, no timing.
@Suite("Statistics: the plan of a count by referral_response")
struct ReferralResponsePlanTests {
    /// The planner's estimate of groups of every aggregate node of `query`'s plan.
    static func estimatedGroups(_ query: PostgresQuery, on db: PostgresConnection) throws -> [Int] {
        let text = try db.query(PostgresQuery(unsafeSQL: "EXPLAIN (FORMAT JSON) " + query.sql, binds: query.binds))[0]
            .decode(String.self)
        let plans = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
        var groups: [Int] = []
        func walk(_ node: [String: Any]) {
            if node["Node Type"] as? String == "Aggregate", let rows = node["Plan Rows"] as? Int { groups.append(rows) }
            for child in node["Plans"] as? [[String: Any]] ?? [] { walk(child) }
        }
        for plan in plans { walk(plan["Plan"] as? [String: Any] ?? [:]) }
        return groups
    }

    @Test("3,000 referrals answered at 3,000 different times: estimated as a few groups, not one per referral")
    func fewGroupsEstimated() async throws {
        let db = try await MigratedDatabase.connection()
        defer { db.close() }
        let cases = try StatisticsFixtures.insert(
            Array(repeating: FixtureCase(category: "idp", origin: "UA"), count: 3_000), on: db)
        try db.execute("INSERT INTO organisations (name) VALUES ('fixture-provider') ON CONFLICT (name) DO NOTHING")
        try db.execute(
            "INSERT INTO providers (organisation_id) SELECT id FROM organisations WHERE name = 'fixture-provider' ON CONFLICT DO NOTHING"
        )
        // Every referral made, due and answered at its own time; none changed since the boundary.
        let made = StatisticsFixtures.lastMonth
        try db.execute(
            """
            WITH new_needs AS (
                INSERT INTO needs (case_id, organisation_id, code, priority, identified_by, identified_at)
                SELECT id, 1, 'SM', 'urgent', 'fixture', \(made) FROM unnest(\(cases.map(Int.init))) AS c(id)
                RETURNING id, case_id)
            INSERT INTO referrals (case_id, need_id, provider_id, service, referring_organisation_id, receiving_organisation_id,
                                   priority, status, outcome, consent, created_by, created_at, due_at, accepted_at, closed_at,
                                   updated_at)
            SELECT n.case_id, n.id, p.id, 'health', 1, p.organisation_id, 'urgent', s.status,
                   CASE WHEN s.status = 'completed' THEN 'successful' END, true, 'fixture',
                   \(made) - n.id * interval '1 second', \(made) + interval '3 days' - n.id * interval '1 second',
                   CASE WHEN s.status IN ('accepted', 'completed') THEN \(made) + n.id * interval '97 seconds' END,
                   CASE WHEN s.status IN ('declined', 'completed') THEN \(made) + n.id * interval '101 seconds' END,
                   \(made) + interval '8 days'
              FROM new_needs n
              CROSS JOIN LATERAL (SELECT (ARRAY['pending', 'accepted', 'declined', 'completed'])[1 + n.id % 4] AS status) s,
                   providers p JOIN organisations o ON o.id = p.organisation_id AND o.name = 'fixture-provider'
            """)
        try db.executeScript("ANALYZE referrals")
        let cutoff = ReleasePeriod.month.cutoff(at: Date())
        let request = try StatisticsRequest(of: "referrals", by: "service,referral_response")
        let window = try ReleasedWindow(from: nil, to: nil, cutoff: cutoff, period: .month).window
        let groups = try Self.estimatedGroups(
            StatisticsStore.aggregateQuery(request, window: window, asOf: cutoff, organisation: nil), on: db)
        #expect(!groups.isEmpty)
        #expect(groups.allSatisfy { $0 <= 100 }, "estimated groups \(groups) for 3,000 referrals")
    }
}
