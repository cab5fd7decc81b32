import Foundation
import PassageCore
import Postgres
import TestSupport
import Testing

@testable import PassageStore

@Suite("Gaps rollup: the same answers as the base tables, as of its refresh")
struct GapRollupTests {
    @Test("every planned breakdown, for one organisation and for all, equals the base-table query")
    func rollupEqualsBaseTables() async throws {
        let db = try await MigratedDatabase.connection()
        defer { db.close() }
        let fixture = try GapFixture(on: db)
        #expect(try GapRollup().lookup(GapQuery(kind: .unmet, organisation: nil, now: GapFixture.now), on: db) == nil)
        let refresh = try GapRollup().refresh(now: GapFixture.now, on: db)
        #expect(refresh.rows > 0)
        for (kind, sets) in GapRollup.plan {
            for set in sets {
                for organisation in [nil, fixture.organisationA, fixture.organisationB] {
                    // Overdue with no by= reads its default breakdown; the first coverage and
                    // outcomes sets are their intrinsic dimensions.
                    let by = kind == .coverage || kind == .outcomes ? Array(set.dropFirst(2)) : set
                    let query = GapQuery(
                        kind: kind, by: by, days: GapRollup.days, organisation: organisation, now: GapFixture.now)
                    let rolled = try #require(try GapRollup().lookup(query, on: db), "\(kind) \(set)")
                    let base = try GapsStore().run(query, on: db)
                    #expect(
                        rolled.table == base,
                        "\(kind) by \(set.map(\.rawValue)) for \(organisation.map(String.init) ?? "all")")
                    #expect(rolled.asOf == GapFixture.now)
                }
            }
        }
        // Not held: filters, another days=, unplanned breakdowns.
        #expect(
            try GapRollup().lookup(GapQuery(kind: .unmet, area: "CO", organisation: nil, now: GapFixture.now), on: db)
                == nil)
        #expect(
            try GapRollup().lookup(GapQuery(kind: .unmet, days: 3, organisation: nil, now: GapFixture.now), on: db)
                == nil)
        #expect(
            try GapRollup().lookup(
                GapQuery(kind: .unmet, by: [.need, .sex], organisation: nil, now: GapFixture.now), on: db) == nil)
    }
}
