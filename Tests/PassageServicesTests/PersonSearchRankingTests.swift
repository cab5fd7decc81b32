import Foundation
import PassageCore
import PassageServices
import PassageStore
import TestSupport
import Testing

/// A search opens only the best-ranked candidates (`PersonIndexStore.candidateLimit`), so the
/// ranking in SQL decides whether the true match is scored at all (Docs/finding-persons.md §6).
@Suite("Person search ranking")
struct PersonSearchRankingTests {
    @Test(
        "the person sharing the date and the phone is found among more namesakes than a search opens, who share more name keys"
    )
    func evidenceOutranksNamesakes() async throws {
        try await ServiceFixture.with(accounts: PersonSearchServiceTests.accounts) { fixture in
            let caseworker = try await fixture.actor("cw")
            func person(_ ref: String, _ change: PersonDetailsChange) async throws -> Int64 {
                let record = try await fixture.services.cases.open(
                    .json(#"{"ref":"\#(ref)","current_country":"JO","sex":"male","nationality":"SY"}"#),
                    by: caseworker)
                try await fixture.services.people.record(change, forCase: record.id, by: caseworker)
                return record.id
            }
            // More namesakes than are opened, registered first (lower ids win ties): each
            // shares all six name pairs of the four-part name searched for.
            let namesakes = PersonIndexStore.candidateLimit + 5
            for number in 0..<namesakes {
                _ = try await person(
                    "n-\(number)",
                    PersonDetailsChange(name: "Omar Khaled Mahmoud Haddad", dateOfBirth: "\(1920 + number)-06-01"))
            }
            // The person: recorded shorter and spelt otherwise (one shared pair), same date and phone.
            let omar = try await person(
                "o-1", PersonDetailsChange(name: "Omer Haddad", dateOfBirth: "1988-03-14", phone: "+962 79 444 0001"))
            let matches = try await fixture.services.people.search(
                PersonQuery(
                    name: "Omar Khaled Mahmoud Haddad", birth: BirthQuery("1988-03-14"), phone: "0794440001"),
                limit: 5, by: caseworker)
            let first = try #require(matches.first)
            #expect(first.cases.map(\.id) == [omar])
            #expect(first.isStrong)
        }
    }
}
