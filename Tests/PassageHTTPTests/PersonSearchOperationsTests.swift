import Foundation
import HTTPTypes
import HummingbirdTesting
import PassageCore
import Testing

/// `GET /v1/persons` (PERSON SEARCH over HTTP): the people found with their cases and score,
/// never their identifiers; the organisation's only; audited without the values; bad input 400.
@Suite struct PersonSearchOperationsTests {
    @Test func findsAcrossScriptsListsCasesAndScoreAndIsAudited() async throws {
        try await HTTPFixture.with(accounts: CaseHTTP.accounts) { fixture, client in
            let session = try await client.signIn("caseworker")
            let first = try await CaseHTTP.open(client, session, ref: "ps-1")
            let other = try await CaseHTTP.open(client, session, ref: "ps-2")
            for (id, name, dob) in [
                (first, "Youssef Ibrahim Haddad", "1988-02-10"), (other, "Layla Omar", "1975-06-30"),
            ] {
                let recorded = try await client.call(
                    .patch, "/v1/cases/\(id)/person", as: session, json: ["name": name, "dob": dob])
                #expect(recorded.status == .noContent, "\(recorded.text)")
            }
            let query = "name=%D9%8A%D9%88%D8%B3%D9%81%20%D8%AD%D8%AF%D8%A7%D8%AF&dob=1988-10-02"  // يوسف حداد, day/month swapped
            let response = try await client.call(.get, "/v1/persons?\(query)", as: session)
            #expect(response.status == .ok, "\(response.text)")
            #expect(SchemaConformance.problems(response, operationID: "searchPersons") == [])
            let items = try #require(response.json?["items"] as? [[String: Any]])
            #expect(items.count == 1)
            let cases = try #require(items.first?["cases"] as? [[String: Any]])
            #expect(cases.map { $0["id"] as? Int } == [Int(first)])
            #expect(cases.map { $0["ref"] as? String } == ["ps-1"])
            #expect(items.first?["strong"] as? Bool == true)
            #expect(!response.text.contains("Youssef") && !response.text.contains("1988"))
            #expect(
                try await CaseHTTP.audit(fixture, .personSearch).map { Array($0.prefix(2)) } == [
                    ["caseworker", "by:name,dob listed:1"]
                ])

            // another organisation's caseworker finds nobody
            let beta = try await client.signIn("beta")
            let elsewhere = try await client.call(.get, "/v1/persons?\(query)", as: beta)
            #expect(elsewhere.status == .ok)
            #expect((elsewhere.json?["items"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func badValuesAre400NamingTheArgument() async throws {
        try await HTTPFixture.with(accounts: CaseHTTP.accounts) { _, client in
            let session = try await client.signIn("caseworker")
            for (query, argument) in [
                ("dob=1988-13", "dob"), ("", "name"), ("dob=1988", "dob"), ("name=Ali&sex=f", "sex"),
                ("name=Ali&limit=0", "limit"), ("phone=12", "phone"),
            ] {
                let response = try await client.call(.get, "/v1/persons?\(query)", as: session)
                #expect(response.status == .badRequest, "\(query): \(response.status)")
                #expect(response.text.contains(argument), "\(query): \(response.text)")
            }
        }
    }
}
