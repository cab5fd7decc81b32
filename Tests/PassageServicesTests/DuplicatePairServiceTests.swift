import Foundation
import PassageCore
import PassageServices
import PassageStore
import Postgres
import TestSupport
import Testing

/// Candidate duplicate pairs (Docs/finding-persons.md "Candidate pairs", "Duplicates across
/// organisations") over a real PostgreSQL: what each side sees, row-level security on the halves,
/// decisions, the link, the rate and the audit.
@Suite("Duplicate pairs")
struct DuplicatePairServiceTests {
    static func isConflict(_ error: any Error) -> Bool {
        if case ServiceError.conflict = error { true } else { false }
    }

    static func isNotFound(_ error: any Error) -> Bool {
        if case ServiceError.notFound = error { true } else { false }
    }

    static let accounts = ReferralWorld.accounts + [("sup-b", Role.supervisor, "ngo-b")]

    /// A pair within ngo-a (adult and child) and one across (ngo-a's adult, ngo-b's case),
    /// recorded as the registration check records them; their ids.
    static func pairs(_ fixture: ServiceFixture, _ world: ReferralWorld) async throws -> (within: Int64, across: Int64)
    {
        let amina = try await fixture.actor("amina")
        try await fixture.services.people.record(
            PersonDetailsChange(name: "Ana P"), forCase: world.childCase, by: amina)
        try await fixture.services.people.record(
            PersonDetailsChange(name: "Ana"), forCase: world.otherCase, by: try await fixture.actor("bo"))
        return try await fixture.pool.transaction { connection in
            func person(_ caseID: Int64) throws -> (Int64, Int64) {
                try connection.query("SELECT person_id, organisation_id FROM cases WHERE id = \(caseID)")[0]
                    .decode((Int64, Int64).self)
            }
            let (adult, ngoA) = try person(world.adultCase)
            let (child, _) = try person(world.childCase)
            let (other, ngoB) = try person(world.otherCase)
            let store = DuplicatePairStore()
            let ids = try store.record(
                personID: adult, caseID: world.adultCase, organisation: ngoA,
                candidates: [
                    DuplicateCandidate(personID: child, caseID: world.childCase, organisationID: ngoA, score: 20.5),
                    DuplicateCandidate(personID: other, caseID: world.otherCase, organisationID: ngoB, score: 18),
                    // the person itself is never its own candidate
                    DuplicateCandidate(personID: adult, caseID: world.adultCase, organisationID: ngoA, score: 99),
                ], on: connection)
            // Found again (the next PERSON SET): not recorded twice.
            let again = try store.record(
                personID: other, caseID: world.otherCase, organisation: ngoB,
                candidates: [
                    DuplicateCandidate(personID: adult, caseID: world.adultCase, organisationID: ngoA, score: 18)
                ],
                on: connection)
            #expect(ids.count == 2 && again.isEmpty)
            return (ids[0], ids[1])
        }
    }

