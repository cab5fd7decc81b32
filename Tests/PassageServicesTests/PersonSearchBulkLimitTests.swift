import Foundation
import PassageCore
import PassageServices
import TestSupport
import Testing

/// PERSON SEARCH draws on the bulk-read budget (Docs/security.md item 16, finding 3): a search
/// tells which cases hold a name, date or number, so a loop testing a list of them is slowed to
/// the same rows a minute as a loop of PERSON SHOW.
@Suite("Person search bulk-read limit")
struct PersonSearchBulkLimitTests {
    @Test(
        "searches cost one token plus one per person listed: past the budget a search is refused before the database (not audited), another user still searches, a minute later the user may again"
    )
    func searchesDrawOnTheBulkReadBudget() async throws {
        let clock = ManualClock()
        try await ServiceFixture.with(
            bulkReads: BulkReadLimit(rowsPerMinute: 3, now: { clock.now }),
            accounts: PersonSearchServiceTests.accounts
        ) { fixture in
            let ids = try await PersonSearchServiceTests.register(fixture)
            let caseworker = try await fixture.actor("cw")
            let people = fixture.services.people
            let fatima = PersonQuery(name: "Fatima Ali Haddad", birth: BirthQuery("1985-01-01"))
            let nobody = PersonQuery(phone: "+44 20 7946 0000")
            // 3 tokens: Fatima listed (1 + 1) leaves 1, a search finding nobody (1) leaves 0.
            #expect(
                try await people.search(fatima, limit: 10, by: caseworker).map(\.cases) == [
                    [.init(id: ids.fatima, ref: "s-3")]
                ])
            #expect(try await people.search(nobody, limit: 10, by: caseworker).isEmpty)
            await #expect(throws: ServiceError.busy("bulk-read limit: 3 rows a minute per user; retry in 20 s")) {
                _ = try await people.search(nobody, limit: 10, by: caseworker)
            }
            // Refused before the database: no audit entry for it.
            #expect(try await fixture.audit(.personSearch).count == 2)
            // Another user's budget is their own.
            #expect(try await people.search(fatima, limit: 10, by: try await fixture.actor("sup")).count == 1)
            clock.advance(by: .seconds(60))
            #expect(try await people.search(nobody, limit: 10, by: caseworker).isEmpty)
        }
    }
}
