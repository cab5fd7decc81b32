import Foundation
import HTTPTypes
import HummingbirdTesting
import PassageCore
import Testing

@Suite struct PersonOperationsTests {
    /// PERSON SET's duplicate warning over HTTP: 200 with the people this one strongly matches
    /// (their cases and score, no identifier), 204 as before when there is none.
    @Test func recordingAPersonWhoMayAlreadyBeKnownListsThePossibleDuplicates() async throws {
        try await HTTPFixture.with(accounts: CaseHTTP.accounts) { fixture, client in
            let session = try await client.signIn("caseworker")
            let first = try await CaseHTTP.open(client, session, ref: "dup-1")
            let unrelated = try await CaseHTTP.open(client, session, ref: "dup-2")
            let second = try await CaseHTTP.open(client, session, ref: "dup-3")
            for (id, name, phone) in [
                (first, "Huda Saleh Barakat", "+962 79 555 0101"), (unrelated, "Layla Omar", "+962 79 555 0999"),
            ] {
                let recorded = try await client.call(
                    .patch, "/v1/cases/\(id)/person", as: session,
                    json: ["name": name, "dob": "1985-03-12", "phone": phone])
                #expect(recorded.status == .noContent, "\(recorded.text)")
                #expect(recorded.text.isEmpty)
            }
            let response = try await client.call(
                .patch, "/v1/cases/\(second)/person", as: session,
                json: ["name": "هدى بركات", "dob": "1985-03-12", "phone": "0795550101"])
            #expect(response.status == .ok, "\(response.text)")
            #expect(SchemaConformance.problems(response, operationID: "recordPerson") == [])
            let items = try #require(response.json?["possible_duplicates"] as? [[String: Any]])
            #expect(items.count == 1)
            let cases = try #require(items.first?["cases"] as? [[String: Any]])
            #expect(cases.map { $0["id"] as? Int } == [Int(first)])
            #expect(cases.map { $0["ref"] as? String } == ["dup-1"])
            #expect(items.first?["strong"] as? Bool == true)
            #expect((items.first?["score"] as? Double ?? 0) >= PersonMatchScore.strongMatch)
            for secret in ["Huda", "Barakat", "1985", "555"] { #expect(!response.text.contains(secret)) }
            // Recorded all the same: the caseworker decides.
            let shown = try await client.call(.get, "/v1/cases/\(second)/person", as: session)
            #expect(shown.json?["names"] as? [String] == ["هدى بركات"])
            #expect(try await CaseHTTP.audit(fixture, .personUpdate).count == 3)
        }
    }

    @Test func recordingChangesTheFieldsGivenAndReadingShowsThemAudited() async throws {
        try await HTTPFixture.with(accounts: CaseHTTP.accounts) { fixture, client in
            let session = try await client.signIn("caseworker")
            let id = try await CaseHTTP.open(client, session, ref: "p-1")
            let first = try await client.call(
                .patch, "/v1/cases/\(id)/person", as: session,
                json: ["name": "Amina Yusuf", "dob": "1990-02-03", "documents": ["P123", "K-77"]])
            #expect(first.status == .noContent, "\(first.text)")
            let second = try await client.call(
                .patch, "/v1/cases/\(id)/person", as: session, json: ["phone": "+254700000001"])
            #expect(second.status == .noContent)

            let supervisor = try await client.signIn("supervisor")
            let response = try await client.call(.get, "/v1/cases/\(id)/person", as: supervisor)
            #expect(response.status == .ok)
            #expect(response.headers[.cacheControl] == "no-store")
            let json = try #require(response.json)
            #expect(json["names"] as? [String] == ["Amina Yusuf"])
            #expect(SchemaConformance.problems(response, operationID: "showPerson") == [])
            #expect(json["dob"] as? String == "1990-02-03")
            #expect(json["phone"] as? String == "+254700000001")
            #expect(json["documents"] as? [String] == ["P123", "K-77"])
            #expect(
                try await CaseHTTP.audit(fixture, .personUpdate).map { Array($0.prefix(2)) } == [
                    ["caseworker", "case:\(id)"], ["caseworker", "case:\(id)"],
                ])
            #expect(
                try await CaseHTTP.audit(fixture, .personRead).map { Array($0.prefix(2)) } == [
                    ["supervisor", "case:\(id)"]
                ])
        }
    }

    @Test func badValuesAre400NamingTheFieldAndWriteNothing() async throws {
        try await HTTPFixture.with(accounts: CaseHTTP.accounts) { fixture, client in
            let session = try await client.signIn("caseworker")
            let id = try await CaseHTTP.open(client, session, ref: "p-1")
            let refused: [([String: Any], String)] = [
                (["dob": "1990-02-30"], "dob"), (["dob": "03/02/1990"], "dob"), (["name": ""], "name"),
                (["phone": String(repeating: "1", count: 41)], "phone"), (["documents": ["P1", "P1"]], "documents"),
                (["documents": "P1"], "documents"), ([:], "name"),
            ]
            for (body, argument) in refused {
                let response = try await client.call(.patch, "/v1/cases/\(id)/person", as: session, json: body)
                #expect(response.status == .badRequest, "\(body): \(response.status)")
                #expect(response.json?["argument"] as? String == argument, "\(body): \(response.text)")
            }
            #expect(try await CaseHTTP.audit(fixture, .personUpdate).isEmpty)
        }
    }

    @Test func noDetailsAnotherOrganisationAndOtherRolesAreRefused() async throws {
        try await HTTPFixture.with(accounts: CaseHTTP.accounts) { fixture, client in
            let session = try await client.signIn("caseworker")
            let id = try await CaseHTTP.open(client, session, ref: "p-1")
            // None recorded yet: not found, and the look is audited all the same.
            #expect(try await client.call(.get, "/v1/cases/\(id)/person", as: session).status == .notFound)
            #expect(try await CaseHTTP.audit(fixture, .personRead).count == 1)
            _ = try await client.call(.patch, "/v1/cases/\(id)/person", as: session, json: ["name": "Amina"])

            let beta = try await client.signIn("beta")
            #expect(try await client.call(.get, "/v1/cases/\(id)/person", as: beta).status == .notFound)
            #expect(
                try await client.call(.patch, "/v1/cases/\(id)/person", as: beta, json: ["name": "x"]).status
                    == .notFound)
            for role in [Role.analyst, .policy, .admin] {
                let other = try await client.signIn(role.rawValue)
                #expect(try await client.call(.get, "/v1/cases/\(id)/person", as: other).status == .forbidden)
                #expect(
                    try await client.call(.patch, "/v1/cases/\(id)/person", as: other, json: ["name": "x"]).status
                        == .forbidden)
            }
            #expect(try await CaseHTTP.audit(fixture, .personUpdate).count == 1)
        }
    }
}
