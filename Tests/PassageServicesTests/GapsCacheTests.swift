import Foundation
import PassageCore
import Postgres
import TestSupport
import Testing

@testable import PassageServices
@testable import PassageStore

/// Rollup answers are published once per refresh (`PublishedGapsCache`): what is kept must be
/// exactly what publishing the rollup's rows again gives, and a new refresh must replace it.
@Suite("Gaps: rollup answers published once per refresh")
struct GapsCacheTests {
    /// Every question the rollup holds, for every organisation and for each of the two.
    static func questions(_ fixture: GapFixture) -> [GapQuery] {
        GapRollup.plan.flatMap { kind, sets in
            sets.flatMap { set in
                [nil, fixture.organisationA, fixture.organisationB].map { organisation in
                    // Overdue with no by= reads its default breakdown; coverage and outcomes
                    // always lead with their own two dimensions.
                    let by = kind == .coverage || kind == .outcomes ? Array(set.dropFirst(2)) : set
                    return GapQuery(
                        kind: kind, by: by, days: GapRollup.days, organisation: organisation, now: GapFixture.now)
                }
            }
        }
    }

    /// The answer publishing the rollup's rows gives, without the cache.
    static func fresh(_ query: GapQuery, on db: PostgresConnection) throws -> PublishedGaps {
        try GapPublication.publish(try #require(try GapRollup().lookup(query, on: db)).table)
    }

    @Test(
        "a kept answer equals publishing the rollup again, for every held question and scope; a new refresh replaces them"
    )
    func keptAnswersEqualFreshOnes() async throws {
        let db = try await MigratedDatabase.connection()
        defer { db.close() }
        let fixture = try GapFixture(on: db)
        // Enough open needs that some counts are shown, not only suppressed.
        try GapsPublicationTests.addNeeds(12, code: "SM", caseID: fixture.cases["c1"]!, on: db)
        let cache = PublishedGapsCache()
        let unmet = GapQuery(kind: .unmet, organisation: nil, now: GapFixture.now)
        #expect(try cache.answer(unmet, maximumAge: .infinity, on: db) == nil)  // no rollup yet
        try GapRollup().refresh(now: GapFixture.now, on: db)

        let questions = Self.questions(fixture)
        for query in questions {
            let expected = try Self.fresh(query, on: db)
            let first = try #require(try cache.answer(query, maximumAge: .infinity, on: db))
            let again = try #require(try cache.answer(query, maximumAge: .infinity, on: db))
            #expect(
                first.published == expected,
                "\(query.kind) by \(query.dimensions) for \(String(describing: query.organisation))")
            #expect(again.published == expected)
            #expect(first.asOf == GapFixture.now)
        }
        #expect(cache.count == questions.count)
        let before = try #require(try cache.answer(unmet, maximumAge: .infinity, on: db)).published
        #expect(before.rows.contains { $0.contains { if case .count(_?) = $0 { true } else { false } } })

        // Twenty more needs and a refresh as of the same time: a new refresh all the same, so the
        // kept answers of the old one go and the new rows are published.
        try GapsPublicationTests.addNeeds(20, code: "SM", caseID: fixture.cases["c2"]!, on: db)
        try GapRollup().refresh(now: GapFixture.now, on: db)
        let after = try #require(try cache.answer(unmet, maximumAge: .infinity, on: db)).published
        #expect(try after == Self.fresh(unmet, on: db))
        #expect(after != before)
        #expect(cache.count == 1)

        // Not held: filters and unplanned breakdowns go to the base tables; a rollup too old is not used.
        #expect(
            try cache.answer(
                GapQuery(kind: .unmet, area: "CO", organisation: nil, now: GapFixture.now), maximumAge: .infinity,
                on: db) == nil)
        #expect(
            try cache.answer(
                GapQuery(kind: .unmet, by: [.need, .sex], organisation: nil, now: GapFixture.now),
                maximumAge: .infinity, on: db) == nil)
        #expect(try cache.answer(unmet, maximumAge: 60, on: db) == nil)  // the fixture's refresh is as of 2026-06-01
    }

    @Test("the rows kept stay within the limit, and answers stay exact when they do not fit")
    func boundedByRows() async throws {
        let db = try await MigratedDatabase.connection()
        defer { db.close() }
        let fixture = try GapFixture(on: db)
        try GapsPublicationTests.addNeeds(12, code: "SM", caseID: fixture.cases["c1"]!, on: db)
        try GapRollup().refresh(now: GapFixture.now, on: db)
        let cache = PublishedGapsCache(maximumRows: 2)
        for query in Self.questions(fixture) {
            let answer = try #require(try cache.answer(query, maximumAge: .infinity, on: db))
            #expect(try answer.published == Self.fresh(query, on: db))
            #expect(cache.rowCount <= 2)
        }
    }
}
