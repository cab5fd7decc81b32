import Foundation
import HTTPTypes
import HummingbirdTesting
import PassageCore
import Testing

/// `POST /v1/cases/{case}/person/erasure` (PERSON ERASE; Docs/case-life.md "Retention and
/// erasure by crypto-shredding").
@Suite struct ErasureOperationsTests {
    @Test func aSupervisorErasesAClosedCasesPersonAndTheDetailsThenReadAsErased() async throws {
        try await HTTPFixture.with(accounts: CaseHTTP.accounts) { fixture, client in
            let caseworker = try await client.signIn("caseworker")
            let id = try await CaseHTTP.open(client, caseworker, ref: "e-1")
            let recorded = try await client.call(
                .patch, "/v1/cases/\(id)/person", as: caseworker, json: ["name": "Erin Example"])
            #expect(recorded.status == .noContent, "\(recorded.text)")
            let supervisor = try await client.signIn("supervisor")
            let open = try await client.call(
                .post, "/v1/cases/\(id)/person/erasure", as: supervisor, json: ["reason": "request"])
            #expect(open.status == .conflict, "\(open.text)")
            let closed = try await client.call(
                .post, "/v1/cases/\(id)/closure", as: caseworker, json: ["reason": "moved", "carry_forward": true])
            #expect(closed.status == .ok, "\(closed.text)")

            let refused = try await client.call(
                .post, "/v1/cases/\(id)/person/erasure", as: caseworker, json: ["reason": "request"])
            #expect(refused.status == .forbidden)
            let badReason = try await client.call(
                .post, "/v1/cases/\(id)/person/erasure", as: supervisor, json: ["reason": "because"])
            #expect(badReason.status == .badRequest && badReason.json?["argument"] as? String == "reason")
            let other = try await client.call(
                .post, "/v1/cases/\(id)/person/erasure", as: try await client.signIn("beta"),
                json: ["reason": "request"])
            #expect(other.status == .forbidden || other.status == .notFound)

            let erased = try await client.call(
                .post, "/v1/cases/\(id)/person/erasure", as: supervisor, json: ["reason": "request"])
            #expect(erased.status == .ok, "\(erased.text)")
            #expect(SchemaConformance.problems(erased, operationID: "erasePerson") == [])
            #expect(erased.json?["case"] as? Int == Int(id) && erased.json?["persons"] as? Int == 1)
            let shown = try await client.call(.get, "/v1/cases/\(id)/person", as: supervisor)
            #expect(shown.status == .conflict && shown.text.contains("were erased") && !shown.text.contains("Erin"))
            #expect(
                try await CaseHTTP.audit(fixture, .personErased).map { Array($0.prefix(2)) } == [
                    ["supervisor", "case:\(id)"]
                ])
        }
    }
}
