import Foundation
import HTTPTypes
import HummingbirdTesting
import PassageCore
import Testing

/// `POST /v1/persons/search`: the search of `GET /v1/persons` with the values in a JSON body, so
/// that a searched name or number never stands in a URL that proxies log (Docs/security.md item
/// 16). The same answer, roles and audit entry as GET; bad values 400 naming the field. On the
/// old code the route did not exist (404).
@Suite struct PersonSearchByBodyTests {
    @Test func answersAsTheQueryStringSearchDoesAndIsAuditedTheSame() async throws {
        try await HTTPFixture.with(accounts: CaseHTTP.accounts) { fixture, client in
            let session = try await client.signIn("caseworker")
            let first = try await CaseHTTP.open(client, session, ref: "pb-1")
            let other = try await CaseHTTP.open(client, session, ref: "pb-2")
            for (id, name, dob) in [
                (first, "Youssef Ibrahim Haddad", "1988-02-10"), (other, "Layla Omar", "1975-06-30"),
            ] {
                let recorded = try await client.call(
                    .patch, "/v1/cases/\(id)/person", as: session, json: ["name": name, "dob": dob])
                #expect(recorded.status == .noContent, "\(recorded.text)")
            }
            let posted = try await client.call(
                .post, "/v1/persons/search", as: session, json: ["name": "يوسف حداد", "dob": "1988-10-02", "limit": 5])
            #expect(posted.status == .ok, "\(posted.text)")
            #expect(SchemaConformance.problems(posted, operationID: "searchPersonsByBody") == [])
            let items = try #require(posted.json?["items"] as? [[String: Any]])
            #expect(items.count == 1)
            let cases = try #require(items.first?["cases"] as? [[String: Any]])
            #expect(cases.map { $0["id"] as? Int } == [Int(first)])
            #expect(!posted.text.contains("Youssef") && !posted.text.contains("1988"))

            let query = "name=%D9%8A%D9%88%D8%B3%D9%81%20%D8%AD%D8%AF%D8%A7%D8%AF&dob=1988-10-02&limit=5"
            let got = try await client.call(.get, "/v1/persons?\(query)", as: session)
            #expect(got.status == .ok)
            #expect(got.text == posted.text)
            #expect(
                try await CaseHTTP.audit(fixture, .personSearch).map { Array($0.prefix(2)) } == [
                    ["caseworker", "by:name,dob listed:1"], ["caseworker", "by:name,dob listed:1"],
                ])

            // the same roles: an analyst may not search
            let analyst = try await client.signIn("analyst")
            let refused = try await client.call(.post, "/v1/persons/search", as: analyst, json: ["name": "Layla"])
            #expect(refused.status == .forbidden, "\(refused.status)")
            // another organisation's caseworker finds nobody
            let beta = try await client.signIn("beta")
            let elsewhere = try await client.call(
                .post, "/v1/persons/search", as: beta, json: ["name": "يوسف حداد", "dob": "1988-10-02"])
            #expect(elsewhere.status == .ok)
            #expect((elsewhere.json?["items"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func badValuesAre400NamingTheField() async throws {
        try await HTTPFixture.with(accounts: CaseHTTP.accounts) { _, client in
            let session = try await client.signIn("caseworker")
            let cases: [([String: Any], String)] = [
                (["dob": "1988-13"], "dob"), ([:], "name"), (["dob": "1988"], "dob"),
                (["name": "Ali", "sex": "f"], "sex"),
                (["name": "Ali", "limit": 0], "limit"), (["name": "Ali", "limit": 101], "limit"),
                (["phone": "12"], "phone"), (["name": 5], "name"),
            ]
            for (body, field) in cases {
                let response = try await client.call(.post, "/v1/persons/search", as: session, json: body)
                #expect(response.status == .badRequest, "\(body): \(response.status)")
                #expect(response.text.contains(field), "\(body): \(response.text)")
            }
        }
    }
}
