import Foundation
import HTTPTypes
import HummingbirdTesting
import PassageCore
import PassageServices
import Postgres
import Testing

/// `GET /v1/cases/{case}/access-report` (AUDIT PERSON): the same report as the console's, as JSON
/// or CSV, for administrators of the case's organisation only, and itself audited.
@Suite struct AccessReportOperationsTests {
    static let accounts = HTTPFixture.standardAccounts + [(name: "beta-admin", role: Role.admin, organisation: "Beta")]

    @Test func theReportListsTheCasesAuditedAccessesAndIsAudited() async throws {
        try await HTTPFixture.with(accounts: Self.accounts) { fixture, client in
            let caseworker = try await client.signIn("caseworker")
            let caseID = try await CaseHTTP.open(client, caseworker, ref: "dpo-1")
            #expect(try await client.call(.get, "/v1/cases/\(caseID)", as: caseworker).status == .ok)
            let admin = try await client.signIn("admin")
            let response = try await client.call(.get, "/v1/cases/\(caseID)/access-report", as: admin)
            #expect(response.status == .ok)
            let items = try #require(response.json?["items"] as? [[String: Any]])
            let expected = try await fixture.pool.withConnection { connection in
                try connection.query(
                    "SELECT id FROM audit_log WHERE subject = \("case:\(caseID)") AND action <> 'audit.person' ORDER BY id"
                ).map { try $0.decode(Int.self) }
            }
            #expect(!expected.isEmpty && items.compactMap { $0["entry"] as? Int } == expected)
            #expect(items.contains { $0["user"] as? String == "caseworker" && $0["command"] as? String == "CASE SHOW" })
            #expect(items.allSatisfy { $0["organisation"] as? String == "Alpha" })
            for item in items {
                #expect(
                    Set(item.keys)
                        == ["entry", "at", "user", "organisation", "action", "command", "subject", "source", "detail"])
            }
            let audited = try await fixture.pool.withConnection { connection in
                try connection.query(
                    "SELECT actor, detail FROM audit_log WHERE action = 'audit.person' AND subject = \("case:\(caseID)")"
                ).map { "\(try $0.decode(String.self, at: 0)) \(try $0.decode(String.self, at: 1))" }
            }
            #expect(audited == ["admin \(items.count) entries"])
        }
    }

    @Test func csvByAcceptOrFormatIsTheConsolesCSV() async throws {
        try await HTTPFixture.with(accounts: Self.accounts) { _, client in
            let caseworker = try await client.signIn("caseworker")
            let caseID = try await CaseHTTP.open(client, caseworker, ref: "dpo-2")
            let admin = try await client.signIn("admin")
            for (query, accept) in [("?format=csv", "application/json"), ("", "text/csv")] {
                let response = try await client.call(
                    .get, "/v1/cases/\(caseID)/access-report\(query)", as: admin, headers: [.accept: accept])
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/csv") == true)
                let lines = response.text.split(separator: "\r\n")
                #expect(lines.first == "entry,at,user,organisation,action,command,subject,source,detail")
                #expect(lines.dropFirst().contains { $0.contains(",caseworker,Alpha,case.create,CASE NEW,") })
            }
            let refused = try await client.call(
                .get, "/v1/cases/\(caseID)/access-report", as: admin, headers: [.accept: "application/xml"])
            #expect(refused.status == .notAcceptable)
            let bad = try await client.call(.get, "/v1/cases/\(caseID)/access-report?format=xlsx", as: admin)
            #expect(bad.status == .badRequest && bad.json?["argument"] as? String == "format")
        }
    }

    @Test func onlyTheCasesOrganisationsAdministratorsReadIt() async throws {
        try await HTTPFixture.with(accounts: Self.accounts) { fixture, client in
            let caseworker = try await client.signIn("caseworker")
            let caseID = try await CaseHTTP.open(client, caseworker, ref: "dpo-3")
            for role in Role.allCases where role != .admin {
                let session = try await client.signIn(role.rawValue)
                let response = try await client.call(.get, "/v1/cases/\(caseID)/access-report", as: session)
                #expect(response.status == .forbidden, "\(role)")
            }
            let other = try await client.signIn("beta-admin")
            #expect(try await client.call(.get, "/v1/cases/\(caseID)/access-report", as: other).status == .notFound)
            #expect(try await client.call(.get, "/v1/cases/\(caseID)/access-report", as: nil).status == .unauthorized)
            let reports = try await fixture.pool.withConnection { connection in
                try connection.query("SELECT count(*) FROM audit_log WHERE action = 'audit.person'")[0].decode(
                    Int.self, at: 0)
            }
            #expect(reports == 0)
        }
    }
}