    @Test(
        "each side sees its own half only; within: both cases and the score; across: the other organisation and the pair"
    )
    func views() async throws {
        try await ServiceFixture.with(accounts: Self.accounts) { fixture in
            let world = try await ReferralWorld.make(on: fixture.pool)
            let (within, across) = try await Self.pairs(fixture, world)
            let sam = try await fixture.actor("sam")
            let supB = try await fixture.actor("sup-b")

            let seenByA = try await fixture.services.duplicates.pairs(status: nil, by: sam)
            #expect(seenByA.map(\.id) == [within, across])
            #expect(seenByA[0].otherOrganisation == nil && seenByA[0].ownCase == world.adultCase)
            #expect(seenByA[0].secondCase == world.childCase && seenByA[0].score == 20.5)
            #expect(seenByA[1].otherOrganisation == "ngo-b" && seenByA[1].ownCase == world.adultCase)
            #expect(seenByA[1].secondCase == nil && seenByA[1].score == nil && seenByA[1].linkedCase == nil)

            let seenByB = try await fixture.services.duplicates.pairs(status: nil, by: supB)
            #expect(
                seenByB == [
                    DuplicatePairView(
                        id: across, otherOrganisation: "ngo-a", ownCase: world.otherCase, secondCase: nil, score: nil,
                        status: .new, ownDecision: nil, otherDecision: nil, linkedCase: nil,
                        foundAt: seenByA[1].foundAt)
                ])

            // Row-level security, by SQL in ngo-b's scope: the pair row, and only B's own half.
            let halves = try await fixture.pool.transaction { connection in
                _ = try OrganisationScope.enter(organisationNamed: "ngo-b", on: connection)
                let pairs = try connection.query("SELECT id FROM duplicate_pairs ORDER BY id").map {
                    try $0.decode(Int64.self)
                }
                let sides = try connection.query(
                    "SELECT side, case_id FROM duplicate_pair_sides ORDER BY pair_id, side"
                ).map { try $0.decode((String, Int64).self) }
                return (pairs, sides.map { "\($0.0):\($0.1)" })
            }
            #expect(halves.0 == [across])
            #expect(halves.1 == ["b:\(world.otherCase)"])
            // The pair within ngo-a is not ngo-b's to decide.
            await #expect { _ = try await fixture.services.duplicates.decide(within, .rejected, by: supB) } throws: {
                Self.isNotFound($0)
            }
        }
    }

    @Test(
        "decisions: within, one decision settles; across, both confirm to link the cases, one rejection rejects; the rate; audited"
    )
    func decisions() async throws {
        try await ServiceFixture.with(accounts: Self.accounts) { fixture in
            let world = try await ReferralWorld.make(on: fixture.pool)
            let (within, across) = try await Self.pairs(fixture, world)
            let sam = try await fixture.actor("sam")
            let supB = try await fixture.actor("sup-b")
            let amina = try await fixture.actor("amina")
            let duplicates = fixture.services.duplicates
            await #expect { _ = try await duplicates.decide(within, .confirmed, by: amina) } throws: {
                if case ServiceError.permissionDenied = $0 { true } else { false }
            }

            let rejected = try await duplicates.decide(within, .rejected, by: sam)
            #expect(rejected.status == .rejected && rejected.ownDecision == .rejected)
            await #expect { _ = try await duplicates.decide(within, .confirmed, by: sam) } throws: {
                Self.isConflict($0)
            }

            let half = try await duplicates.decide(across, .confirmed, by: sam)
            #expect(half.status == .new && half.ownDecision == .confirmed && half.linkedCase == nil)
            await #expect { _ = try await duplicates.decide(across, .rejected, by: sam) } throws: {
                Self.isConflict($0)
            }
            let seenByB = try await duplicates.pairs(status: .new, by: supB)
            #expect(seenByB.first?.otherDecision == .confirmed && seenByB.first?.ownDecision == nil)
            let linked = try await duplicates.decide(across, .confirmed, by: supB)
            #expect(linked.status == .confirmed && linked.linkedCase == world.adultCase)
            let seenByA = try await duplicates.pairs(status: .confirmed, by: sam)
            #expect(seenByA.map(\.linkedCase) == [world.otherCase])

            let rate = try await duplicates.rate(by: sam)
            #expect(rate.registrations == 2 && rate.within == [.rejected: 1] && rate.across == [.confirmed: 1])
            #expect(rate.merges == 0 && rate.duplicateRate == 0)
            _ = try await duplicates.merge(survivorCase: world.adultCase, mergedCase: world.childCase, by: sam)
            #expect(try await duplicates.rate(by: sam).duplicateRate == 0.5)

            #expect(
                try await fixture.audit(.duplicateReject).map(\.detail) == [
                    "case \(world.adultCase) and case \(world.childCase), pair rejected"
                ])
            #expect(
                try await fixture.audit(.duplicateConfirm).map { "\($0.actor) \($0.subject) \($0.detail)" } == [
                    "sam pair:\(across) case \(world.adultCase) with ngo-b, pair new",
                    "sup-b pair:\(across) case \(world.otherCase) with ngo-a, pair confirmed",
                ])
            #expect(try await fixture.audit(.duplicateList).count == 2)
            #expect(try await fixture.audit(.duplicateRate).count == 2)
        }
    }
}
