import Foundation
import Postgres
import TestSupport
import Testing

/// Cached plans age out (`discardPlans(olderThan:)`, called by the pool at each lease): a
/// generic plan made while a table was empty is not kept for the life of the connection.
@Suite("Cached plans older than their lifetime are made again")
struct PlanAgeTests {
    /// The plan the session's prepared look-up would run now (EXPLAIN EXECUTE of its name).
    func currentPlan(_ db: PostgresConnection) throws -> String {
        let name = try db.query(
            """
            SELECT name FROM pg_prepared_statements WHERE statement LIKE '%FROM referrals_seen WHERE need_id =%'
            """)[0].decode(String.self)
        try db.executeScript("SET plan_cache_mode = force_generic_plan")
        defer { try? db.executeScript("RESET plan_cache_mode") }
        return try db.query("EXPLAIN EXECUTE \(identifier: name)(1)").map { try $0.decode(String.self) }.joined(
            separator: "\n")
    }

    @Test func aPlanMadeOnAnEmptyTableIsRemadeOnceOld() async throws {
        try await withFreshConnection { (db: PostgresConnection) throws in
            try db.executeScript(
                """
                CREATE TABLE referrals_seen (id bigserial PRIMARY KEY, need_id bigint NOT NULL, note text NOT NULL DEFAULT 'x')
                  WITH (autovacuum_enabled = false);
                CREATE INDEX ON referrals_seen (need_id);
                ANALYZE referrals_seen;
                """)
            // The look-up runs on the empty table until the server keeps a generic plan for it.
            for need in 1...8 { _ = try db.query("SELECT id FROM referrals_seen WHERE need_id = \(Int64(need))") }
            #expect(try currentPlan(db).contains("Seq Scan"))
            // The table grows; nothing analyses it.
            try db.executeScript("INSERT INTO referrals_seen (need_id) SELECT g FROM generate_series(1, 200000) g")
            try db.discardPlans(olderThan: .seconds(3600))
            #expect(try currentPlan(db).contains("Seq Scan"))  // young plans are kept as they are
            try db.discardPlans(olderThan: .zero)
            #expect(try currentPlan(db).contains("Index"))  // made again, for the table as it is now
        }
    }
}
