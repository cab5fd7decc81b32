import Foundation
import Logging
import PassageCore
import PassageServices
import Postgres
import TestSupport
import Testing

/// ReferralService over a real PostgreSQL: REFER through the consent gate and the eligibility
/// rules in one transaction with its audit entries, the idempotency retry, the lifecycle by side,
/// and reading in the organisation's scope.
@Suite("Referral service")
struct ReferralServiceTests {
    @Test(
        "REFER makes a pending referral with its referral.create entry; the same key again returns it with referral.repeat"
    )
    func refer() async throws {
        try await ServiceFixture.with(accounts: ReferralWorld.accounts) { fixture in
            let world = try await ReferralWorld.make(on: fixture.pool)
            let amina = try await fixture.actor("amina")
            let made = try await fixture.services.referrals.refer(world.referral(key: "k1"), by: amina)
            #expect(made.created && made.status == .pending && made.priority == "urgent" && made.version == 1)
            #expect(
                try await fixture.audit(.referralCreate) == [
                    .init(
                        actor: "amina", action: "referral.create", subject: "referral:\(made.id)", source: "192.0.2.7",
                        detail:
                            "case \(world.adultCase) need \(world.legalNeed) provider \(world.clinicProvider) urgent")
                ])
            let again = try await fixture.services.referrals.refer(world.referral(key: "k1"), by: amina)
            #expect(again.id == made.id && !again.created)
            #expect(try await fixture.audit(.referralRepeat).map(\.subject) == ["referral:\(made.id)"])
            #expect(try await fixture.count("SELECT count(*) FROM referrals") == 1)
        }
    }

    @Test(
        "REFER through the service is two round trips to PostgreSQL: the opening with the look-up, then the insert with its audit and COMMIT"
    )
    func referRoundTrips() async throws {
        try await ServiceFixture.with(accounts: ReferralWorld.accounts) { fixture in
            let world = try await ReferralWorld.make(on: fixture.pool)
            let amina = try await fixture.actor("amina")
            // One connection, so its round-trip counter sees every statement of the use case.
            var logger = Logger(label: "test.services")
            logger.logLevel = .warning
            let pool = try PostgresPool(conninfo: fixture.conninfo, size: 1, logger: logger)
            let referrals = ApplicationServices.onStore(
                StoreSetup(pool: pool, personalDataKey: ServiceFixture.personalDataKey)
            ).referrals
            do {
                _ = try await referrals.refer(world.referral(key: "first"), by: amina)  // prepares the statements
                try await fixture.pool.transaction { try $0.execute("UPDATE referrals SET status = 'cancelled'") }  // else a duplicate
                let before = try await pool.withConnection { $0.roundTrips }
                let made = try await referrals.refer(world.referral(key: "second"), by: amina)
                let after = try await pool.withConnection { $0.roundTrips }
                #expect(made.created && after - before == 2)
                #expect(try await fixture.audit(.referralCreate).map(\.subject).last == "referral:\(made.id)")
            } catch {
                await pool.shutdown()
                throw error
            }
            await pool.shutdown()
        }
    }

    @Test("the consent gate: no consent needs a supervisor's override with a reason; every refusal writes nothing")
    func consentGate() async throws {
        try await ServiceFixture.with(accounts: ReferralWorld.accounts) { fixture in
            let world = try await ReferralWorld.make(on: fixture.pool)
            let amina = try await fixture.actor("amina")
            let sam = try await fixture.actor("sam")
            let referrals = fixture.services.referrals
            await #expect(throws: ServiceError.consentRequired(ConsentRefusal.consentRequired.description)) {
                _ = try await referrals.refer(world.referral(consented: false), by: sam)
            }
            await #expect(throws: ServiceError.permissionDenied("only a supervisor may refer without consent")) {
                _ = try await referrals.refer(world.referral(consented: false, override: "life at risk"), by: amina)
            }
            await #expect(throws: ServiceError.badArgument(argument: "override", message: "must give the reason")) {
                _ = try await referrals.refer(world.referral(consented: false, override: "  "), by: sam)
            }
            await #expect(
                throws: ServiceError.badArgument(
                    argument: "override", message: ConsentRefusal.overrideWithConsent.description)
            ) {
                _ = try await referrals.refer(world.referral(consented: true, override: "why"), by: sam)
            }
            #expect(try await fixture.count("SELECT count(*) FROM referrals") == 0)
            #expect(try await fixture.count("SELECT count(*) FROM audit_log WHERE action LIKE 'referral.%'") == 0)
            // The supervisor's override: made, audited (the reason stays on the referral), no contact shared.
            let made = try await referrals.refer(world.referral(consented: false, override: " life at risk "), by: sam)
            #expect(
                try await fixture.audit(.referralConsentOverride) == [
                    .init(
                        actor: "sam", action: "referral.consent_override", subject: "referral:\(made.id)",
                        source: "192.0.2.7",
                        detail: "reason recorded on the referral (12 characters)")
                ])
            let shown = try await referrals.show(made.id, by: try await fixture.actor("cleo"))
            #expect(
                !shown.referral.consent && shown.referral.consentOverrideBy == "sam"
                    && shown.referral.consentOverrideReason == "life at risk")
            #expect(shown.referral.contact == nil)
        }
    }

    @Test("the eligibility rules refuse, each as the outcome an interface acts on, and nothing is written")
    func eligibility() async throws {
        try await ServiceFixture.with(accounts: ReferralWorld.accounts) { fixture in
            let world = try await ReferralWorld.make(on: fixture.pool)
            let amina = try await fixture.actor("amina")
            let referrals = fixture.services.referrals
            // A child: the caregiver answer is required.
            let child = NewReferral(
                caseID: world.childCase, needID: world.childNeed, providerID: world.clinicProvider, consented: true)
            await #expect(
                throws: ServiceError.badArgument(
                    argument: "caregiver",
                    message: ReferralRefusal.caregiverAnswerRequired(age: 15).description)
            ) {
                _ = try await referrals.refer(child, by: amina)
            }
            // Another organisation's case does not exist for ngo-b's caseworker.
            await #expect(throws: ServiceError.notFound("case \(world.adultCase) not found")) {
                _ = try await referrals.refer(world.referral(), by: try await fixture.actor("bo"))
            }
            var wrongService = world.referral()
            wrongService.service = .health
            await #expect(
                throws: ServiceError.badArgument(
                    argument: "service",
                    message: ReferralRefusal.serviceNotOffered(
                        "health", provider: "clinic", needCode: "LP-ND", choices: ["legal_assistance"]
                    ).description)
            ) {
                _ = try await referrals.refer(wrongService, by: amina)
            }
            #expect(try await fixture.count("SELECT count(*) FROM referrals") == 0)
            // An open referral of the same need to the same provider is not made twice.
            let first = try await referrals.refer(world.referral(), by: amina)
            await #expect(
                throws: ServiceError.conflict(
                    ReferralRefusal.alreadyReferred(
                        need: world.legalNeed, provider: "clinic",
                        referral: first.id
                    ).description)
            ) {
                _ = try await referrals.refer(world.referral(), by: amina)
            }
            // Without a priority the child's referral takes its need's.
            var answered = child
            answered.caregiverInformed = true
            #expect(try await referrals.refer(answered, by: amina).priority == "emergency")
        }
    }

    @Test("10 concurrent REFERs with one key: one referral, every caller gets it (the service runs a lost race again)")
    func idempotencyRace() async throws {
        try await ServiceFixture.with(accounts: ReferralWorld.accounts) { fixture in
            let world = try await ReferralWorld.make(on: fixture.pool)
            let amina = try await fixture.actor("amina")
            let referrals = fixture.services.referrals
            let made = try await withThrowingTaskGroup(of: ReferralMade.self) { group in
                for _ in 0..<10 {
                    group.addTask { try await referrals.refer(world.referral(key: "race"), by: amina) }
                }
                return try await group.reduce(into: [ReferralMade]()) { $0.append($1) }
            }
            #expect(Set(made.map(\.id)).count == 1 && made.filter(\.created).count == 1)
            #expect(try await fixture.count("SELECT count(*) FROM referrals") == 1)
            #expect(try await fixture.audit(.referralCreate).count == 1)
        }
    }

    @Test(
        "moves by side: the provider accepts (audited with from → to), the referring side may not; a bad request names its argument"
    )
    func move() async throws {
        try await ServiceFixture.with(accounts: ReferralWorld.accounts) { fixture in
            let world = try await ReferralWorld.make(on: fixture.pool)
            let referrals = fixture.services.referrals
            let made = try await referrals.refer(world.referral(), by: try await fixture.actor("amina"))
            await #expect {
                _ = try await referrals.move(
                    ReferralChange(referral: made.id, status: .accepted), by: try await fixture.actor("amina"))
            } throws: { error in
                if case ServiceError.permissionDenied = error { true } else { false }
            }
            await #expect(throws: ServiceError.badArgument(argument: "reason", message: "declined needs a reason code"))
            {
                _ = try await referrals.move(
                    ReferralChange(referral: made.id, status: .declined), by: try await fixture.actor("cleo"))
            }
            let cleo = try await fixture.actor("cleo", source: "192.0.2.8")
            let moved = try await referrals.move(
                ReferralChange(referral: made.id, status: .accepted, expectedVersion: 1, note: "seen"), by: cleo)
            #expect(moved.state == .accepted && moved.from == .pending && moved.version == 2)
            #expect(
                try await fixture.audit(.referralAccepted) == [
                    .init(
                        actor: "cleo", action: "referral.accepted", subject: "referral:\(made.id)", source: "192.0.2.8",
                        detail: "pending → accepted")
                ])
            await #expect(
                throws: ServiceError.staleVersion(
                    "stale version 1: the current version is 2; read it again and reapply your change")
            ) {
                _ = try await referrals.move(
                    ReferralChange(referral: made.id, status: .completed, outcome: "successful", expectedVersion: 1),
                    by: cleo)
            }
            #expect(try await fixture.audit(.referralCompleted).isEmpty)
        }
    }

    @Test(
        "list and show in the organisation's scope, each audited; the provider's side never sees the case; a list is a bulk read"
    )
    func reading() async throws {
        let clock = ManualClock()
        try await ServiceFixture.with(
            bulkReads: BulkReadLimit(rowsPerMinute: 3, now: { clock.now }), accounts: ReferralWorld.accounts
        ) { fixture in
            let world = try await ReferralWorld.make(on: fixture.pool)
            let referrals = fixture.services.referrals
            let amina = try await fixture.actor("amina")
            let made = try await referrals.refer(world.referral(), by: amina)
            #expect(try await referrals.list(ReferralFilter(), by: amina).map(\.caseID) == [world.adultCase])
            #expect(
                try await fixture.audit(.referralList) == [
                    .init(
                        actor: "amina", action: "referral.list", subject: "organisation:ngo-a", source: "192.0.2.7",
                        detail: "1 referrals")
                ])
            let cleo = try await fixture.actor("cleo")
            let shown = try await referrals.show(made.id, by: cleo)
            #expect(shown.referral.caseID == nil && shown.referral.sides == [.receiving])
            #expect(shown.referral.contact == ReferralContact(names: ["Ana"], phone: "+57 300"))
            #expect(shown.events.map(\.record) == [ReferralEventRecord(from: nil, to: .pending)])
            #expect(try await fixture.audit(.referralRead).map(\.detail) == ["contact details shown"])
            // ngo-b takes no part: it sees nothing.
            let bo = try await fixture.actor("bo")
            #expect(try await referrals.list(ReferralFilter(), by: bo).isEmpty)
            await #expect(throws: ServiceError.notFound("referral \(made.id) not found")) {
                _ = try await referrals.show(made.id, by: bo)
            }
            // amina spent 2 of her 3 tokens: the next list empties the bucket, the one after waits.
            _ = try await referrals.list(ReferralFilter(), by: amina)
            await #expect { _ = try await referrals.list(ReferralFilter(), by: amina) } throws: { error in
                if case ServiceError.busy = error { true } else { false }
            }
            clock.advance(by: .seconds(60))
            #expect(try await referrals.list(ReferralFilter(), by: amina).count == 1)
        }
    }
}
