import Foundation
import PassageCore
import Postgres
import TestSupport
import Testing

@testable import PassageStore

@Suite("Referral store: referring, the lifecycle in SQL, idempotency, concurrency, scoping")
struct ReferralStoreTests {
    @Test("a referral is pending, due by its priority's response time from the table, with a creation event")
    func referMakesPendingReferral() async throws {
        let fixture = try await ReferralFixture.make()
        let db = try fixture.connect()
        defer { db.close() }
        let made = try #require(
            try fixture.scoped(fixture.ngoA, on: db) {
                try fixture.referrals.refer(
                    fixture.order(), organisation: fixture.ngoA, actor: "amina", source: "test", on: $0)
            })
        #expect(made.created && made.status == .pending && made.version == 1)
        let row = try db.query(
            """
            SELECT due_at = created_at + (SELECT response_time FROM referral_priorities WHERE priority = 'urgent'),
                   service, receiving_organisation_id, consent, caregiver_informed IS NULL
              FROM referrals WHERE id = \(made.id)
            """)[0]
        #expect(try row.decode(Bool.self, at: 0))
        #expect(try row.decode(String.self, at: 1) == "legal_assistance")
        #expect(try row.decode(Int64.self, at: 2) == fixture.clinic)
        #expect(try row.decode(Bool.self, at: 3) && row.decode(Bool.self, at: 4))
        let events = try fixture.referrals.events(referral: made.id, on: db)
        #expect(events.map(\.record) == [ReferralEventRecord(from: nil, to: .pending)])
    }

    @Test(
        "REFER's transaction takes two round trips: opening with the look-up, then the insert with its audit and COMMIT"
    )
    func referRoundTrips() async throws {
        let fixture = try await ReferralFixture.make()
        let db = try fixture.connect()
        defer { db.close() }
        func refer(key: String) throws -> ReferralMade? {
            try fixture.scoped(fixture.ngoA, on: db) {
                try fixture.referrals.refer(
                    fixture.order(key: key), organisation: fixture.ngoA, actor: "amina", source: "test", on: $0)
            }
        }
        #expect(try refer(key: "first")?.created == true)  // prepares the statements
        try db.execute("UPDATE referrals SET status = 'cancelled'")  // else the next is a duplicate
        let before = db.roundTrips
        let second = try #require(try refer(key: "second"))
        #expect(db.roundTrips - before == 2)
        // committed, with its event and audit entry, by the insert's round trip
        #expect(
            try db.query("SELECT count(*) FROM referral_events WHERE referral_id = \(second.id)")[0].decode(
                Int.self, at: 0) == 1)
        #expect(
            try db.query("SELECT action FROM audit_log WHERE subject = \("referral:\(second.id)")")
                .map { try $0.decode(String.self, at: 0) } == ["referral.create"])
        // the same key again: the earlier referral, and a repeat entry
        let again = try #require(try refer(key: "second"))
        #expect(again.id == second.id && !again.created)
        #expect(
            try db.query("SELECT action FROM audit_log WHERE subject = \("referral:\(second.id)") ORDER BY id")
                .map { try $0.decode(String.self, at: 0) } == ["referral.create", "referral.repeat"])
        guard case .intact = try AuditLog.verify(on: db) else {
            Issue.record("the audit chain should verify")
            return
        }
    }

    @Test("without a priority the referral is as urgent as its need")
    func priorityFromNeed() async throws {
        let fixture = try await ReferralFixture.make()
        let db = try fixture.connect()
        defer { db.close() }
        let order = ReferralOrder(
            caseID: fixture.childCase, needID: fixture.childNeed, providerID: fixture.clinicProvider,
            consent: .given, caregiverInformed: true)
        let made = try #require(
            try fixture.scoped(fixture.ngoA, on: db) {
                try fixture.referrals.refer(order, organisation: fixture.ngoA, actor: "amina", source: "test", on: $0)
            })
        #expect(made.priority == "emergency")
        let hours = try db.query(
            "SELECT extract(epoch FROM due_at - created_at)::float8 / 3600 FROM referrals WHERE id = \(made.id)")[0]
        #expect(try hours.decode(Double.self, at: 0) == 24)
    }

    @Test("a changed response time in referral_priorities changes the next due time")
    func responseTimesAreData() async throws {
        let fixture = try await ReferralFixture.make()
        let db = try fixture.connect()
        defer { db.close() }
        try db.execute("UPDATE referral_priorities SET response_time = interval '5 hours' WHERE priority = 'urgent'")
        let made = try #require(
            try fixture.scoped(fixture.ngoA, on: db) {
                try fixture.referrals.refer(
                    fixture.order(), organisation: fixture.ngoA, actor: "amina", source: "test", on: $0)
            })
        let hours = try db.query(
            "SELECT extract(epoch FROM due_at - created_at)::float8 / 3600 FROM referrals WHERE id = \(made.id)")[0]
        #expect(try hours.decode(Double.self, at: 0) == 5)
    }

    @Test(
        "refusals: no service for the need, inactive provider, child without caregiver answer, foreign case, closed need"
    )
    func refusals() async throws {
        let fixture = try await ReferralFixture.make()
        let db = try fixture.connect()
        defer { db.close() }
        func refer(_ order: ReferralOrder, as organisation: Int64? = nil) throws -> ReferralMade {
            try #require(
                try fixture.scoped(organisation ?? fixture.ngoA, on: db) {
                    try fixture.referrals.refer(
                        order, organisation: organisation ?? fixture.ngoA, actor: "amina", source: "test", on: $0)
                })
        }
        // SC (separated child) is served by neither of the clinic's services (legal assistance, health).
        let separated = try fixture.needs.add(
            caseID: fixture.adultCase, code: "SC", priority: "normal", note: nil,
            organisation: fixture.ngoA, identifiedBy: "amina", on: db)
        var order = fixture.order()
        order.needID = separated.id
        #expect { try refer(order) } throws: {
            ($0 as? StoreError).map { "\($0)".contains("offers no service for need SC") } ?? false
        }
        order = fixture.order()
        order.service = "health"
        #expect { try refer(order) } throws: {
            ($0 as? StoreError).map { "\($0)".hasPrefix("service: service health") } ?? false
        }
        // A child: the caregiver answer is required.
        var child = ReferralOrder(
            caseID: fixture.childCase, needID: fixture.childNeed, providerID: fixture.clinicProvider,
            priority: "emergency", consent: .given)
        #expect { try refer(child) } throws: {
            ($0 as? StoreError).map { "\($0)".hasPrefix("caregiver: caregiver=yes or caregiver=no is required") }
                ?? false
        }
        child.caregiverInformed = false
        let childReferral = try refer(child)
        #expect(
            try db.query("SELECT caregiver_informed FROM referrals WHERE id = \(childReferral.id)")[0].decode(
                Bool?.self, at: 0) == false)
        // The need must be a need of this case; a case of another organisation does not exist.
        order = fixture.order()
        order.needID = fixture.childNeed
        #expect(throws: StoreError.notFound("need \(fixture.childNeed) of case \(fixture.adultCase)")) {
            try refer(order)
        }
        #expect(throws: StoreError.notFound("case \(fixture.adultCase)")) {
            try refer(fixture.order(), as: fixture.ngoB)
        }
        // An inactive provider takes no referrals.
        try db.execute("UPDATE providers SET status = 'inactive' WHERE id = \(fixture.clinicProvider)")
        #expect { try refer(fixture.order()) } throws: {
            ($0 as? StoreError).map { "\($0)".contains("is inactive") } ?? false
        }
        try db.execute("UPDATE providers SET status = 'active' WHERE id = \(fixture.clinicProvider)")
        // A met need is not referred.
        _ = try fixture.needs.setStatus(
            id: fixture.legalNeed, to: .met, expectedVersion: 1, organisation: fixture.ngoA, on: db)
        #expect { try refer(fixture.order()) } throws: {
            ($0 as? StoreError).map { "\($0)".contains("is met") } ?? false
        }
        #expect(try db.query("SELECT count(*) FROM referrals")[0].decode(Int.self, at: 0) == 1)
    }

    @Test(
        "the whole lifecycle through the store; every event replays to the stored state; illegal moves change nothing")
    func lifecycleAndReplay() async throws {
        let fixture = try await ReferralFixture.make()
        let db = try fixture.connect()
        defer { db.close() }
        let made = try #require(
            try fixture.scoped(fixture.ngoA, on: db) {
                try fixture.referrals.refer(
                    fixture.order(), organisation: fixture.ngoA, actor: "amina", source: "test", on: $0)
            })
        func move(_ event: ReferralEvent, by organisation: Int64, version: Int? = nil) throws -> ReferralMoved {
            try fixture.scoped(organisation, on: db) {
                try fixture.referrals.move(
                    id: made.id, by: event, expectedVersion: version, note: "n", organisation: organisation,
                    actor: "x", on: $0)
            }
        }
        func snapshot() throws -> [String] {
            try db.query(
                """
                SELECT r.status || '/' || coalesce(r.outcome, '-') || '/' || coalesce(r.reason, '-') || '/' || r.version
                       || '/' || (SELECT count(*) FROM referral_events e WHERE e.referral_id = r.id)
                  FROM referrals r WHERE id = \(made.id)
                """
            ).map { try $0.decode(String.self, at: 0) }
        }
        func replayMatchesStored() throws {
            let events = try fixture.referrals.events(referral: made.id, on: db)
            let (view, _) = try fixture.scoped(fixture.ngoA, on: db) {
                try fixture.referrals.show(id: made.id, organisation: fixture.ngoA, on: $0)
            }
            #expect(try ReferralReplay.state(after: events.map(\.record)) == view.state)
        }
        // The referring side may not accept; the receiving side may not cancel.
        #expect(throws: ReferralTransitionError.wrongSide(.accepted, needs: .receiving)) {
            try move(.accept, by: fixture.ngoA)
        }
        // Another organisation does not see it at all.
        #expect(throws: StoreError.notFound("referral \(made.id)")) { try move(.accept, by: fixture.ngoB) }
        // A reason must come from the reason list of its kind.
        #expect { try move(.decline(reason: "busy"), by: fixture.clinic) } throws: {
            "\($0)".contains("is not a declined reason")
        }
        #expect(try move(.accept, by: fixture.clinic, version: 1).version == 2)
        try replayMatchesStored()
        // Illegal from accepted: accept again, decline. Nothing changes.
        let before = try snapshot()
        #expect(throws: ReferralTransitionError.illegal(from: .accepted, to: .accepted)) {
            try move(.accept, by: fixture.clinic)
        }
        #expect(throws: ReferralTransitionError.illegal(from: .accepted, to: .declined)) {
            try move(.decline(reason: "no_capacity"), by: fixture.clinic)
        }
        #expect(throws: StoreError.staleVersion(current: 2, given: 1)) {
            try move(.complete(.successful), by: fixture.clinic, version: 1)
        }
        #expect(try snapshot() == before)
        let done = try move(
            .complete(.unsuccessful(reason: "unable_to_contact_client")), by: fixture.clinic, version: 2)
        #expect(done.state == .completed(.unsuccessful(reason: "unable_to_contact_client")) && done.version == 3)
        try replayMatchesStored()
        // Final: even the referring side cannot cancel now.
        #expect(throws: ReferralTransitionError.illegal(from: .completed, to: .cancelled)) {
            try move(.cancel(reason: "other"), by: fixture.ngoA)
        }
        #expect(try snapshot() == ["completed/unsuccessful/unable_to_contact_client/3/3"])
    }

    @Test("20 concurrent requests with one idempotency key make one referral, and all get it")
    func idempotencyUnderConcurrency() async throws {
        let fixture = try await ReferralFixture.make()
        let ids = try await withThrowingTaskGroup(of: ReferralMade.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    try await offThePool {
                        let db = try fixture.connect()
                        defer { db.close() }
                        // A request that lost the race to a concurrent one with the same key
                        // committed nothing (nil); run again, as ReferralService.refer does, it
                        // returns the winner's referral.
                        for _ in 0..<3 {
                            if let made = try fixture.scoped(
                                fixture.ngoA, on: db,
                                {
                                    try fixture.referrals.refer(
                                        fixture.order(key: "retry-1"), organisation: fixture.ngoA, actor: "amina",
                                        source: "test", on: $0)
                                })
                            {
                                return made
                            }
                        }
                        throw StoreError.conflict("idempotency key retry-1 is in use; retry")
                    }
                }
            }
            return try await group.reduce(into: [ReferralMade]()) { $0.append($1) }
        }
        #expect(Set(ids.map(\.id)).count == 1)
        #expect(ids.filter(\.created).count == 1)
        let db = try fixture.connect()
        defer { db.close() }
        #expect(try db.query("SELECT count(*) FROM referrals")[0].decode(Int.self, at: 0) == 1)
        #expect(try db.query("SELECT count(*) FROM referral_events")[0].decode(Int.self, at: 0) == 1)
        // A retry that differs only in priority still gets the first; the key reused for another need is refused.
        var other = fixture.order(key: "retry-1")
        other.priority = "normal"
        #expect(
            try fixture.scoped(fixture.ngoA, on: db) {
                try fixture.referrals.refer(other, organisation: fixture.ngoA, actor: "amina", source: "test", on: $0)
            }?.id == ids[0].id)
        let child = ReferralOrder(
            caseID: fixture.childCase, needID: fixture.childNeed, providerID: fixture.clinicProvider,
            priority: "urgent", consent: .given, caregiverInformed: true, idempotencyKey: "retry-1")
        #expect {
            try fixture.scoped(fixture.ngoA, on: db) {
                try fixture.referrals.refer(child, organisation: fixture.ngoA, actor: "amina", source: "test", on: $0)
            }
        } throws: { "\($0)".contains("already used for referral") }
    }

    @Test("two concurrent moves from the same version: exactly one wins, the other is stale")
    func concurrentSameVersion() async throws {
        let fixture = try await ReferralFixture.make()
        let setup = try fixture.connect()
        defer { setup.close() }
        let made = try #require(
            try fixture.scoped(fixture.ngoA, on: setup) {
                try fixture.referrals.refer(
                    fixture.order(), organisation: fixture.ngoA, actor: "amina", source: "test", on: $0)
            })
        let events: [(ReferralEvent, Int64)] = [
            (.accept, fixture.clinic), (.cancel(reason: "referred_elsewhere"), fixture.ngoA),
        ]
        let outcomes = try await withThrowingTaskGroup(of: Result<ReferralMoved, StoreError>.self) { group in
            for (event, organisation) in events {
                group.addTask {
                    try await offThePool {
                        let db = try fixture.connect()
                        defer { db.close() }
                        do {
                            return .success(
                                try fixture.scoped(organisation, on: db) {
                                    try fixture.referrals.move(
                                        id: made.id, by: event, expectedVersion: 1, note: nil,
                                        organisation: organisation, actor: "x", on: $0)
                                })
                        } catch let error as StoreError {
                            return .failure(error)
                        }
                    }
                }
            }
            return try await group.reduce(into: [Result<ReferralMoved, StoreError>]()) { $0.append($1) }
        }
        let wins = outcomes.compactMap { try? $0.get() }
        #expect(wins.count == 1 && wins.first?.version == 2)
        #expect(outcomes.contains { $0 == .failure(.staleVersion(current: 2, given: 1)) })
    }

    @Test(
        "row-level security: in an organisation's scope, unfiltered queries see only its rows; the view shows the other side"
    )
    func rowLevelSecurity() async throws {
        let fixture = try await ReferralFixture.make()
        let db = try fixture.connect()
        defer { db.close() }
        // Recorded before the consent: the referral shares them (as they are now).
        try PersonStore(key: ReferralFixture.key).record(
            PersonalIdentifiers(names: ["Ana"], phone: "+57 300"), caseID: fixture.adultCase,
            organisation: fixture.ngoA, on: db)
        let made = try #require(
            try fixture.scoped(fixture.ngoA, on: db) {
                try fixture.referrals.refer(
                    fixture.order(), organisation: fixture.ngoA, actor: "amina", source: "test", on: $0)
            })
        func counts(_ organisation: Int64) throws -> [Int] {
            try fixture.scoped(organisation, on: db) { connection in
                try ["cases", "needs", "referrals", "referral_events", "referral_views"].map { table in
                    try connection.query("SELECT count(*) FROM \(identifier: table)")[0].decode(Int.self, at: 0)
                }
            }
        }
        #expect(try counts(fixture.ngoA) == [2, 2, 1, 1, 1])
        #expect(try counts(fixture.ngoB) == [1, 0, 0, 0, 0])
        // The provider sees the referral (and its view) but no case and no need rows.
        #expect(try counts(fixture.clinic) == [0, 0, 1, 1, 1])
        // Writing another organisation's rows is refused by the policy itself.
        #expect(throws: PostgresError.self) {
            try fixture.scoped(fixture.ngoB, on: db) {
                try $0.execute(
                    "INSERT INTO needs (case_id, organisation_id, code, priority, identified_by) VALUES (\(fixture.adultCase), \(fixture.ngoA), 'SM', 'normal', 'x')"
                )
            }
        }
        #expect(try fixture.scoped(fixture.ngoB, on: db) { try $0.execute("UPDATE cases SET caseworker = 'x'") } == 1)
        // The receiving side's view: need code, age band, sex; no case id, contact only with consent.
        let (view, events) = try fixture.scoped(fixture.clinic, on: db) {
            try fixture.referrals.show(id: made.id, organisation: fixture.clinic, on: $0)
        }
        #expect(view.caseID == nil && view.sides == [.receiving])
        #expect(view.needCode == "LP-ND" && view.ageBand == "18-59" && view.sex == "female")
        #expect(view.contact?.phone == "+57 300")
        #expect(events.count == 1)
        // A phone recorded after the consent is not the provider's to see.
        try PersonStore(key: ReferralFixture.key).record(
            PersonalIdentifiers(names: ["Ana"], phone: "+57 999"), caseID: fixture.adultCase,
            organisation: fixture.ngoA, on: db)
        let (later, _) = try fixture.scoped(fixture.clinic, on: db) {
            try fixture.referrals.show(id: made.id, organisation: fixture.clinic, on: $0)
        }
        #expect(later.contact?.phone == "+57 300")
        let (own, _) = try fixture.scoped(fixture.ngoA, on: db) {
            try fixture.referrals.show(id: made.id, organisation: fixture.ngoA, on: $0)
        }
        #expect(own.caseID == fixture.adultCase && own.sides == [.referring])
        #expect(throws: StoreError.notFound("referral \(made.id)")) {
            try fixture.scoped(fixture.ngoB, on: db) {
                try fixture.referrals.show(id: made.id, organisation: fixture.ngoB, on: $0)
            }
        }
    }

    @Test("without consent only a supervisor's override makes a referral, and then no contact is shown")
    func consentOverrideWithholdsContact() async throws {
        let fixture = try await ReferralFixture.make()
        let db = try fixture.connect()
        defer { db.close() }
        try PersonStore(key: ReferralFixture.key).record(
            PersonalIdentifiers(names: ["Ana"], phone: "+57 300"), caseID: fixture.adultCase,
            organisation: fixture.ngoA, on: db)
        let made = try #require(
            try fixture.scoped(fixture.ngoA, on: db) {
                try fixture.referrals.refer(
                    fixture.order(consent: .overridden(supervisor: "sup", reason: "life at risk")),
                    organisation: fixture.ngoA, actor: "sup", source: "test", on: $0)
            })
        let (view, _) = try fixture.scoped(fixture.clinic, on: db) {
            try fixture.referrals.show(id: made.id, organisation: fixture.clinic, on: $0)
        }
        #expect(!view.consent && view.consentOverrideBy == "sup" && view.consentOverrideReason == "life at risk")
        #expect(view.contact == nil)
        // The table itself refuses a referral with neither consent nor override.
        #expect(throws: PostgresError.self) {
            try db.execute("UPDATE referrals SET consent_override_by = NULL WHERE id = \(made.id)")
        }
    }

    @Test("listing: by case, status and overdue (open after its due time)")
    func listing() async throws {
        let fixture = try await ReferralFixture.make()
        let db = try fixture.connect()
        defer { db.close() }
        let first = try #require(
            try fixture.scoped(fixture.ngoA, on: db) {
                try fixture.referrals.refer(
                    fixture.order(), organisation: fixture.ngoA, actor: "amina", source: "test", on: $0)
            })
        var child = ReferralOrder(
            caseID: fixture.childCase, needID: fixture.childNeed, providerID: fixture.clinicProvider,
            priority: "emergency", consent: .given, caregiverInformed: true)
        child.note = "urgent"
        let second = try #require(
            try fixture.scoped(fixture.ngoA, on: db) {
                try fixture.referrals.refer(child, organisation: fixture.ngoA, actor: "amina", source: "test", on: $0)
            })
        try db.execute("UPDATE referrals SET due_at = now() - interval '1 hour' WHERE id = \(second.id)")
        func list(_ filter: ReferralStore.Filter, as organisation: Int64? = nil) throws -> [Int64] {
            try fixture.scoped(organisation ?? fixture.ngoA, on: db) {
                try fixture.referrals.list(filter, organisation: organisation ?? fixture.ngoA, on: $0).map(\.id)
            }
        }
        #expect(try list(.init()) == [first.id, second.id])
        #expect(try list(.init(caseID: fixture.childCase)) == [second.id])
        #expect(try list(.init(overdueOnly: true)) == [second.id])
        #expect(try list(.init(status: .accepted)) == [])
        #expect(try list(.init(), as: fixture.clinic) == [first.id, second.id])
        // The receiving side cannot find referrals by the other organisation's case id.
        #expect(try list(.init(caseID: fixture.childCase), as: fixture.clinic) == [])
        #expect(try list(.init(), as: fixture.ngoB) == [])
    }
}
