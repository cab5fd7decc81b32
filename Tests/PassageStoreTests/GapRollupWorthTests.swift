import Foundation
import Postgres
import TestSupport
import Testing

@testable import PassageStore

@Suite("The GAPS rollup is refreshed only once the database is big enough to need it")
struct GapRollupWorthTests {
    @Test("below 1,000 needs no rollup; from 1,000 on, a rollup")
    func threshold() async throws {
        let fixture = try await ReferralFixture.make()
        let db = try fixture.connect()
        defer { db.close() }
        let existing = try db.query("SELECT count(*) FROM needs")[0].decode(Int64.self)
        let missing = Int64(GapRollupWorth.smallestWorthARollup) - existing
        try db.execute(
            """
            INSERT INTO needs (case_id, organisation_id, code, priority, identified_by)
            SELECT \(fixture.adultCase), \(fixture.ngoA), 'LP', 'normal', 'amina' FROM generate_series(1, \(missing - 1))
            """)
        #expect(try GapRollupWorth.worthARollup(on: db) == false)
        try db.execute(
            "INSERT INTO needs (case_id, organisation_id, code, priority, identified_by) VALUES (\(fixture.adultCase), \(fixture.ngoA), 'LP', 'normal', 'amina')"
        )
        #expect(try GapRollupWorth.worthARollup(on: db) == true)
    }
}
