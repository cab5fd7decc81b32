import Foundation
import PassageCore
import PassageServices
import Postgres
import TestSupport
import Testing

/// "Who saw my data" (Docs/case-life.md): the report lists exactly the audit entries about the
/// person's cases and their referrals, with each user's organisation, and is itself audited.
@Suite("Person access report")
struct PersonAccessReportTests {
    @Test(
        "a person touched by three organisations: the report holds exactly the entries about their case and referral, checked against the audit table; other cases' entries are not in it"
    )
    func threeOrganisations() async throws {
        try await ServiceFixture.with(accounts: ReferralWorld.accounts) { fixture in
            let world = try await ReferralWorld.make(on: fixture.pool)
            let amina = try await fixture.actor("amina")
            let cleo = try await fixture.actor("cleo", source: "192.0.2.9")
            // ngo-a: reads and changes; the clinic: the referral; ngo-b: a refused attempt.
            _ = try await fixture.services.cases.file(of: world.adultCase, by: amina)
            _ = try await fixture.services.people.details(ofCase: world.adultCase, by: amina)
            let made = try await fixture.services.referrals.refer(world.referral(), by: amina)
            _ = try await fixture.services.referrals.move(
                ReferralChange(referral: made.id, status: .accepted), by: cleo)
            await fixture.services.audit.recordRefusal(
                Refusal(user: "bo", command: "CASE SHOW", code: 550, targets: ["case:\(world.adultCase)"]),
                source: "192.0.2.10")
            // Noise: another case of the same organisation and a case of another organisation.
            _ = try await fixture.services.cases.file(of: world.childCase, by: amina)
            _ = try await fixture.services.cases.file(of: world.otherCase, by: try await fixture.actor("bo"))

            let admin = try await fixture.actor("adm")
            let report = try await fixture.services.audit.personAccess(ofCase: world.adultCase, by: admin)

            let expected = try await fixture.pool.withConnection { connection in
                try connection.query(
                    """
                    SELECT id FROM audit_log
                     WHERE subject IN (\("case:\(world.adultCase)"), \("referral:\(made.id)"))
                       AND action <> 'audit.person' ORDER BY id
                    """
                ).map { try $0.decode(Int64.self) }
            }
            #expect(report.map(\.entry) == expected)
            #expect(Set(report.compactMap(\.organisation)) == ["ngo-a", "clinic", "ngo-b"])
            #expect(report.contains { $0.user == "amina" && $0.action == "person.read" && $0.command == "PERSON SHOW" })
            #expect(report.contains { $0.user == "cleo" && $0.command == "REFERRAL SET" && $0.source == "192.0.2.9" })
            #expect(report.contains { $0.user == "bo" && $0.action == "access.refused" })
            #expect(!report.contains { $0.subject == "case:\(world.childCase)" || $0.subject == "case:\(world.otherCase)" })

            // The report itself is audited, and shows in the next one.
            #expect(
                try await fixture.audit(.auditPerson).map(\.detail) == ["\(report.count) entries"])
            let again = try await fixture.services.audit.personAccess(ofCase: world.adultCase, by: admin)
            #expect(again.last?.action == "audit.person" && again.last?.user == "adm")

            // CSV through CSVCell: a header and one line per entry.
            let csv = PersonAccess.csv(report).split(separator: "\r\n")
            #expect(csv.first == "entry,at,user,organisation,action,command,subject,source,detail")
            #expect(csv.count == report.count + 1)
        }
    }

    @Test("only an administrator reads it, and only for a case of their own organisation")
    func whoMay() async throws {
        try await ServiceFixture.with(accounts: ReferralWorld.accounts) { fixture in
            let world = try await ReferralWorld.make(on: fixture.pool)
            for name in ["amina", "sam"] {
                await #expect {
                    _ = try await fixture.services.audit.personAccess(
                        ofCase: world.adultCase, by: try await fixture.actor(name))
                } throws: { if case ServiceError.permissionDenied = $0 { true } else { false } }
            }
            await #expect {
                _ = try await fixture.services.audit.personAccess(
                    ofCase: world.otherCase, by: try await fixture.actor("adm"))
            } throws: { if case ServiceError.notFound = $0 { true } else { false } }
            #expect(try await fixture.audit(.auditPerson).isEmpty)
        }
    }
}
