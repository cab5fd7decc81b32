import Foundation
import PassageCore
import PassageServices
import PassageStore
import Postgres
import TestSupport
import Testing

/// Merging two person records and undoing it (Docs/finding-persons.md "Merge and unmerge") over a
/// real PostgreSQL: the rows an unmerge gives back are byte-identical to those before the merge.
@Suite("Person merge and unmerge")
struct PersonMergeServiceTests {
    static func isConflict(_ error: any Error, containing text: String) -> Bool {
        if case ServiceError.conflict(let message) = error { message.contains(text) } else { false }
    }

    static func isNotFound(_ error: any Error) -> Bool {
        if case ServiceError.notFound = error { true } else { false }
    }

    static func isDenied(_ error: any Error) -> Bool {
        if case ServiceError.permissionDenied = error { true } else { false }
    }

    /// Every row of the tables a person, its cases and their relationships live in, as
    /// PostgreSQL's own text of each row (bytea as hex: every byte), in a stable order.
    static let dumpedTables = [
        "persons", "cases", "classifications", "needs", "referrals", "referral_events", "referral_contacts",
        "case_closures", "case_transfers", "person_match_keys", "duplicate_pairs", "duplicate_pair_sides",
    ]

    static func dump(_ fixture: ServiceFixture) async throws -> [String: [String]] {
        try await fixture.pool.withConnection { connection in
            var tables: [String: [String]] = [:]
            for table in dumpedTables {
                let exists = try connection.query("SELECT to_regclass(\(table)) IS NOT NULL")[0].decode(Bool.self)
                guard exists else { continue }
                tables[table] = try connection.query(
                    "SELECT t::text FROM \(identifier: table) t ORDER BY t::text"
                ).map { try $0.decode(String.self) }
            }
            return tables
        }
    }

    @Test(
        "merge moves the merged person's cases (with their needs and referrals) to the survivor; unmerge gives back byte-identical rows; both audited"
    )
    func mergeThenUnmerge() async throws {
        try await ServiceFixture.with(accounts: ReferralWorld.accounts) { fixture in
            let world = try await ReferralWorld.make(on: fixture.pool)
            let amina = try await fixture.actor("amina")
            let sam = try await fixture.actor("sam")
            // The child's case gets a person of its own (the survivor); the adult's case, with
            // Ana, a need and an open consented referral, is merged into it.
            try await fixture.services.people.record(
                PersonDetailsChange(name: "Ana Pérez", dateOfBirth: "1990-04-01"), forCase: world.childCase, by: amina)
            _ = try await fixture.services.referrals.refer(world.referral(), by: amina)
            let before = try await Self.dump(fixture)
            #expect(before["referral_contacts"]?.count == 1)

            let duplicates = fixture.services.duplicates
            await #expect {
                _ = try await duplicates.merge(survivorCase: world.childCase, mergedCase: world.adultCase, by: amina)
            } throws: { Self.isDenied($0) }
            let merge = try await duplicates.merge(survivorCase: world.childCase, mergedCase: world.adultCase, by: sam)
            #expect(merge.movedCases == [world.adultCase] && merge.inForce && merge.mergedBy == "sam")

            // The adult's case now reads the survivor's details; its need and referral stay on it.
            let details = try await fixture.services.people.details(ofCase: world.adultCase, by: amina)
            #expect(details.names == ["Ana Pérez"] && details.dateOfBirth == "1990-04-01")
            let persons = try await fixture.count(
                "SELECT count(DISTINCT person_id) FROM cases WHERE id IN (\(world.adultCase), \(world.childCase))")
            #expect(persons == 1)
            #expect(
                try await fixture.count(
                    "SELECT count(*) FROM persons WHERE merged_into IS NOT NULL") == 1)
            #expect(try await fixture.count("SELECT count(*) FROM needs WHERE case_id = \(world.adultCase)") == 1)
            #expect(try await Self.dump(fixture) != before)

