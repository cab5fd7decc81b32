import Foundation
import PassageCore
import PassageServices
import TestSupport
import Testing

/// NeedService over a real PostgreSQL: needs in the case's organisation only, each read and
/// change audited in its transaction; a refused change writes nothing.
@Suite("Need service")
struct NeedServiceTests {
    static let accounts: [(name: String, role: Role, organisation: String)] = [
        ("cw", .caseworker, "ngo-a"), ("cw-b", .caseworker, "ngo-b"),
    ]

    @Test(
        "adding a need writes need.add with its id, code and priority; a bad or unknown code is refused and writes nothing"
    )
    func add() async throws {
        try await ServiceFixture.with(accounts: Self.accounts) { fixture in
            let caseworker = try await fixture.actor("cw")
            let record = try await fixture.services.cases.open(
                .json(#"{"ref":"n-1","current_country":"KE"}"#), by: caseworker)
            let need = try await fixture.services.needs.add(
                NewNeed(caseID: record.id, code: "LP", priority: .urgent, note: "no lawyer yet"),
                by: caseworker)
            #expect(
                need.caseID == record.id && need.code == "LP" && need.priority == "urgent" && need.status == .open
                    && need.version == 1)
            #expect(need.note == "no lawyer yet" && need.identifiedBy == "cw")
            #expect(
                try await fixture.audit(.needAdd) == [
                    .init(
                        actor: "cw", action: "need.add", subject: "case:\(record.id)", source: "192.0.2.7",
                        detail: "need \(need.id) LP urgent")
                ])
            await #expect(
                throws: ServiceError.badArgument(
                    argument: "code", message: "code must be a UNHCR specific-needs code like LP or SV-VA (got lp)")
            ) {
                _ = try await fixture.services.needs.add(NewNeed(caseID: record.id, code: "lp"), by: caseworker)
            }
            await #expect(
                throws: ServiceError.badArgument(argument: "code", message: "code XX is not a known need code")
            ) {
                _ = try await fixture.services.needs.add(NewNeed(caseID: record.id, code: "XX"), by: caseworker)
            }
            // Another organisation's case: not found.
            await #expect(throws: ServiceError.self) {
                _ = try await fixture.services.needs.add(
                    NewNeed(caseID: record.id, code: "SM"), by: try await fixture.actor("cw-b"))
            }
            #expect(try await fixture.audit(.needAdd).count == 1)
            #expect(try await fixture.count("SELECT count(*) FROM needs") == 1)
        }
    }

    @Test("listing a case's needs writes need.list with the count and draws on the bulk-read budget")
    func list() async throws {
        let clock = ManualClock()
        try await ServiceFixture.with(
            bulkReads: BulkReadLimit(rowsPerMinute: 5, now: { clock.now }), accounts: Self.accounts
        ) { fixture in
            let caseworker = try await fixture.actor("cw")
            let record = try await fixture.services.cases.open(
                .json(#"{"ref":"n-2","current_country":"KE"}"#), by: caseworker)
            for code in ["LP", "SM"] {
                _ = try await fixture.services.needs.add(NewNeed(caseID: record.id, code: code), by: caseworker)
            }
            #expect(
                try await fixture.services.needs.list(ofCase: record.id, by: caseworker).map(\.code) == ["LP", "SM"])
            #expect(
                try await fixture.audit(.needList) == [
                    .init(
                        actor: "cw", action: "need.list", subject: "case:\(record.id)", source: "192.0.2.7",
                        detail: "2 needs")
                ])
            // To the other organisation the case is not there.
            await #expect(throws: ServiceError.notFound("case \(record.id) not found")) {
                _ = try await fixture.services.needs.list(ofCase: record.id, by: try await fixture.actor("cw-b"))
            }
            // 5 tokens: 2 rows + 1 leave 2; the next list is admitted and overdraws to −1; refused until 2 tokens refill.
            _ = try await fixture.services.needs.list(ofCase: record.id, by: caseworker)
            await #expect(throws: ServiceError.busy("bulk-read limit: 5 rows a minute per user; retry in 24 s")) {
                _ = try await fixture.services.needs.list(ofCase: record.id, by: caseworker)
            }
        }
    }

    @Test("a status change needs the current version and a new status, and writes need.status")
    func setStatus() async throws {
        try await ServiceFixture.with(accounts: Self.accounts) { fixture in
            let caseworker = try await fixture.actor("cw")
            let record = try await fixture.services.cases.open(
                .json(#"{"ref":"n-3","current_country":"KE"}"#), by: caseworker)
            let need = try await fixture.services.needs.add(NewNeed(caseID: record.id, code: "LP"), by: caseworker)
            let met = try await fixture.services.needs.setStatus(
                of: need.id, to: .met, expectedVersion: 1, by: caseworker)
            #expect(met.status == .met && met.version == 2)
            #expect(
                try await fixture.audit(.needStatus) == [
                    .init(
                        actor: "cw", action: "need.status", subject: "case:\(record.id)", source: "192.0.2.7",
                        detail: "need \(need.id) met version 2")
                ])
            await #expect(throws: ServiceError.conflict("the need is already met")) {
                _ = try await fixture.services.needs.setStatus(
                    of: need.id, to: .met, expectedVersion: nil, by: caseworker)
            }
            await #expect(
                throws: ServiceError.staleVersion(
                    "stale version 1: the current version is 2; read it again and reapply your change")
            ) {
                _ = try await fixture.services.needs.setStatus(
                    of: need.id, to: .open, expectedVersion: 1, by: caseworker)
            }
            await #expect(throws: ServiceError.notFound("need \(need.id) not found")) {
                _ = try await fixture.services.needs.setStatus(
                    of: need.id, to: .withdrawn, expectedVersion: nil, by: try await fixture.actor("cw-b"))
            }
            #expect(try await fixture.audit(.needStatus).count == 1)
            #expect(
                try await fixture.services.needs.setStatus(of: need.id, to: .open, expectedVersion: 2, by: caseworker)
                    .version == 3)
        }
    }
}
