import Foundation
import HTTPTypes
import HummingbirdTesting
import PassageCore
import PassageHTTP
import PassageStore
import Postgres
import Testing

/// Merges and candidate duplicate pairs over HTTP (Docs/finding-persons.md): the same use cases
/// as PERSON MERGE|UNMERGE and the DUPLICATE commands; across organisations, organisation B's
/// answers hold that Alpha may know the person and nothing else.
@Suite struct DuplicateOperationsTests {
    static let accounts =
        HTTPFixture.standardAccounts + [
            (name: "beta", role: Role.caseworker, organisation: "Beta"),
            (name: "beta-sup", role: Role.supervisor, organisation: "Beta"),
        ]

    static let secrets = ["Ana", "rez", "1990", "+57", "AB123456", "a-1"]

    /// Every byte of a response B receives: its status line's parts, each header, the body.
    static func everything(_ response: TestResponse) -> String {
        "\(response.status.code)\n" + response.headers.map { "\($0.name): \($0.value)" }.joined(separator: "\n")
            + "\n\n" + response.text
    }

    @Test func organisationBLearnsOnlyThatAlphaMayKnowThePerson() async throws {
        try await HTTPFixture.with(accounts: Self.accounts) { fixture, client in
            let alpha = try await client.signIn("caseworker")
            let alphaCase = try await CaseHTTP.open(client, alpha, ref: "a-1")
            let recorded = try await client.call(
                .patch, "/v1/cases/\(alphaCase)/person", as: alpha,
                json: ["name": "Ana Pérez", "dob": "1990-04-01", "phone": "+57 300 1234", "documents": ["AB123456"]])
            #expect(recorded.status == .noContent)
            let beta = try await client.signIn("beta")
            let betaCase = try await CaseHTTP.open(client, beta, ref: "b-1")
            _ = try await client.call(.patch, "/v1/cases/\(betaCase)/person", as: beta, json: ["name": "Ana Perez"])
            let pair = try await Self.recordPair(fixture, alphaCase: alphaCase, betaCase: betaCase)

            let betaSupervisor = try await client.signIn("beta-sup")
            let listed = try await client.call(.get, "/v1/duplicate-pairs", as: betaSupervisor)
            #expect(listed.status == .ok)
            #expect(SchemaConformance.problems(listed, operationID: "listDuplicatePairs") == [])
            let received = Self.everything(listed)
            for secret in Self.secrets + ["\"case\":\(alphaCase)", "\"other_case\":\(alphaCase)"] {
                #expect(!received.contains(secret), "B received \(secret): \(received)")
            }
            #expect(
                listed.text
                    == #"{"items":[{"case":\#(betaCase),"id":\#(pair),"other_case":null,"our_decision":null,"score":null,"status":"new","their_decision":null,"with":"Alpha"}],"next_cursor":null}"#,
                "\(listed.text)")

            let supervisor = try await client.signIn("supervisor")
            let first = try await client.call(.post, "/v1/duplicate-pairs/\(pair)/confirm", as: supervisor)
            #expect(first.status == .ok && first.json?["status"] as? String == "new")
            #expect(SchemaConformance.problems(first, operationID: "confirmDuplicatePair") == [])
            let again = try await client.call(.post, "/v1/duplicate-pairs/\(pair)/reject", as: supervisor)
            #expect(again.status == .conflict)
            let second = try await client.call(.post, "/v1/duplicate-pairs/\(pair)/confirm", as: betaSupervisor)
            #expect(second.json?["status"] as? String == "confirmed")
            #expect(second.json?["other_case"] as? Int == Int(alphaCase))
            for secret in Self.secrets { #expect(!Self.everything(second).contains(secret)) }
            #expect(try await client.call(.post, "/v1/duplicate-pairs/\(pair)/confirm", as: beta).status == .forbidden)
            #expect(
                try await client.call(.post, "/v1/duplicate-pairs/999/confirm", as: betaSupervisor).status == .notFound)

            let rate = try await client.call(.get, "/v1/duplicate-rate", as: betaSupervisor)
            #expect(SchemaConformance.problems(rate, operationID: "duplicateRate") == [])
            #expect(rate.json?["registrations"] as? Int == 1)
            #expect((rate.json?["across"] as? [String: Int]) == ["new": 0, "confirmed": 1, "rejected": 0])
            #expect(
                try await client.call(.get, "/v1/duplicate-pairs?status=maybe", as: betaSupervisor).status
                    == .badRequest)
        }
    }

    @Test func mergeAndUndo() async throws {
        try await HTTPFixture.with(accounts: Self.accounts) { fixture, client in
            let caseworker = try await client.signIn("caseworker")
            let first = try await CaseHTTP.open(client, caseworker, ref: "m-1")
            let second = try await CaseHTTP.open(client, caseworker, ref: "m-2")
            for id in [first, second] {
                _ = try await client.call(
                    .patch, "/v1/cases/\(id)/person", as: caseworker, json: ["name": "Sara \(id)"])
            }
            let supervisor = try await client.signIn("supervisor")
            #expect(
                try await client.call(
                    .post, "/v1/person-merges", as: caseworker, json: ["case_a": first, "case_b": second]
                )
                .status == .forbidden)
            let bad = try await client.call(
                .post, "/v1/person-merges", as: supervisor, json: ["case_a": first, "case_b": 0])
            #expect(bad.status == .badRequest && bad.text.contains("case_b"))
            let merged = try await client.call(
                .post, "/v1/person-merges", as: supervisor, json: ["case_a": first, "case_b": second])
            #expect(merged.status == .created, "\(merged.text)")
            #expect(SchemaConformance.problems(merged, operationID: "mergePersons") == [])
            #expect(merged.json?["moved_cases"] as? [Int] == [Int(second)])
            let merge = try #require(merged.json?["id"] as? Int)
            let person = try await client.call(.get, "/v1/cases/\(second)/person", as: caseworker)
            #expect(person.text.contains("Sara \(first)"))
            let undone = try await client.call(.post, "/v1/person-merges/\(merge)/undo", as: supervisor)
            #expect(undone.status == .ok && undone.json?["unmerged_by"] as? String == "supervisor")
            #expect(SchemaConformance.problems(undone, operationID: "unmergePersons") == [])
            #expect(try await client.call(.post, "/v1/person-merges/\(merge)/undo", as: supervisor).status == .conflict)
            let betaSupervisor = try await client.signIn("beta-sup")
            #expect(
                try await client.call(.post, "/v1/person-merges/\(merge)/undo", as: betaSupervisor).status == .notFound)
        }
    }

    /// The pair Alpha's registration finds against Beta's person.
    static func recordPair(_ fixture: HTTPFixture, alphaCase: Int64, betaCase: Int64) async throws -> Int64 {
        try await fixture.pool.transaction { connection in
            func person(_ caseID: Int64) throws -> (Int64, Int64) {
                try connection.query("SELECT person_id, organisation_id FROM cases WHERE id = \(caseID)")[0]
                    .decode((Int64, Int64).self)
            }
            let (alphaPerson, alpha) = try person(alphaCase)
            let (betaPerson, beta) = try person(betaCase)
            return try DuplicatePairStore().record(
                personID: alphaPerson, caseID: alphaCase, organisation: alpha,
                candidates: [
                    DuplicateCandidate(personID: betaPerson, caseID: betaCase, organisationID: beta, score: 20)
                ],
                on: connection
            )[0]
        }
    }
}