            // Merged away: neither side can be merged again while the merge is in force.
            await #expect {
                _ = try await duplicates.merge(survivorCase: world.adultCase, mergedCase: world.childCase, by: sam)
            } throws: { Self.isConflict($0, containing: "already the same person") }

            let undone = try await duplicates.unmerge(merge.id, by: sam)
            #expect(!undone.inForce && undone.unmergedBy == "sam")
            var after = try await Self.dump(fixture)
            // The merge record itself stays (with who undid it); everything else is as before.
            after["person_merges"] = nil
            #expect(after == before)
            let ana = try await fixture.services.people.details(ofCase: world.adultCase, by: amina)
            #expect(ana.names == ["Ana"] && ana.phone == "+57 300")

            await #expect { _ = try await duplicates.unmerge(merge.id, by: sam) } throws: {
                Self.isConflict($0, containing: "undone already")
            }
            #expect(
                try await fixture.audit(.personMerge) == [
                    .init(
                        actor: "sam", action: "person.merge", subject: "case:\(world.childCase)", source: "192.0.2.7",
                        detail:
                            "merge \(merge.id): person of case \(world.adultCase) merged, cases \(world.adultCase) moved"
                    )
                ])
            #expect(
                try await fixture.audit(.personUnmerge) == [
                    .init(
                        actor: "sam", action: "person.unmerge", subject: "case:\(world.childCase)",
                        source: "192.0.2.7",
                        detail:
                            "merge \(merge.id) undone: cases \(world.adultCase) back to the person of case \(world.adultCase)"
                    )
                ])
        }
    }

    @Test(
        "refused: the same case twice, a case without a person, another organisation's case, a closed case to move, an open transfer; a chain is undone last first"
    )
    func refusals() async throws {
        try await ServiceFixture.with(
            accounts: ReferralWorld.accounts + [("sup-b", .supervisor, "ngo-b")]
        ) { fixture in
            let world = try await ReferralWorld.make(on: fixture.pool)
            let amina = try await fixture.actor("amina")
            let sam = try await fixture.actor("sam")
            let supB = try await fixture.actor("sup-b")
            let duplicates = fixture.services.duplicates

            await #expect {
                _ = try await duplicates.merge(survivorCase: world.adultCase, mergedCase: world.adultCase, by: sam)
            } throws: { if case ServiceError.badArgument(let argument, _) = $0 { argument == "case-b" } else { false } }
            await #expect {
                _ = try await duplicates.merge(survivorCase: world.adultCase, mergedCase: world.childCase, by: sam)
            } throws: { Self.isConflict($0, containing: "no personal details") }
            // Another organisation's case is not found, from either side.
            try await fixture.services.people.record(
                PersonDetailsChange(name: "Bo"), forCase: world.otherCase, by: try await fixture.actor("bo"))
            await #expect {
                _ = try await duplicates.merge(survivorCase: world.adultCase, mergedCase: world.otherCase, by: sam)
            } throws: { Self.isNotFound($0) }
            await #expect {
                _ = try await duplicates.merge(survivorCase: world.otherCase, mergedCase: world.adultCase, by: supB)
            } throws: { Self.isNotFound($0) }

            // A closed case is read-only: it cannot move to another person.
            try await fixture.services.people.record(
                PersonDetailsChange(name: "Ana P"), forCase: world.childCase, by: amina)
            _ = try await fixture.services.needs.setStatus(
                of: world.childNeed, to: .met, expectedVersion: nil, by: amina)
            _ = try await fixture.services.cases.close(
                world.childCase, reason: .duplicate, carryForward: false, by: amina)
            await #expect {
                _ = try await duplicates.merge(survivorCase: world.adultCase, mergedCase: world.childCase, by: sam)
            } throws: { Self.isConflict($0, containing: "case \(world.childCase) is closed") }
            #expect(try await fixture.count("SELECT count(*) FROM person_merges") == 0)
            // The closed case may survive: nothing of it changes.
            let kept = try await duplicates.merge(survivorCase: world.childCase, mergedCase: world.adultCase, by: sam)
            #expect(kept.movedCases == [world.adultCase])
            _ = try await duplicates.unmerge(kept.id, by: sam)
            _ = try await fixture.services.cases.reopen(world.childCase, by: sam)

            // An open transfer of either person's case blocks a merge.
            let transfer = try await fixture.services.transfers.propose(
                caseID: world.adultCase, to: "ngo-b", reason: .movedArea, consented: true, by: amina)
            await #expect {
                _ = try await duplicates.merge(survivorCase: world.childCase, mergedCase: world.adultCase, by: sam)
            } throws: { Self.isConflict($0, containing: "open transfer \(transfer.id)") }
            _ = try await fixture.services.transfers.cancel(transfer.id, reason: .other, by: amina)

            // A chain: the child's person takes the adult's, then a third person takes the child's; the
            // first merge can be undone only after the second.
            let third = try await fixture.services.cases.open(
                .json(#"{"ref":"third","age":30,"nationality":"VE","current_country":"CO"}"#), by: amina)
            try await fixture.services.people.record(PersonDetailsChange(name: "Ana"), forCase: third.id, by: amina)
            let first = try await duplicates.merge(survivorCase: world.childCase, mergedCase: world.adultCase, by: sam)
            let second = try await duplicates.merge(survivorCase: third.id, mergedCase: world.childCase, by: sam)
            #expect(Set(second.movedCases) == [world.adultCase, world.childCase])
            await #expect { _ = try await duplicates.unmerge(first.id, by: sam) } throws: {
                Self.isConflict($0, containing: "undo merge \(second.id) first")
            }
            _ = try await duplicates.unmerge(second.id, by: sam)
            _ = try await duplicates.unmerge(first.id, by: sam)
            #expect(
                try await fixture.count(
                    "SELECT count(DISTINCT person_id) FROM cases WHERE id IN (\(world.adultCase), \(world.childCase), \(third.id))"
                )
                    == 3)
            // Another organisation's merge is not found.
            await #expect { _ = try await duplicates.unmerge(first.id, by: supB) } throws: { Self.isNotFound($0) }

            // While merged, the person has two cases: one of them cannot be transferred alone (the
            // person would move with it, away from the other case).
            _ = try await duplicates.merge(survivorCase: world.childCase, mergedCase: world.adultCase, by: sam)
            let moving = try await fixture.services.transfers.propose(
                caseID: world.adultCase, to: "ngo-b", reason: .movedArea, consented: true, by: amina)
            await #expect { _ = try await fixture.services.transfers.accept(moving.id, consented: false, by: supB) }
                throws: { Self.isConflict($0, containing: "also has case \(world.childCase)") }
            #expect(
                try await fixture.count(
                    "SELECT count(*) FROM cases WHERE id = \(world.adultCase) AND organisation_id = (SELECT id FROM organisations WHERE name = 'ngo-a')"
                ) == 1)
        }
    }
}
