import Foundation
import HTTPTypes
import HummingbirdTesting
import PassageCore
import PassageServices
import PassageStore
import Postgres
import Testing

/// Two organisations with cases (ngo-a, ngo-b), a clinic that provides legal assistance and
/// health in Antioquia, and accounts on each side: what the referral operations' tests start
/// from (the HTTP form of Tests/PassageServicesTests/ReferralWorld.swift).
struct ReferralHTTPWorld {
    let adultCase: Int64
    let childCase: Int64
    let legalNeed: Int64
    let childNeed: Int64
    let otherNeed: Int64
    let clinic: Int64

    static let accounts: [(name: String, role: Role, organisation: String)] = [
        ("amina", .caseworker, "ngo-a"), ("sam", .supervisor, "ngo-a"), ("ana", .analyst, "ngo-a"),
        ("pol", .policy, "ngo-a"), ("adm", .admin, "ngo-a"), ("bo", .caseworker, "ngo-b"),
        ("cleo", .caseworker, "clinic"),
    ]

    static func make(_ fixture: HTTPFixture) async throws -> ReferralHTTPWorld {
        try await fixture.pool.transaction { db in
            let cases = CaseStore()
            let ngoA = try OrganisationStore.id(named: "ngo-a", create: true, on: db)
            let ngoB = try OrganisationStore.id(named: "ngo-b", create: true, on: db)
            func newCase(_ json: String, _ organisation: Int64) throws -> Int64 {
                try cases.create(
                    try CaseFacts.decode(jsonLine: json), organisation: organisation, caseworker: "amina", on: db
                ).id
            }
            let (provider, _) = try ProviderStore().add(
                name: "clinic", services: ["legal_assistance", "health"], areas: ["CO-ANT"], capacity: 10, on: db)
            let adult = try newCase(
                #"{"ref":"adult","age":34,"sex":"female","nationality":"VE","current_country":"CO"}"#, ngoA)
            let child = try newCase(
                #"{"ref":"child","age":15,"sex":"male","nationality":"VE","current_country":"CO"}"#, ngoA)
            let other = try newCase(#"{"ref":"other","age":40,"nationality":"VE","current_country":"CO"}"#, ngoB)
            let needs = NeedStore()
            let legal = try needs.add(
                caseID: adult, code: "LP-ND", priority: "urgent", note: nil, organisation: ngoA, identifiedBy: "amina",
                on: db)
            let childNeed = try needs.add(
                caseID: child, code: "SM", priority: "emergency", note: nil, organisation: ngoA, identifiedBy: "amina",
                on: db)
            let otherNeed = try needs.add(
                caseID: other, code: "LP-ND", priority: "normal", note: nil, organisation: ngoB, identifiedBy: "bo",
                on: db)
            try PersonStore(key: HTTPFixture.personalDataKey).record(
                PersonalIdentifiers(names: ["Ana"], phone: "+57 300"), caseID: adult, organisation: ngoA, on: db)
            return ReferralHTTPWorld(
                adultCase: adult, childCase: child, legalNeed: legal.id, childNeed: childNeed.id,
                otherNeed: otherNeed.id, clinic: provider.id)
        }
    }

    /// The adult's legal need to the clinic, urgent, with consent: a minimal valid body.
    var order: [String: Any] {
        ["case": adultCase, "need": legalNeed, "provider": clinic, "consent": true, "priority": "urgent"]
    }

    /// The audit entries of `action` as (actor, subject, detail), oldest first.
    static func audit(_ fixture: HTTPFixture, _ action: AuditAction) async throws -> [[String]] {
        try await fixture.pool.withConnection { connection in
            try connection.query(
                "SELECT actor, subject, detail FROM audit_log WHERE action = \(action.rawValue) ORDER BY id"
            ).map { row in
                [
                    try row.decode(String.self, at: 0), try row.decode(String.self, at: 1),
                    try row.decode(String.self, at: 2),
                ]
            }
        }
    }

    static func count(_ fixture: HTTPFixture, _ sql: PostgresQuery) async throws -> Int {
        try await fixture.pool.withConnection { try $0.query(sql)[0].decode(Int.self, at: 0) }
    }
}

@Suite struct ReferralOperationsTests {
    static let keyField = HTTPField.Name("Idempotency-Key")!

    @Test func referringAnswers201WithLocationETagAndTheReferral() async throws {
        try await HTTPFixture.with(accounts: ReferralHTTPWorld.accounts) { fixture, client in
            let world = try await ReferralHTTPWorld.make(fixture)
            let amina = try await client.signIn("amina")
            var order = world.order
            order["note"] = "needs a lawyer"
            let made = try await client.call(.post, "/v1/referrals", as: amina, json: order)
            #expect(made.status == .created)
            #expect(SchemaConformance.problems(made, operationID: "createReferral") == [])
            let id = try #require(made.json?["referral"] as? Int)
            #expect(made.headers[.location] == "/v1/referrals/\(id)")
            #expect(made.headers[.eTag] == "\"v1\"")
            #expect(made.json?["status"] as? String == "pending")
            #expect(made.json?["priority"] as? String == "urgent")
            #expect((made.json?["due_at"] as? String).flatMap { ISO8601DateFormatter().date(from: $0) } != nil)
            // REFER's audit entry, by the caller, as the console writes it.
            let created = try await ReferralHTTPWorld.audit(fixture, .referralCreate)
            #expect(created.count == 1 && created.first?[0] == "amina" && created.first?[1] == "referral:\(id)")

            let shown = try await client.call(.get, "/v1/referrals/\(id)", as: amina)
            #expect(shown.status == .ok)
            #expect(SchemaConformance.problems(shown, operationID: "showReferral") == [])
            #expect(shown.headers[.eTag] == "\"v1\"")
            let view = try #require(shown.json)
            #expect(view["case"] as? Int == Int(world.adultCase))
            #expect(view["need_code"] as? String == "LP-ND")
            #expect(view["provider_name"] as? String == "clinic")
            #expect(view["service"] as? String == "legal_assistance")
            #expect(view["sides"] as? [String] == ["referring"])
            #expect(view["overdue"] as? Bool == false)
            #expect((view["consent"] as? [String: Any])?["given"] as? Bool == true)
            let events = try #require(view["events"] as? [[String: Any]])
            #expect(events.count == 1)
            #expect(events.first?["from"] is NSNull && events.first?["to"] as? String == "pending")
            #expect(events.first?["note"] as? String == "needs a lawyer")

            // The provider's side sees the person's contact but never the case id.
            let cleo = try await client.signIn("cleo")
            let receiving = try await client.call(.get, "/v1/referrals/\(id)", as: cleo)
            #expect(SchemaConformance.problems(receiving, operationID: "showReferral") == [])
            let received = try #require(receiving.json)
            #expect(received["case"] is NSNull)
            #expect(received["sides"] as? [String] == ["receiving"])
            #expect((received["contact"] as? [String: Any])?["names"] as? [String] == ["Ana"])
            #expect(try await ReferralHTTPWorld.audit(fixture, .referralRead).map { $0[0] } == ["amina", "cleo"])
        }
    }

    @Test func theSameIdempotencyKeyReturnsTheSameReferralAndMakesNoSecond() async throws {
        try await HTTPFixture.with(accounts: ReferralHTTPWorld.accounts) { fixture, client in
            let world = try await ReferralHTTPWorld.make(fixture)
            let amina = try await client.signIn("amina")
            let first = try await client.call(
                .post, "/v1/referrals", as: amina, json: world.order, headers: [Self.keyField: "form-7781"])
            #expect(first.status == .created)
            let again = try await client.call(
                .post, "/v1/referrals", as: amina, json: world.order, headers: [Self.keyField: "form-7781"])
            #expect(again.status == .ok)
            #expect(SchemaConformance.problems(again, operationID: "createReferral") == [])
            #expect(again.text == first.text)
            #expect(again.headers[.location] == first.headers[.location])
            #expect(try await ReferralHTTPWorld.count(fixture, "SELECT count(*) FROM referrals") == 1)
            #expect(try await ReferralHTTPWorld.audit(fixture, .referralRepeat).count == 1)
            // The key reused for another need is a client's mistake: 409, nothing made.
            let reused = try await client.call(
                .post, "/v1/referrals", as: amina,
                json: [
                    "case": world.childCase, "need": world.childNeed, "provider": world.clinic, "consent": true,
                    "caregiver": true,
                ], headers: [Self.keyField: "form-7781"])
            #expect(reused.status == .conflict)
            #expect(reused.json?["type"] as? String == "/problems/conflict")
            #expect(try await ReferralHTTPWorld.count(fixture, "SELECT count(*) FROM referrals") == 1)
            // A key that is not visible ASCII is named.
            let bad = try await client.call(
                .post, "/v1/referrals", as: amina, json: world.order, headers: [Self.keyField: "two words"])
            #expect(bad.status == .badRequest && bad.json?["argument"] as? String == "Idempotency-Key")
        }
    }

    @Test func withoutConsentOnlyASupervisorsOverrideRefers() async throws {
        try await HTTPFixture.with(accounts: ReferralHTTPWorld.accounts) { fixture, client in
            let world = try await ReferralHTTPWorld.make(fixture)
            var order = world.order
            order["consent"] = false
            let refused = try await client.call(
                .post, "/v1/referrals", as: try await client.signIn("amina"), json: order)
            #expect(refused.status == .unprocessableContent)
            #expect(SchemaConformance.problems(refused, operationID: "createReferral") == [])
            #expect(refused.headers[.contentType] == "application/problem+json")
            #expect(refused.json?["type"] as? String == "/problems/consent-required")
            #expect(refused.json?["detail"] as? String == ConsentRefusal.consentRequired.description)
            // A caseworker's override is not one.
            order["override"] = "life at risk"
            let amina = try await client.signIn("amina")
            #expect(try await client.call(.post, "/v1/referrals", as: amina, json: order).status == .forbidden)
            #expect(try await ReferralHTTPWorld.count(fixture, "SELECT count(*) FROM referrals") == 0)

            let sam = try await client.signIn("sam")
            let overridden = try await client.call(.post, "/v1/referrals", as: sam, json: order)
            #expect(overridden.status == .created)
            let id = try #require(overridden.json?["referral"] as? Int)
            let consent = try await client.call(.get, "/v1/referrals/\(id)", as: sam).json?["consent"] as? [String: Any]
            #expect(consent?["given"] as? Bool == false)
            #expect(consent?["override_by"] as? String == "sam")
            #expect(consent?["override_reason"] as? String == "life at risk")
            #expect(try await ReferralHTTPWorld.audit(fixture, .referralConsentOverride).map { $0[0] } == ["sam"])
        }
    }

    @Test func theProviderSideAcceptsAndCompletesTheReferringSideCannotAccept() async throws {
        try await HTTPFixture.with(accounts: ReferralHTTPWorld.accounts) { fixture, client in
            let world = try await ReferralHTTPWorld.make(fixture)
            let amina = try await client.signIn("amina")
            let cleo = try await client.signIn("cleo")
            let made = try await client.call(.post, "/v1/referrals", as: amina, json: world.order)
            let path = "/v1/referrals/\(try #require(made.json?["referral"] as? Int))"

            let byReferrer = try await client.call(
                .patch, path, as: amina, json: ["status": "accepted"], headers: [.ifMatch: "\"v1\""])
            #expect(byReferrer.status == .forbidden)
            let accepted = try await client.call(
                .patch, path, as: cleo, json: ["status": "accepted", "note": "seen today"],
                headers: [.ifMatch: "\"v1\""])
            #expect(accepted.status == .ok)
            #expect(SchemaConformance.problems(accepted, operationID: "moveReferral") == [])
            #expect(accepted.headers[.eTag] == "\"v2\"")
            #expect(accepted.json?["from"] as? String == "pending")
            #expect(accepted.json?["status"] as? String == "accepted")
            #expect(accepted.json?["version"] as? Int == 2)

            // The version seen before the acceptance is stale: 412, nothing changed.
            let stale = try await client.call(
                .patch, path, as: cleo, json: ["status": "declined", "reason": "capacity"],
                headers: [.ifMatch: "\"v1\""])
            #expect(stale.status == .preconditionFailed)
            #expect(stale.json?["type"] as? String == "/problems/stale-version")
            let missing = try await client.call(.patch, path, as: cleo, json: ["status": "completed"])
            #expect(missing.status == .preconditionRequired)
            let malformed = try await client.call(
                .patch, path, as: cleo, json: ["status": "completed"], headers: [.ifMatch: "v2"])
            #expect(malformed.status == .badRequest && malformed.json?["argument"] as? String == "If-Match")
            let noOutcome = try await client.call(
                .patch, path, as: cleo, json: ["status": "completed"], headers: [.ifMatch: "\"v2\""])
            #expect(noOutcome.status == .badRequest && noOutcome.json?["argument"] as? String == "outcome")

            let completed = try await client.call(
                .patch, path, as: cleo, json: ["status": "completed", "outcome": "successful"],
                headers: [.ifMatch: "\"v2\""])
            #expect(completed.status == .ok)
            #expect(completed.json?["outcome"] as? String == "successful")
            // A closed referral moves no further: 409.
            let cancelled = try await client.call(
                .patch, path, as: amina, json: ["status": "cancelled", "reason": "duplicate"],
                headers: [.ifMatch: "\"v3\""])
            #expect(cancelled.status == .conflict)

            let shown = try #require(try await client.call(.get, path, as: amina).json)
            #expect(shown["status"] as? String == "completed")
            #expect(
                (shown["events"] as? [[String: Any]])?.compactMap { $0["to"] as? String } == [
                    "pending", "accepted", "completed",
                ])
            #expect(try await ReferralHTTPWorld.audit(fixture, .referralAccepted).map { $0[0] } == ["cleo"])
            #expect(
                try await ReferralHTTPWorld.audit(fixture, .referralCompleted).map { $0[2] } == [
                    "accepted → completed successful"
                ])
        }
    }

    @Test func anotherOrganisationsReferralIsNotFound() async throws {
        try await HTTPFixture.with(accounts: ReferralHTTPWorld.accounts) { fixture, client in
            let world = try await ReferralHTTPWorld.make(fixture)
            let made = try await client.call(
                .post, "/v1/referrals", as: try await client.signIn("amina"), json: world.order)
            let path = "/v1/referrals/\(try #require(made.json?["referral"] as? Int))"
            let bo = try await client.signIn("bo")
            #expect(try await client.call(.get, path, as: bo).status == .notFound)
            let move = try await client.call(
                .patch, path, as: bo, json: ["status": "cancelled", "reason": "duplicate"],
                headers: [.ifMatch: "\"v1\""])
            #expect(move.status == .notFound)
            #expect((try await client.call(.get, "/v1/referrals", as: bo).json?["items"] as? [Any])?.isEmpty == true)
            // Nor can ngo-b refer ngo-a's case.
            let foreign = try await client.call(.post, "/v1/referrals", as: bo, json: world.order)
            #expect(foreign.status == .notFound)
            #expect(try await client.call(.get, "/v1/referrals/999999", as: bo).status == .notFound)
        }
    }

    @Test func listsShowIncomingAndOutgoingPageByPage() async throws {
        try await HTTPFixture.with(accounts: ReferralHTTPWorld.accounts) { fixture, client in
            let world = try await ReferralHTTPWorld.make(fixture)
            let amina = try await client.signIn("amina")
            let first = try await client.call(.post, "/v1/referrals", as: amina, json: world.order)
            let second = try await client.call(
                .post, "/v1/referrals", as: amina,
                json: [
                    "case": world.childCase, "need": world.childNeed, "provider": world.clinic, "consent": true,
                    "caregiver": true,
                ])
            let ids = [first.json?["referral"] as? Int, second.json?["referral"] as? Int]

            let page1 = try #require(try await client.call(.get, "/v1/referrals?limit=1", as: amina).json)
            #expect((page1["items"] as? [[String: Any]])?.map { $0["referral"] as? Int } == [ids[0]])
            let cursor = try #require(page1["next_cursor"] as? String)
            let page2 = try #require(
                try await client.call(.get, "/v1/referrals?limit=1&cursor=\(cursor)", as: amina).json)
            #expect((page2["items"] as? [[String: Any]])?.map { $0["referral"] as? Int } == [ids[1]])
            let listed = try await client.call(.get, "/v1/referrals", as: amina)
            #expect(SchemaConformance.problems(listed, operationID: "listReferrals") == [])
            let all = try #require(listed.json)
            #expect((all["items"] as? [Any])?.count == 2)
            #expect(all["next_cursor"] is NSNull)

            let cleo = try await client.signIn("cleo")
            let incoming = try #require(
                try await client.call(.get, "/v1/referrals?direction=incoming", as: cleo).json?["items"]
                    as? [[String: Any]])
            #expect(incoming.count == 2)
            #expect(incoming.allSatisfy { $0["case"] is NSNull && $0["contact"] is NSNull })
            let outgoing = try await client.call(.get, "/v1/referrals?direction=outgoing", as: cleo)
            #expect((outgoing.json?["items"] as? [Any])?.isEmpty == true)
            let byCase = try await client.call(.get, "/v1/referrals?case=\(world.childCase)", as: amina)
            #expect((byCase.json?["items"] as? [[String: Any]])?.map { $0["referral"] as? Int } == [ids[1]])
            let overdue = try await client.call(.get, "/v1/referrals?overdue=true&status=pending", as: amina)
            #expect((overdue.json?["items"] as? [Any])?.isEmpty == true)
            #expect(try await ReferralHTTPWorld.audit(fixture, .referralList).count == 7)

            for (query, argument) in [
                ("direction=sideways", "direction"), ("overdue=yes", "overdue"), ("status=lost", "status"),
                ("cursor=not-a-cursor", "cursor"), ("limit=0", "limit"), ("case=-1", "case"),
            ] {
                let refused = try await client.call(.get, "/v1/referrals?\(query)", as: amina)
                #expect(refused.status == .badRequest, "\(query)")
                #expect(refused.json?["argument"] as? String == argument, "\(query)")
            }
        }
    }

    @Test func badBodiesNameTheField() async throws {
        try await HTTPFixture.with(accounts: ReferralHTTPWorld.accounts) { fixture, client in
            let world = try await ReferralHTTPWorld.make(fixture)
            let amina = try await client.signIn("amina")
            var order = world.order
            order["consent"] = nil
            for (body, argument) in [
                (order, "consent"), (world.order.merging(["priority": "soon"]) { $1 }, "priority"),
                (world.order.merging(["service": "magic"]) { $1 }, "service"),
                (world.order.merging(["case": 0]) { $1 }, "case"),
                (world.order.merging(["note": String(repeating: "n", count: 2001)]) { $1 }, "note"),
                // The eligibility rules' refusal names the field too: a child needs the caregiver answer.
                (
                    ["case": world.childCase, "need": world.childNeed, "provider": world.clinic, "consent": true],
                    "caregiver"
                ),
            ] {
                let refused = try await client.call(.post, "/v1/referrals", as: amina, json: body)
                #expect(refused.status == .badRequest)
                #expect(refused.json?["argument"] as? String == argument)
            }
            let moved = try await client.call(
                .patch, "/v1/referrals/1", as: amina, json: ["status": "pending"], headers: [.ifMatch: "\"v1\""])
            #expect(moved.status == .badRequest && moved.json?["argument"] as? String == "status")
            #expect(try await ReferralHTTPWorld.count(fixture, "SELECT count(*) FROM referrals") == 0)
        }
    }

    @Test func onlyCaseworkRolesUseReferrals() async throws {
        try await HTTPFixture.with(accounts: ReferralHTTPWorld.accounts) { fixture, client in
            let world = try await ReferralHTTPWorld.make(fixture)
            for name in ["ana", "pol", "adm"] {
                let session = try await client.signIn(name)
                #expect(
                    try await client.call(.post, "/v1/referrals", as: session, json: world.order).status == .forbidden)
                #expect(try await client.call(.get, "/v1/referrals", as: session).status == .forbidden)
                #expect(try await client.call(.get, "/v1/referrals/1", as: session).status == .forbidden)
                let move = try await client.call(
                    .patch, "/v1/referrals/1", as: session, json: ["status": "accepted"], headers: [.ifMatch: "\"v1\""])
                #expect(move.status == .forbidden)
            }
            let sam = try await client.signIn("sam")
            #expect(try await client.call(.post, "/v1/referrals", as: sam, json: world.order).status == .created)
            #expect(try await client.call(.post, "/v1/referrals", as: nil, json: world.order).status == .unauthorized)
        }
    }

    @Test func theServiceRefusesARoleTheMatrixRefuses() async throws {
        try await HTTPFixture.with(accounts: ReferralHTTPWorld.accounts) { fixture, _ in
            let world = try await ReferralHTTPWorld.make(fixture)
            let analyst = Actor(name: "ana", role: .analyst, organisation: "ngo-a", source: "test")
            let referral = NewReferral(
                caseID: world.adultCase, needID: world.legalNeed, providerID: world.clinic, consented: true)
            await #expect(throws: ServiceError.permissionDenied("the analyst role may not use REFER")) {
                _ = try await fixture.services.referrals.refer(referral, by: analyst)
            }
            await #expect(throws: ServiceError.permissionDenied("the analyst role may not use REFERRAL LIST")) {
                _ = try await fixture.services.referrals.list(ReferralFilter(), by: analyst)
            }
            #expect(try await ReferralHTTPWorld.count(fixture, "SELECT count(*) FROM referrals") == 0)
        }
    }
}
