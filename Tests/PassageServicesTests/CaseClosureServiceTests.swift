import Foundation
import PassageCore
import PassageServices
import Postgres
import TestSupport
import Testing

/// Closing and reopening a case (Docs/case-life.md) over a real PostgreSQL.
@Suite("Case closure")
struct CaseClosureServiceTests {
    static func isConflict(_ error: any Error, containing text: String) -> Bool {
        if case ServiceError.conflict(let message) = error { message.contains(text) } else { false }
    }

    static func isDenied(_ error: any Error) -> Bool {
        if case ServiceError.permissionDenied = error { true } else { false }
    }

    @Test(
        "closure is refused while a referral is open, then while a need is open without carry-forward; closed with a reason it is read-only; a supervisor's reopening restores it; both in the history and the audit"
    )
    func closeAndReopen() async throws {
        try await ServiceFixture.with(accounts: ReferralWorld.accounts) { fixture in
            let world = try await ReferralWorld.make(on: fixture.pool)
            let amina = try await fixture.actor("amina")
            let sam = try await fixture.actor("sam")
            let cases = fixture.services.cases
            let made = try await fixture.services.referrals.refer(world.referral(), by: amina)

            await #expect {
                _ = try await cases.close(world.adultCase, reason: .durableSolution, carryForward: true, by: amina)
            } throws: { Self.isConflict($0, containing: "open referrals \(made.id)") }

            _ = try await fixture.services.referrals.move(
                ReferralChange(referral: made.id, status: .cancelled, reason: "other"), by: amina)
            await #expect {
                _ = try await cases.close(world.adultCase, reason: .durableSolution, carryForward: false, by: amina)
            } throws: { Self.isConflict($0, containing: "open needs \(world.legalNeed)") }
            #expect(try await fixture.count("SELECT count(*) FROM case_closures") == 0)
            #expect(try await fixture.audit(.caseClose).isEmpty)

            let closed = try await cases.close(world.adultCase, reason: .moved, carryForward: true, by: amina)
            #expect(closed.event == .closed && closed.reason == .moved && closed.carriedForward == [world.legalNeed])
            #expect(
                try await fixture.audit(.caseClose) == [
                    .init(
                        actor: "amina", action: "case.close", subject: "case:\(world.adultCase)", source: "192.0.2.7",
                        detail: "moved carried forward needs \(world.legalNeed)")
                ])
            // The carried-forward need stays open on the closed case.
            #expect(
                try await fixture.count("SELECT count(*) FROM needs WHERE id = \(world.legalNeed) AND status = 'open'")
                    == 1)

            // Read-only: facts, person, needs, referrals, overrides.
            let version = try await cases.file(of: world.adultCase, by: amina).record.version
            await #expect { _ = try await cases.change(world.adultCase, expectedVersion: version, facts: .pairs([EnteredFact(key: "age", value: "35")]), by: amina) }
                throws: { Self.isConflict($0, containing: "is closed") }
            await #expect { _ = try await cases.override(world.adultCase, category: .refugeeAsylum, reason: "seen", by: sam) }
                throws: { Self.isConflict($0, containing: "is closed") }
            await #expect { _ = try await fixture.services.needs.add(NewNeed(caseID: world.adultCase, code: "SM"), by: amina) }
                throws: { Self.isConflict($0, containing: "is closed") }
            await #expect { _ = try await fixture.services.needs.setStatus(of: world.legalNeed, to: .met, expectedVersion: nil, by: amina) }
                throws: { Self.isConflict($0, containing: "is closed") }
            await #expect { _ = try await fixture.services.referrals.refer(world.referral(key: "again"), by: amina) }
                throws: { Self.isConflict($0, containing: "is closed") }
            await #expect { try await fixture.services.people.record(PersonDetailsChange(phone: "+57 301"), forCase: world.adultCase, by: amina) }
                throws: { Self.isConflict($0, containing: "is closed") }
            await #expect {
                _ = try await cases.close(world.adultCase, reason: .moved, carryForward: true, by: amina)
            } throws: { Self.isConflict($0, containing: "already closed") }

            // Reopening is a supervisor's.
            await #expect { _ = try await cases.reopen(world.adultCase, by: amina) } throws: { Self.isDenied($0) }
            let reopened = try await cases.reopen(world.adultCase, by: sam)
            #expect(reopened.event == .reopened && reopened.decidedBy == "sam")
            #expect(
                try await fixture.audit(.caseReopen).map(\.subject) == ["case:\(world.adultCase)"])
            await #expect { _ = try await cases.reopen(world.adultCase, by: sam) } throws: {
                Self.isConflict($0, containing: "is not closed")
            }
            let changed = try await cases.change(
                world.adultCase, expectedVersion: version, facts: .pairs([EnteredFact(key: "age", value: "35")]),
                by: amina)
            #expect(changed.version == version + 1)
            _ = try await fixture.services.needs.setStatus(of: world.legalNeed, to: .met, expectedVersion: nil, by: amina)

            let file = try await cases.file(of: world.adultCase, by: amina)
            #expect(file.closures.map(\.event) == [.closed, .reopened])
            #expect(file.closures.map(\.decidedBy) == ["amina", "sam"])

            // Another organisation neither closes nor reopens it.
            let bo = try await fixture.actor("bo")
            await #expect { _ = try await cases.close(world.adultCase, reason: .moved, carryForward: true, by: bo) }
                throws: { if case ServiceError.notFound = $0 { true } else { false } }
        }
    }

    @Test("where the organisation requires it, only a supervisor closes; the administrator never does")
    func supervisorRequired() async throws {
        try await ServiceFixture.with(accounts: ReferralWorld.accounts) { fixture in
            let world = try await ReferralWorld.make(on: fixture.pool)
            let cases = fixture.services.cases
            await #expect {
                _ = try await cases.close(world.childCase, reason: .moved, carryForward: true, by: try await fixture.actor("adm"))
            } throws: { Self.isDenied($0) }
            try await fixture.pool.transaction {
                try $0.execute("UPDATE organisations SET closure_needs_supervisor = true WHERE name = 'ngo-a'")
            }
            await #expect {
                _ = try await cases.close(world.childCase, reason: .moved, carryForward: true, by: try await fixture.actor("amina"))
            } throws: { Self.isDenied($0) }
            #expect(try await fixture.count("SELECT count(*) FROM cases WHERE closed_at IS NOT NULL") == 0)
            let closed = try await cases.close(
                world.childCase, reason: .noLongerInNeed, carryForward: true, by: try await fixture.actor("sam"))
            #expect(closed.decidedRole == "supervisor" && closed.carriedForward == [world.childNeed])
        }
    }
}
